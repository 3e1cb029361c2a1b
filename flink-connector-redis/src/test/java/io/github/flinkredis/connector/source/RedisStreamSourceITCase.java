package io.github.flinkredis.connector.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.RedisITCaseBase;
import io.github.flinkredis.connector.RedisTestClient;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.model.RedisRecord;
import io.github.flinkredis.connector.model.RedisRecordDeserializer;
import io.github.flinkredis.connector.model.RedisStreamConsumer;
import io.github.flinkredis.connector.source.stream.RedisStreamSource;
import io.github.flinkredis.testutils.RedisCluster;
import io.github.flinkredis.testutils.RedisServer;
import io.lettuce.core.Consumer;
import io.lettuce.core.XReadArgs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.apache.flink.util.function.ThrowingRunnable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The DataStream stream source under failures: a job that fails after a checkpoint while entries
 * keep arriving emits every entry exactly once (through the checkpointed collect sink), and a Redis
 * server restarted under a running job is reconnected to without a failover.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"standalone", "cluster"})
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RedisStreamSourceITCase extends RedisITCaseBase {

    private static final List<String> STREAMS = List.of("f:1", "f:2", "f:3");
    private static final int PER_BATCH = 300;

    /** Counted down when a checkpoint that covers emitted entries completes. */
    private static volatile CountDownLatch checkpointed;

    private static final AtomicBoolean FAILED = new AtomicBoolean();
    private static volatile boolean armed;

    @Parameter String deployment;

    @Override
    protected String deployment() {
        return deployment;
    }

    @BeforeEach
    void reset() {
        checkpointed = new CountDownLatch(1);
        FAILED.set(false);
        armed = false;
    }

    /** Emits {@code key/entry ID} per entry. */
    static final class EntryIds implements RedisRecordDeserializer<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(RedisRecord record, Collector<String> out) {
            out.collect(record.keyAsString() + "/" + record.entryId());
        }

        @Override
        public TypeInformation<String> getProducedType() {
            return Types.STRING;
        }
    }

    /** Fails the job once, at the first record after a checkpoint that covered some records. */
    static final class FailOnceAfterCheckpoint extends RichMapFunction<String, String>
            implements CheckpointListener {
        private long seen;

        @Override
        public String map(String value) {
            seen++;
            if (armed && FAILED.compareAndSet(false, true)) {
                throw new RuntimeException("injected failure");
            }
            return value;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            if (seen > 0) {
                armed = true;
                checkpointed.countDown();
            }
        }
    }

    private List<String> addBatch(RedisTestClient c) {
        List<String> ids = new ArrayList<>();
        for (String key : STREAMS) {
            for (int i = 0; i < PER_BATCH; i++) {
                ids.add(key + "/" + c.sync().xadd(key, Map.of("n", Integer.toString(i))));
            }
        }
        return ids;
    }

    private RedisStreamSource<String> source(String url) {
        return RedisStreamSource.<String>builder()
                .setConnectionConfig(RedisConnectionConfig.fromUrl(url).build())
                .setKeyPattern("f:*")
                .setCount(50)
                .setDeserializer(new EntryIds())
                .build();
    }

    @Test
    void aFailureAfterACheckpointLosesAndRepeatsNoEntry() throws Exception {
        failAfterCheckpoint(source(redisUrl()));
    }

    @Test
    void aConsumerGroupLosesAndRepeatsNoEntryAcrossAFailure() throws Exception {
        failAfterCheckpoint(
                RedisStreamSource.<String>builder()
                        .setConnectionConfig(RedisConnectionConfig.fromUrl(redisUrl()).build())
                        .setKeyPattern("f:*")
                        .setCount(50)
                        .setConsumer(new RedisStreamConsumer("g", "c"))
                        .setDeserializer(new EntryIds())
                        .build(),
                () -> {
                    // every entry emitted is acknowledged once a checkpoint holding it completes
                    for (String key : STREAMS) {
                        RedisCluster.await(
                                "the consumer group of " + key + " has no pending entry",
                                () -> client.sync().xpending(key, "g").getCount() == 0);
                    }
                });
    }

    @Test
    void claimingTheEntriesOfADeadConsumerLosesAndRepeatsNoneAcrossAFailure() throws Exception {
        failAfterCheckpoint(
                RedisStreamSource.<String>builder()
                        .setConnectionConfig(RedisConnectionConfig.fromUrl(redisUrl()).build())
                        .setKeyPattern("f:*")
                        .setCount(50)
                        .setConsumer(
                                new RedisStreamConsumer("g", "c")
                                        .withClaimMinIdle(Duration.ofMillis(20)))
                        .setDeserializer(new EntryIds())
                        .build(),
                () -> {
                    // a consumer 'dead' was delivered the first 120 entries of each stream and
                    // never acknowledged them
                    for (String key : STREAMS) {
                        client.sync().xgroupCreate(XReadArgs.StreamOffset.from(key, "0"), "g");
                        client.sync()
                                .xreadgroup(
                                        Consumer.from("g", "dead"),
                                        XReadArgs.Builder.count(120),
                                        XReadArgs.StreamOffset.lastConsumed(key));
                    }
                },
                () -> {
                    for (String key : STREAMS) {
                        RedisCluster.await(
                                "the consumer group of " + key + " has no pending entry",
                                () -> client.sync().xpending(key, "g").getCount() == 0);
                    }
                });
    }

    private void failAfterCheckpoint(RedisStreamSource<String> source) throws Exception {
        failAfterCheckpoint(source, () -> {});
    }

    /**
     * Runs {@code source} through a map that fails once after a checkpoint while a second batch
     * arrives; checks every entry came exactly once, then, with the job still running, {@code
     * whileRunning}.
     */
    private void failAfterCheckpoint(
            RedisStreamSource<String> source, ThrowingRunnable<Exception> whileRunning)
            throws Exception {
        failAfterCheckpoint(source, () -> {}, whileRunning);
    }

    /** As above, running {@code beforeStart} after the first batch was added. */
    private void failAfterCheckpoint(
            RedisStreamSource<String> source,
            ThrowingRunnable<Exception> beforeStart,
            ThrowingRunnable<Exception> whileRunning)
            throws Exception {
        List<String> expected = addBatch(client);
        beforeStart.run();
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(50);

        List<String> out = new ArrayList<>();
        try (CloseableIterator<String> it =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "streams")
                        .map(new FailOnceAfterCheckpoint())
                        .executeAndCollect()) {
            assertThat(checkpointed.await(2, TimeUnit.MINUTES)).isTrue();
            // entries keep arriving: the first of them fails the job, which restarts from the
            // last checkpoint
            expected.addAll(addBatch(client));
            while (out.size() < expected.size()) {
                out.add(it.next());
            }
            whileRunning.run();
        }

        assertThat(FAILED).isTrue();
        assertThat(out).hasSameSizeAs(expected);
        assertThat(new HashSet<>(out)).isEqualTo(new HashSet<>(expected));
    }

    @Test
    void aRedisRestartUnderARunningJobIsReconnectedToWithoutFailover() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(
                isCluster(), "a restarted cluster node is covered by the cluster failover tests");
        try (RedisServer server =
                        RedisServer.startLocal(
                                List.of("--appendonly", "yes", "--appendfsync", "always"));
                RedisTestClient c = RedisTestClient.standalone(server.url())) {
            List<String> expected = addBatch(c);
            Configuration conf = new Configuration();
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(1);

            Set<String> out = new HashSet<>();
            int received = 0;
            try (CloseableIterator<String> it =
                    env.fromSource(source(server.url()), WatermarkStrategy.noWatermarks(), "s")
                            .executeAndCollect()) {
                while (received < expected.size()) {
                    out.add(it.next());
                    received++;
                }
                server.restart();
                try (RedisTestClient after = RedisTestClient.standalone(server.url())) {
                    expected.addAll(addBatch(after));
                }
                while (received < expected.size()) {
                    out.add(it.next());
                    received++;
                }
            }

            assertThat(out).hasSize(received).isEqualTo(new HashSet<>(expected));
        }
    }
}
