package io.github.flinkredis.testutils;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The harness forms a real 3-primary, 3-replica cluster and fails a shard over. */
class RedisClusterTest {

    @Test
    void formsAClusterAndFailsOver() throws Exception {
        try (RedisCluster cluster = RedisCluster.start(3, 1)) {
            assertThat(cluster.nodes()).hasSize(6);
            String slots = cluster.nodes().get(0).command("CLUSTER", "SLOTS");
            for (RedisServer node : cluster.nodes()) {
                assertThat(node.command("CLUSTER", "INFO")).contains("cluster_state:ok");
                // every node routes every slot to the same nodes
                assertThat(node.command("CLUSTER", "SLOTS")).isEqualTo(slots);
            }
            assertThat(cluster.currentPrimaries())
                    .containsExactlyInAnyOrderElementsOf(cluster.primaries());

            RedisServer primary = cluster.primaries().get(1);
            RedisServer replica = cluster.replicaOf(primary).orElseThrow();
            cluster.failover(replica);

            assertThat(replica.command("ROLE")).startsWith("master");
            assertThat(cluster.currentPrimaries()).contains(replica).doesNotContain(primary);
        }
    }
}
