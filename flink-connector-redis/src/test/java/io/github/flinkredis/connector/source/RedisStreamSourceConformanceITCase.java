package io.github.flinkredis.connector.source;

import io.github.flinkredis.connector.RedisTestClient;
import io.github.flinkredis.testutils.RedisServer;
import java.util.List;
import org.apache.flink.connector.testframe.environment.MiniClusterTestEnvironment;
import org.apache.flink.connector.testframe.external.ExternalContextFactory;
import org.apache.flink.connector.testframe.junit.annotations.TestContext;
import org.apache.flink.connector.testframe.junit.annotations.TestEnv;
import org.apache.flink.connector.testframe.junit.annotations.TestExternalSystem;
import org.apache.flink.connector.testframe.junit.annotations.TestSemantics;
import org.apache.flink.core.execution.CheckpointingMode;

/**
 * Flink's source conformance suite on {@link
 * io.github.flinkredis.connector.source.stream.RedisStreamSource}, against a standalone server.
 */
class RedisStreamSourceConformanceITCase extends RedisStreamSourceConformanceTestBase {

    @TestExternalSystem Standalone redis = new Standalone();

    @TestEnv MiniClusterTestEnvironment flink = new MiniClusterTestEnvironment();

    @TestSemantics
    CheckpointingMode[] semantics = new CheckpointingMode[] {CheckpointingMode.EXACTLY_ONCE};

    @TestContext
    ExternalContextFactory<RedisStreamContext> contexts =
            name -> new RedisStreamContext(redis, name);

    /** A redis-server started for the suite. */
    static final class Standalone implements Deployment {
        private RedisServer server;

        @Override
        public void startUp() {
            server = RedisServer.startLocal(List.of());
        }

        @Override
        public void tearDown() {
            server.close();
        }

        @Override
        public String url() {
            return server.url();
        }

        @Override
        public RedisTestClient client() {
            return RedisTestClient.standalone(server.url());
        }
    }
}
