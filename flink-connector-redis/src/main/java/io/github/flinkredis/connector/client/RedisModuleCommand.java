package io.github.flinkredis.connector.client;

import io.lettuce.core.protocol.ProtocolKeyword;
import java.nio.charset.StandardCharsets;
import org.apache.flink.annotation.Internal;

/**
 * The commands of Redis modules the connector sends that Lettuce has no API for: RedisTimeSeries',
 * and RediSearch's {@code FT.INFO} and {@code FT.CURSOR} (the rest of RediSearch it sends through
 * Lettuce's dispatch with Lettuce's command types).
 */
@Internal
public enum RedisModuleCommand implements ProtocolKeyword {
    TS_ADD("TS.ADD"),
    TS_CREATE("TS.CREATE"),
    TS_DEL("TS.DEL"),
    TS_GET("TS.GET"),
    TS_INFO("TS.INFO"),
    TS_MADD("TS.MADD"),
    TS_QUERYINDEX("TS.QUERYINDEX"),
    TS_RANGE("TS.RANGE"),
    FT_INFO("FT.INFO"),
    FT_CURSOR("FT.CURSOR");

    private final byte[] bytes;

    RedisModuleCommand(String name) {
        this.bytes = name.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public byte[] getBytes() {
        return bytes;
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
