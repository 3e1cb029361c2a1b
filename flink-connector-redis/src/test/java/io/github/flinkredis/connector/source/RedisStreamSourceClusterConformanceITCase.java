package io.github.flinkredis.connector.source;

import io.github.flinkredis.connector.RedisTestClient;
import io.github.flinkredis.testutils.RedisCluster;
import org.apache.flink.connector.testframe.environment.MiniClusterTestEnvironment;
import org.apache.flink.connector.testframe.external.ExternalContextFactory;
import org.apache.flink.connector.testframe.junit.annotations.TestContext;
import org.apache.flink.connector.testframe.junit.annotations.TestEnv;
import org.apache.flink.connector.testframe.junit.annotations.TestExternalSystem;
import org.apache.flink.connector.testframe.junit.annotations.TestSemantics;
import org.apache.flink.core.execution.CheckpointingMode;

/**
 * Flink's source conformance suite on {@link
 * io.github.flinkredis.connector.source.stream.RedisStreamSource}, against a Redis Cluster of 3
 * primaries: the streams of a test spread over the shards, each reader reads them per slot.
 */
class RedisStreamSourceClusterConformanceITCase extends RedisStreamSourceConformanceTestBase {

    @TestExternalSystem Cluster redis = new Cluster();

    @TestEnv MiniClusterTestEnvironment flink = new MiniClusterTestEnvironment();

    @TestSemantics
    CheckpointingMode[] semantics = new CheckpointingMode[] {CheckpointingMode.EXACTLY_ONCE};

    @TestContext
    ExternalContextFactory<RedisStreamContext> contexts =
            name -> new RedisStreamContext(redis, name);

    /** A Redis Cluster of 3 primaries without replicas, started for the suite. */
    static final class Cluster implements Deployment {
        private RedisCluster cluster;

        @Override
        public void startUp() throws Exception {
            cluster = RedisCluster.start(3, 0);
        }

        @Override
        public void tearDown() {
            cluster.close();
        }

        @Override
        public String url() {
            return cluster.seedUrls();
        }

        @Override
        public RedisTestClient client() {
            return RedisTestClient.cluster(cluster.seedUrls());
        }
    }
}
