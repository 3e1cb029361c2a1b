package io.github.flinkredis.connector.source;

import io.github.flinkredis.connector.RedisTestClient;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.StreamBoundedMode;
import io.github.flinkredis.connector.config.StreamStartupMode;
import io.github.flinkredis.connector.model.RedisRecord;
import io.github.flinkredis.connector.model.RedisRecordDeserializer;
import io.github.flinkredis.connector.model.RedisStreamPositions;
import io.github.flinkredis.connector.source.stream.RedisStreamSource;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.testframe.TestResource;
import org.apache.flink.connector.testframe.external.ExternalSystemSplitDataWriter;
import org.apache.flink.connector.testframe.external.source.DataStreamSourceExternalContext;
import org.apache.flink.connector.testframe.external.source.TestingSourceSettings;
import org.apache.flink.connector.testframe.testsuites.SourceTestSuiteBase;
import org.apache.flink.util.Collector;

/**
 * Flink's conformance suite for sources ({@link SourceTestSuiteBase}: one split, several splits, a
 * savepoint restored at the same, a higher and a lower parallelism, the source metrics, an idle
 * reader, a TaskManager failure) run on {@link RedisStreamSource} with exactly-once semantics: each
 * split is a stream of its own, each record an entry whose field {@code v} holds it. The subclasses
 * declare the test environment, the Redis deployment (the framework takes its annotated fields from
 * the test class) and the contexts.
 */
abstract class RedisStreamSourceConformanceTestBase extends SourceTestSuiteBase<String> {

    /** A Redis deployment started for the suite: its URL and a plain client of it. */
    interface Deployment extends TestResource {
        String url();

        RedisTestClient client();
    }

    /** Emits field {@code v} of each entry. */
    static final class FieldV implements RedisRecordDeserializer<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(RedisRecord record, Collector<String> out) {
            out.collect(new String(record.values()[0], StandardCharsets.UTF_8));
        }

        @Override
        public TypeInformation<String> getProducedType() {
            return Types.STRING;
        }
    }

    /** One stream per split, under a prefix of the test's own. */
    static final class RedisStreamContext implements DataStreamSourceExternalContext<String> {
        private final Deployment redis;
        private final String prefix;
        private final List<AutoCloseable> opened = new ArrayList<>();
        private int splits;

        RedisStreamContext(Deployment redis, String testName) {
            this.redis = redis;
            this.prefix = "conformance:" + testName + ":" + System.nanoTime() + ":";
        }

        @Override
        public Source<String, ?, ?> createSource(TestingSourceSettings settings) {
            boolean bounded = settings.getBoundedness() == Boundedness.BOUNDED;
            return RedisStreamSource.<String>builder()
                    .setConnectionConfig(RedisConnectionConfig.fromUrl(redis.url()).build())
                    .setKeyPattern(prefix + "*")
                    .setFields(List.of("v"))
                    .setPositions(
                            RedisStreamPositions.of(
                                    StreamStartupMode.EARLIEST,
                                    0,
                                    Map.of(),
                                    bounded
                                            ? StreamBoundedMode.LATEST
                                            : StreamBoundedMode.UNBOUNDED,
                                    0,
                                    Map.of()))
                    .setDiscoveryInterval(Duration.ofMillis(100))
                    .setDeserializer(new FieldV())
                    .build();
        }

        @Override
        public ExternalSystemSplitDataWriter<String> createSourceSplitDataWriter(
                TestingSourceSettings settings) {
            String key = prefix + (splits++);
            RedisTestClient client = redis.client();
            opened.add(client);
            return new ExternalSystemSplitDataWriter<>() {
                @Override
                public void writeRecords(List<String> records) {
                    for (String record : records) {
                        client.sync().xadd(key, Map.of("v", record));
                    }
                }

                @Override
                public void close() {}
            };
        }

        @Override
        public List<String> generateTestData(
                TestingSourceSettings settings, int splitIndex, long seed) {
            Random random = new Random(seed);
            int n = 100 + random.nextInt(400);
            List<String> data = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                data.add(splitIndex + "-" + i + "-" + Long.toHexString(random.nextLong()));
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
