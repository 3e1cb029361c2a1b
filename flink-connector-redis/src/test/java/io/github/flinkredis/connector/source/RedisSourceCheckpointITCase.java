package io.github.flinkredis.connector.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.RedisITCaseBase;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.model.RedisMemberRange;
import io.github.flinkredis.connector.model.RedisRecordDeserializer;
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
import org.junit.jupiter.params.ParameterizedTest;
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
    static final AtomicBoolean FAILED = new AtomicBoolean();
    static final String BAD = "BAD:";

    @Test
    void restoreMidScanEmitsEveryKeyExactlyOnce() throws Exception {
        client.loadHashes(KEYS, i -> "cp:" + i, i -> Map.of("v", Integer.toString(i)));
        StreamExecutionEnvironment env = restartOnceEnvironment();

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
                .map(t -> t.f0.equals("cp:" + t.f1.get("v")) ? t.f0 : BAD + t.f0)
                .transform("exactly-once check", Types.STRING, new ExactlyOnceCheck(2_345, 4_000))
                .executeAndCollect()
                .forEachRemaining(result::add);

        assertThat(FAILED).isTrue();
        assertThat(result).containsExactly("records=" + KEYS + " duplicates=0 badValues=0");
    }

    /**
     * An environment at parallelism 1 that checkpoints every 50 ms and restarts a failed job once,
     * for the failure {@link ExactlyOnceCheck} injects.
     */
    static StreamExecutionEnvironment restartOnceEnvironment() {
        FAILED.set(false);
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1);
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, java.time.Duration.ZERO);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.enableCheckpointing(50);
        return env;
    }

    /**
     * Members of each of the 3 keys of the collection tests: a first page of 128, then 13 full
     * pages of 300 and an empty last one (for lists), whose held-back member closes the key.
     */
    private static final int MEMBERS = 128 + 13 * 300;

    /**
     * A checkpoint taken in the middle of a large set, list, sorted set or stream, and a restore
     * after a failure in the middle of another: the split state holds the open key and the position
     * in it, so every member is emitted exactly once.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"set", "list", "zset", "stream"})
    void restoreMidKeyEmitsEveryMemberExactlyOnce(String type) throws Exception {
        for (int k = 0; k < 3; k++) {
            String key = "cs:" + k;
            switch (type) {
                case "set":
                    client.load(MEMBERS, (c, i) -> c.sadd(key, "m" + i));
                    break;
                case "list":
                    client.load(MEMBERS, (c, i) -> c.rpush(key, "e" + i));
                    break;
                case "stream":
                    client.load(
                            MEMBERS,
                            (c, i) ->
                                    c.xadd(
                                            key,
                                            new io.lettuce.core.XAddArgs().id((i + 1) + "-0"),
                                            Map.of("n", Integer.toString(i))));
                    break;
                default:
                    client.load(MEMBERS, (c, i) -> c.zadd(key, i, "m" + i));
            }
        }
        StreamExecutionEnvironment env = restartOnceEnvironment();
        RedisDataType dataType = RedisDataType.fromOption("data-type", type);
        // a sorted set read from score 100: a first ZRANGE BYSCORE page, then pages by rank
        int minScore = dataType == RedisDataType.ZSET ? 100 : 0;
        RedisSource<Tuple2<String, Map<String, String>>> source =
                RedisSource.<Tuple2<String, Map<String, String>>>builder()
                        .setConnectionConfig(RedisConnectionConfig.fromUrl(redisUrl()).build())
                        .setKeyPattern("cs:*")
                        .setDataType(dataType)
                        .setMemberPageSize(300)
                        .setMemberRange(
                                dataType == RedisDataType.ZSET
                                        ? RedisMemberRange.scores(
                                                minScore, true, Double.POSITIVE_INFINITY, true)
                                        : RedisMemberRange.ALL)
                        .setDeserializer(RedisRecordDeserializer.hashAsMap())
                        .build();

        List<String> result = new ArrayList<>();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "redis")
                .map(t -> memberId(type, t))
                .transform("exactly-once check", Types.STRING, new ExactlyOnceCheck(2_345, 6_000))
                .executeAndCollect()
                .forEachRemaining(result::add);

        assertThat(FAILED).isTrue();
        assertThat(result)
                .containsExactly(
                        "records=" + 3 * (MEMBERS - minScore) + " duplicates=0 badValues=0");
    }

    /** The key and member of a record, marked bad if its parts do not fit together. */
    private static String memberId(String type, Tuple2<String, Map<String, String>> t) {
        Map<String, String> m = t.f1;
        boolean good;
        String id;
        switch (type) {
            case "set":
                id = m.get("member");
                good = m.size() == 1;
                break;
            case "list":
                id = m.get("element");
                good = id.equals("e" + m.get("index"));
                break;
            case "stream":
                id = m.get("n");
                good = m.size() == 1;
                break;
            default:
                id = m.get("member");
                long n = Long.parseLong(id.substring(1));
                good =
                        Double.parseDouble(m.get("score")) == n
                                && Long.parseLong(m.get("rank")) == n;
        }
        return (good ? "" : BAD) + t.f0 + "/" + id;
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
     * Keeps the records it saw (ids, prefixed with {@link #BAD} where their values do not fit their
     * key) in operator state and counts duplicates. At the {@code pauseAt}-th key it waits,
     * processing mails, until a checkpoint completes (so that one is taken mid-scan); at the {@code
     * failAt}-th key it fails once. At the end it emits its counts.
     */
    static final class ExactlyOnceCheck extends AbstractStreamOperator<String>
            implements OneInputStreamOperator<String, String>, BoundedOneInput {

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
        public void processElement(StreamRecord<String> element) throws Exception {
            if (keys.size() == pauseAt && !FAILED.get()) {
                long target = completedCheckpoints + 1;
                while (completedCheckpoints < target) {
                    mailbox.yield();
                }
            }
            String id = element.getValue();
            if (id.startsWith(BAD)) {
                badValues++;
                id = id.substring(BAD.length());
            }
            if (!keys.add(id)) {
                duplicates++;
            }
            if (keys.size() == failAt && !FAILED.getAndSet(true)) {
                throw new RuntimeException("injected failure after " + failAt + " keys");
            }
        }

        @Override
        public void endInput() {
            output.collect(
                    new StreamRecord<>(
                            "records="
                                    + keys.size()
                                    + " duplicates="
                                    + duplicates
                                    + " badValues="
                                    + badValues));
        }
    }
}
