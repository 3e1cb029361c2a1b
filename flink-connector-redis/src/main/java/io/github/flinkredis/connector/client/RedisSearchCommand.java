package io.github.flinkredis.connector.client;

import io.lettuce.core.protocol.ProtocolKeyword;
import java.nio.charset.StandardCharsets;
import org.apache.flink.annotation.Internal;

/**
 * The RediSearch commands the connector sends that Lettuce's search API ({@code
 * RediSearchAsyncCommands}: {@code ftList}, {@code ftSearch}, {@code ftAggregate}, ...) lacks.
 */
@Internal
public enum RedisSearchCommand implements ProtocolKeyword {
    FT_INFO("FT.INFO");

    private final byte[] bytes;

    RedisSearchCommand(String name) {
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
