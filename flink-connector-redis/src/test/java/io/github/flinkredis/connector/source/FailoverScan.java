package io.github.flinkredis.connector.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.model.RedisRecordDeserializer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** A DataStream scan during which a failover happens, for the failover ITCases. */
final class FailoverScan {

    private static volatile Runnable failover;

    private FailoverScan() {}

    /**
     * Scans the field {@code v} of the hashes matching {@code pattern} at {@code url} at
     * parallelism 1 and runs {@code action} in the task thread after {@code n} records; returns the
     * keys in the order they were emitted.
     */
    static List<String> scanWithFailoverAfter(String url, String pattern, int n, Runnable action)
            throws Exception {
        return scanWithFailoverAfter(
                RedisConnectionConfig.fromUrl(url).build(), pattern, n, action);
    }

    /** As {@link #scanWithFailoverAfter(String, String, int, Runnable)}, with a configuration. */
    static List<String> scanWithFailoverAfter(
            RedisConnectionConfig config, String pattern, int n, Runnable action) throws Exception {
        failover = action;
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        RedisSource<Tuple2<String, Map<String, String>>> source =
                RedisSource.<Tuple2<String, Map<String, String>>>builder()
                        .setConnectionConfig(config)
                        .setKeyPattern(pattern)
                        .setFields("v")
                        .setScanCount(100)
                        .setBatchSize(50)
                        .setDeserializer(RedisRecordDeserializer.hashAsMap())
                        .build();
        List<String> keys = new ArrayList<>();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "redis")
                .map(new FailoverAfter(n))
                .executeAndCollect()
                .forEachRemaining(keys::add);
        return keys;
    }

    /**
     * Every key {@code prefix + 0 .. count - 1} was read: a shard scanned again after its primary
     * was demoted may emit keys twice, none may be missing.
     */
    static void assertEveryKeyRead(List<String> keys, String prefix, int count) {
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < count; i++) {
            expected.add(prefix + i);
        }
        assertThat(new HashSet<>(keys)).isEqualTo(expected);
        assertThat(keys.size()).isBetween(count, 2 * count);
    }

    /** Runs the failover once, in the task thread, after {@code n} records. */
    private static final class FailoverAfter
            implements MapFunction<Tuple2<String, Map<String, String>>, String> {
        private final int n;
        private int seen;

        FailoverAfter(int n) {
            this.n = n;
        }

        @Override
        public String map(Tuple2<String, Map<String, String>> value) {
            if (++seen == n) {
                failover.run();
            }
            assertThat(value.f1.get("v")).isEqualTo(value.f0.substring(value.f0.indexOf(':') + 1));
            return value.f0;
        }
    }
}
