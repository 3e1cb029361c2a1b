package io.github.flinkredis.connector.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.RedisITCaseBase;
import io.github.flinkredis.testutils.RedisCluster;
import io.github.flinkredis.testutils.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Redis Cluster failover in the middle of a bounded scan, by CLUSTER FAILOVER or by a killed
 * primary: the job reads every key.
 */
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

    @Test
    void aPrimaryKilledDuringTheScanLosesNoKey() throws Exception {
        // one hash tag: every key in one slot, so the killed primary is the one being scanned
        client.loadHashes(KEYS, i -> "{kp}:" + i, i -> Map.of("v", Integer.toString(i)));
        int slot =
                Integer.parseInt(
                        cluster.nodes().get(0).command("CLUSTER", "KEYSLOT", "{kp}").trim());
        RedisServer primary = cluster.primaryOfSlot(slot);
        RedisServer replica = cluster.replicaOf(primary).orElseThrow();
        RedisCluster.await("the replica holds every key", () -> dbSize(replica) == KEYS);

        List<String> keys;
        try {
            keys =
                    FailoverScan.scanWithFailoverAfter(
                            redisUrl(),
                            "{kp}:*",
                            1_000,
                            () -> {
                                try {
                                    cluster.killPrimary(primary, replica);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            });
        } finally {
            cluster.rejoin(primary);
        }

        FailoverScan.assertEveryKeyRead(keys, "{kp}:", KEYS);
        assertThat(cluster.primaryOfSlot(slot)).isEqualTo(replica);
    }

    private static long dbSize(RedisServer node) {
        try {
            return node.dbSize();
        } catch (IOException e) {
            return -1;
        }
    }
}
