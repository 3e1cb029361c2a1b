package io.github.flinkredis.connector.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.RedisITCaseBase;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A checkpoint taken mid-scan and a restore after a failure: every key is emitted exactly once in
 * Flink's state, and the DataStream API of {@link RedisSource}.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"standalone", "cluster"})
class RedisSourceCheckpointITCase extends RedisITCaseBase {

    @Parameter String deployment;

    @Override
    protected String deployment() {
        return deployment;
    }

    private static final int KEYS = 10_000;
    private static final AtomicBoolean FAILED = new AtomicBoolean();

    @Test
    void restoreMidScanEmitsEveryKeyExactlyOnce() throws Exception {
        client.loadHashes(KEYS, i -> "cp:" + i, i -> Map.of("v", Integer.toString(i)));
        FAILED.set(false);
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1);
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, java.time.Duration.ZERO);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.enableCheckpointing(50);

        RedisSource<Tuple2<String, Map<String, String>>> source =
                RedisSource.<Tuple2<String, Map<String, String>>>builder()
                        .setConnectionConfig(RedisConnectionConfig.fromUrl(redisUrl()).build())
                        .setKeyPattern("cp:*")
                        .setFields("v")
                        .setScanCount(100)
                        .setBatchSize(30)
                        .setDeserializer(RedisRecordDeserializer.hashAsMap())
                        .build();

        List<String> result = new ArrayList<>();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "redis")
                .transform("exactly-once check", Types.STRING, new ExactlyOnceCheck(2_345, 4_000))
                .executeAndCollect()
                .forEachRemaining(result::add);

        assertThat(FAILED).isTrue();
        assertThat(result).containsExactly("keys=" + KEYS + " duplicates=0 badValues=0");
    }

    @Test
    void readsEveryFieldWithHgetallWithoutAFieldList() throws Exception {
        client.hset("ds:1", Map.of("a", "1", "b", "2"));
        client.hset("ds:2", Map.of("c", "3"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        RedisSource<Tuple2<String, Map<String, String>>> source =
                RedisSource.<Tuple2<String, Map<String, String>>>builder()
                        .setConnectionConfig(RedisConnectionConfig.fromUrl(redisUrl()).build())
                        .setKeyPattern("ds:*")
                        .setDeserializer(RedisRecordDeserializer.hashAsMap())
                        .build();

        List<Tuple2<String, Map<String, String>>> out = new ArrayList<>();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "redis")
                .executeAndCollect()
                .forEachRemaining(out::add);

        assertThat(out)
                .containsExactlyInAnyOrder(
                        Tuple2.of("ds:1", Map.of("a", "1", "b", "2")),
                        Tuple2.of("ds:2", Map.of("c", "3")));
        assertThat(client.calls("hgetall")).isEqualTo(2);
        assertThat(client.calls("hmget")).isZero();
    }

    /**
     * Keeps the keys it saw in operator state and counts duplicates. At the {@code pauseAt}-th key
     * it waits, processing mails, until a checkpoint completes (so that one is taken mid-scan); at
     * the {@code failAt}-th key it fails once. At the end it emits its counts.
     */
    private static final class ExactlyOnceCheck extends AbstractStreamOperator<String>
            implements OneInputStreamOperator<Tuple2<String, Map<String, String>>, String>,
                    BoundedOneInput {

        private final int pauseAt;
        private final int failAt;
        private transient MailboxExecutor mailbox;
        private transient ListState<String> keysState;
        private transient ListState<Long> countsState;
        private transient Set<String> keys;
        private transient long duplicates;
        private transient long badValues;
        private transient long completedCheckpoints;

        ExactlyOnceCheck(int pauseAt, int failAt) {
            this.pauseAt = pauseAt;
            this.failAt = failAt;
        }

        @Override
        public void open() throws Exception {
            super.open();
            // an executor of the lowest priority: its yield() also runs the task's checkpoint
            // triggers, so a checkpoint is taken while this operator waits inside processElement
            mailbox =
                    getContainingTask()
                            .getMailboxExecutorFactory()
                            .createExecutor(TaskMailbox.MIN_PRIORITY);
        }

        @Override
        public void initializeState(StateInitializationContext context) throws Exception {
            super.initializeState(context);
            keysState =
                    context.getOperatorStateStore()
                            .getListState(new ListStateDescriptor<>("keys", Types.STRING));
            countsState =
                    context.getOperatorStateStore()
                            .getListState(new ListStateDescriptor<>("counts", Types.LONG));
            keys = new HashSet<>();
            for (String key : keysState.get()) {
                keys.add(key);
            }
            List<Long> counts = new ArrayList<>();
            countsState.get().forEach(counts::add);
            duplicates = counts.isEmpty() ? 0 : counts.get(0);
            badValues = counts.isEmpty() ? 0 : counts.get(1);
        }

        @Override
        public void snapshotState(StateSnapshotContext context) throws Exception {
            super.snapshotState(context);
            keysState.update(new ArrayList<>(keys));
            countsState.update(List.of(duplicates, badValues));
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            super.notifyCheckpointComplete(checkpointId);
            completedCheckpoints++;
        }

        @Override
        public void processElement(StreamRecord<Tuple2<String, Map<String, String>>> element)
                throws Exception {
            if (keys.size() == pauseAt && !FAILED.get()) {
                long target = completedCheckpoints + 1;
                while (completedCheckpoints < target) {
                    mailbox.yield();
                }
            }
            Tuple2<String, Map<String, String>> value = element.getValue();
            if (!keys.add(value.f0)) {
                duplicates++;
            }
            if (!value.f0.equals("cp:" + value.f1.get("v"))) {
                badValues++;
            }
            if (keys.size() == failAt && !FAILED.getAndSet(true)) {
                throw new RuntimeException("injected failure after " + failAt + " keys");
            }
        }

        @Override
        public void endInput() {
            output.collect(
                    new StreamRecord<>(
                            "keys="
                                    + keys.size()
                                    + " duplicates="
                                    + duplicates
                                    + " badValues="
                                    + badValues));
        }
    }
}
