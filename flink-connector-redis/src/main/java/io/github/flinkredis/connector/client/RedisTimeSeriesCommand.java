package io.github.flinkredis.connector.client;

import io.lettuce.core.protocol.ProtocolKeyword;
import java.nio.charset.StandardCharsets;
import org.apache.flink.annotation.Internal;

/** The RedisTimeSeries commands the connector sends; Lettuce has no API for them. */
@Internal
public enum RedisTimeSeriesCommand implements ProtocolKeyword {
    TS_ADD("TS.ADD"),
    TS_CREATE("TS.CREATE"),
    TS_DEL("TS.DEL"),
    TS_GET("TS.GET"),
    TS_INFO("TS.INFO"),
    TS_MADD("TS.MADD"),
    TS_QUERYINDEX("TS.QUERYINDEX"),
    TS_RANGE("TS.RANGE");

    private final byte[] bytes;

    RedisTimeSeriesCommand(String name) {
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
