package io.github.flinkredis.connector.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.RedisITCaseBase;
import io.github.flinkredis.testutils.RedisServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Redis Cluster failover in the middle of a bounded scan: the job reads every key. */
class RedisClusterFailoverITCase extends RedisITCaseBase {

    private static final int KEYS = 9_000;

    @Override
    protected String deployment() {
        return "cluster";
    }

    @Test
    void aFailoverOfEveryShardDuringTheScanLosesNoKey() throws Exception {
        client.loadHashes(KEYS, i -> "fo:" + i, i -> Map.of("v", Integer.toString(i)));
        List<RedisServer> before = cluster.currentPrimaries();

        List<String> keys =
                FailoverScan.scanWithFailoverAfter(
                        redisUrl(),
                        "fo:*",
                        1_000,
                        () -> {
                            try {
                                for (RedisServer primary : cluster.currentPrimaries()) {
                                    cluster.failover(cluster.replicaOf(primary).orElseThrow());
                                }
                            } catch (Exception e) {
                                throw new RuntimeException(e);
                            }
                        });

        FailoverScan.assertEveryKeyRead(keys, "fo:", KEYS);
        assertThat(cluster.currentPrimaries()).doesNotContainAnyElementsOf(before);
    }
}
