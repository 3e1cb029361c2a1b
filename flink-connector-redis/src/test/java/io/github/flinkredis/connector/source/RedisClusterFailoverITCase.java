package io.github.flinkredis.connector.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.RedisITCaseBase;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.testutils.RedisServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** A Redis Cluster failover in the middle of a bounded scan: the job reads every key. */
class RedisClusterFailoverITCase extends RedisITCaseBase {

    private static final int KEYS = 9_000;
    private static volatile Runnable failover;

    @Override
    protected String deployment() {
        return "cluster";
    }

    @Test
    void aFailoverOfEveryShardDuringTheScanLosesNoKey() throws Exception {
        client.loadHashes(KEYS, i -> "fo:" + i, i -> Map.of("v", Integer.toString(i)));
        failover =
                () -> {
                    try {
                        for (RedisServer primary : cluster.currentPrimaries()) {
                            cluster.failover(cluster.replicaOf(primary).orElseThrow());
                        }
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                };
        List<RedisServer> before = cluster.currentPrimaries();

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        RedisSource<Tuple2<String, Map<String, String>>> source =
                RedisSource.<Tuple2<String, Map<String, String>>>builder()
                        .setConnectionConfig(RedisConnectionConfig.fromUrl(redisUrl()).build())
                        .setKeyPattern("fo:*")
                        .setFields("v")
                        .setScanCount(100)
                        .setBatchSize(50)
                        .setDeserializer(RedisRecordDeserializer.hashAsMap())
                        .build();
        List<String> keys = new ArrayList<>();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "redis")
                .map(new FailoverAfter(1_000))
                .executeAndCollect()
                .forEachRemaining(keys::add);

        Set<String> expected = new HashSet<>();
        for (int i = 0; i < KEYS; i++) {
            expected.add("fo:" + i);
        }
        // a shard whose primary was demoted is scanned again on its new primary: keys of that
        // shard read before the failover may come twice, none is lost
        assertThat(new HashSet<>(keys)).isEqualTo(expected);
        assertThat(keys.size()).isBetween(KEYS, 2 * KEYS);
        assertThat(cluster.currentPrimaries()).doesNotContainAnyElementsOf(before);
    }

    /** Fails every shard over once, in the task thread, after {@code n} records. */
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
            assertThat(value.f1.get("v")).isEqualTo(value.f0.substring(3));
            return value.f0;
        }
    }
}
