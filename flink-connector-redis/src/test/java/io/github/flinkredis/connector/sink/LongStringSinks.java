package io.github.flinkredis.connector.sink;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisWriteOptions;
import java.nio.charset.StandardCharsets;

/** The DataStream sinks of the sink tests: each {@code Long} i becomes a string key. */
public final class LongStringSinks {

    private LongStringSinks() {}

    /**
     * A sink that writes {@code SET <prefix><i> <i>} for each element i, or {@code SET <prefix><i %
     * modulo> <i>} with a positive {@code modulo} (many writes of few keys).
     */
    public static RedisSink<Long> of(
            RedisConnectionConfig connection,
            RedisWriteOptions options,
            String prefix,
            long modulo) {
        return RedisSink.<Long>builder()
                .setConnectionConfig(connection)
                .setWriteOptions(options)
                .setSerializer(
                        i ->
                                RedisMutation.string(
                                        (prefix + (modulo > 0 ? i % modulo : i))
                                                .getBytes(StandardCharsets.UTF_8),
                                        Long.toString(i).getBytes(StandardCharsets.UTF_8)))
                .build();
    }
}
