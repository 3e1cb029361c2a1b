package io.github.flinkredis.connector.sink;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.testutils.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.testframe.TestResource;
import org.apache.flink.connector.testframe.environment.MiniClusterTestEnvironment;
import org.apache.flink.connector.testframe.external.ExternalContextFactory;
import org.apache.flink.connector.testframe.external.ExternalSystemDataReader;
import org.apache.flink.connector.testframe.external.sink.DataStreamSinkV2ExternalContext;
import org.apache.flink.connector.testframe.external.sink.TestingSinkSettings;
import org.apache.flink.connector.testframe.junit.annotations.TestContext;
import org.apache.flink.connector.testframe.junit.annotations.TestEnv;
import org.apache.flink.connector.testframe.junit.annotations.TestExternalSystem;
import org.apache.flink.connector.testframe.junit.annotations.TestSemantics;
import org.apache.flink.connector.testframe.testsuites.SinkTestSuiteBase;
import org.apache.flink.core.execution.CheckpointingMode;

/**
 * Flink's conformance suite for sinks ({@link SinkTestSuiteBase}: a basic job, restarts from a
 * savepoint at the same, a higher and a lower parallelism, and the sink metrics) run on {@link
 * RedisSink}, with at-least-once semantics: each test writes its records as list elements (RPUSH)
 * under a key of its own, which the data reader reads back with LRANGE.
 */
class RedisSinkConformanceITCase extends SinkTestSuiteBase<String> {

    @TestEnv MiniClusterTestEnvironment flink = new MiniClusterTestEnvironment();

    @TestExternalSystem RedisResource redis = new RedisResource();

    @TestSemantics
    CheckpointingMode[] semantics = new CheckpointingMode[] {CheckpointingMode.AT_LEAST_ONCE};

    @TestContext
    ExternalContextFactory<RedisListContext> contexts = name -> new RedisListContext(redis, name);

    /** A redis-server started for the suite. */
    static final class RedisResource implements TestResource {
        RedisServer server;

        @Override
        public void startUp() {
            server = RedisServer.startLocal(List.of());
        }

        @Override
        public void tearDown() {
            server.close();
        }
    }

    /** Writes each record as an element of one list; reads the list back in order. */
    static final class RedisListContext implements DataStreamSinkV2ExternalContext<String> {
        private final RedisResource redis;
        private final String key;
        private final List<AutoCloseable> opened = new ArrayList<>();

        RedisListContext(RedisResource redis, String testName) {
            this.redis = redis;
            this.key = "conformance:" + testName + ":" + System.nanoTime();
        }

        @Override
        public Sink<String> createSink(TestingSinkSettings settings) {
            byte[] listKey = key.getBytes(StandardCharsets.UTF_8);
            return RedisSink.<String>builder()
                    .setConnectionConfig(RedisConnectionConfig.fromUrl(redis.server.url()).build())
                    .setDataType(RedisDataType.LIST)
                    .setSerializer(
                            s -> RedisMutation.member(listKey, s.getBytes(StandardCharsets.UTF_8)))
                    .build();
        }

        @Override
        public ExternalSystemDataReader<String> createSinkDataReader(TestingSinkSettings settings) {
            RedisClient client = RedisClient.create(redis.server.url());
            StatefulRedisConnection<String, String> connection = client.connect();
            opened.add(connection);
            opened.add(client::shutdown);
            return new ExternalSystemDataReader<>() {
                private long next;

                @Override
                public List<String> poll(Duration timeout) {
                    List<String> elements = connection.sync().lrange(key, next, -1);
                    next += elements.size();
                    return elements;
                }

                @Override
                public void close() {}
            };
        }

        @Override
        public List<String> generateTestData(TestingSinkSettings settings, long seed) {
            Random random = new Random(seed);
            int n = 100 + random.nextInt(400);
            List<String> data = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                data.add(i + "-" + Long.toHexString(random.nextLong()));
            }
            return data;
        }

        @Override
        public TypeInformation<String> getProducedType() {
            return Types.STRING;
        }

        @Override
        public List<URL> getConnectorJarPaths() {
            return List.of();
        }

        @Override
        public void close() throws Exception {
            for (AutoCloseable c : opened) {
                c.close();
            }
        }
    }
}
