package io.github.flinkredis.connector.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkredis.connector.RedisTestClient;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.model.RedisRecord;
import io.github.flinkredis.testutils.RedisExtension;
import io.github.flinkredis.testutils.RedisFaultProxy;
import io.github.flinkredis.testutils.RedisServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.testutils.MetricListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The lookup metrics of the point reads, against a real server (and a proxy that drops). */
@ExtendWith(RedisExtension.class)
class RedisLookupMetricsITCase {

    private RedisServer redis;
    private RedisTestClient client;
    private final MetricListener metrics = new MetricListener();
    private RedisPointReader reads;

    @BeforeEach
    void setUp(RedisServer server) {
        redis = server;
        client = RedisTestClient.standalone(server.url());
        client.flushAll();
        client.hset("user:1", Map.of("name", "ann"));
        client.set("user:2", "a string, not a hash");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (reads != null) {
            reads.close();
        }
    }

    private RedisPointReader open(String url) {
        reads =
                new RedisPointReader(
                        RedisConnectionConfig.fromUrl(url).build(),
                        RedisDataType.HASH,
                        List.of("name"),
                        "$",
                        false,
                        3,
                        "retries",
                        "type");
        reads.open(metrics.getMetricGroup());
        return reads;
    }

    private static byte[] key(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    private long counter(String name) {
        return metrics.getCounter(name).orElseThrow().getCount();
    }

    @Test
    void countsLookupsMissesAndFailuresAndTimesEachRead() throws Exception {
        RedisPointReader r = open(redis.url());

        RedisRecord found = r.read(key("user:1"), null).get(10, TimeUnit.SECONDS);
        RedisRecord missing = r.read(key("user:404"), null).get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> r.read(key("user:2"), null).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("WRONGTYPE");

        assertThat(new String(found.values()[0], StandardCharsets.UTF_8)).isEqualTo("ann");
        assertThat(missing).isNull();
        assertThat(counter(RedisLookupMetrics.LOOKUPS)).isEqualTo(3);
        assertThat(counter(RedisLookupMetrics.MISSES)).isEqualTo(1);
        assertThat(counter(RedisLookupMetrics.FAILURES)).isEqualTo(1);
        assertThat(counter(RedisLookupMetrics.RETRIES)).isZero();
        Histogram latency = metrics.getHistogram(RedisLookupMetrics.LATENCY).orElseThrow();
        assertThat(latency.getCount()).isEqualTo(3);
        assertThat(latency.getStatistics().getMin()).isGreaterThanOrEqualTo(0);
        assertThat(metrics.getMeter(RedisLookupMetrics.LOOKUPS_RATE)).isPresent();
    }

    @Test
    void countsARetryAfterALostConnection() throws Exception {
        try (RedisFaultProxy proxy = RedisFaultProxy.dropOn(redis, 1, "HMGET", "user:1", "name")) {
            RedisPointReader r = open(proxy.url());

            RedisRecord found = r.read(key("user:1"), null).get(10, TimeUnit.SECONDS);

            assertThat(proxy.drops()).isEqualTo(1);
            assertThat(new String(found.values()[0], StandardCharsets.UTF_8)).isEqualTo("ann");
            assertThat(counter(RedisLookupMetrics.RETRIES)).isEqualTo(1);
            assertThat(counter(RedisLookupMetrics.LOOKUPS)).isEqualTo(1);
            assertThat(counter(RedisLookupMetrics.MISSES)).isZero();
            assertThat(counter(RedisLookupMetrics.FAILURES)).isZero();
            // the retry's pause (50 ms) is part of the read's latency
            assertThat(
                            metrics.getHistogram(RedisLookupMetrics.LATENCY)
                                    .orElseThrow()
                                    .getStatistics()
                                    .getMax())
                    .isGreaterThanOrEqualTo(50_000);
        }
    }
}
