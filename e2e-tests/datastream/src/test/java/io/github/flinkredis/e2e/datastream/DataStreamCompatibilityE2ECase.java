package io.github.flinkredis.e2e.datastream;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisWriteOptions;
import io.github.flinkredis.connector.config.StreamBoundedMode;
import io.github.flinkredis.connector.config.StreamStartupMode;
import io.github.flinkredis.connector.lookup.RedisAsyncLookupFunction;
import io.github.flinkredis.connector.model.RedisRecordDeserializer;
import io.github.flinkredis.connector.model.RedisStreamPositions;
import io.github.flinkredis.connector.sink.RedisMutation;
import io.github.flinkredis.connector.sink.RedisSink;
import io.github.flinkredis.connector.source.RedisSource;
import io.github.flinkredis.connector.source.stream.RedisStreamSource;
import io.github.flinkredis.testutils.RedisExtension;
import io.github.flinkredis.testutils.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The DataStream API of the connector in a job on the Flink line this module is built for (the
 * module's {@code ds.flink.version}: 1.20 or 2.0; the connector is compiled against 2.2): a bounded
 * scan restored from a checkpoint, a bounded read of a stream, the sink, and async lookups, each
 * with exact results read back from Redis or collected.
 */
@ExtendWith(RedisExtension.class)
class DataStreamCompatibilityE2ECase {

    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension();

    private static final AtomicBoolean FAILED = new AtomicBoolean();

    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private RedisCommands<String, String> redis;
    private String url;

    @BeforeEach
    void connect(RedisServer server) {
        url = server.url();
        client = RedisClient.create(url);
        connection = client.connect();
        redis = connection.sync();
        redis.flushall();
    }

    @AfterEach
    void close() {
        connection.close();
        client.shutdown();
    }

    private RedisConnectionConfig config() {
        return RedisConnectionConfig.fromUrl(url).build();
    }

    private static <T> List<T> collect(DataStream<T> stream) throws Exception {
        List<T> out = new ArrayList<>();
        try (CloseableIterator<T> it = stream.executeAndCollect()) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void aScanRestoredFromACheckpointReadsEveryKeyOnce() throws Exception {
        int keys = 3_000;
        for (int i = 0; i < keys; i++) {
            redis.hset("cp:" + i, "v", Integer.toString(i));
        }
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
                        .setConnectionConfig(config())
                        .setKeyPattern("cp:*")
                        .setFields("v")
                        .setScanCount(100)
                        .setBatchSize(30)
                        .setDeserializer(RedisRecordDeserializer.hashAsMap())
                        .build();

        List<String> result =
                collect(
                        checkedOnce(
                                env.fromSource(source, WatermarkStrategy.noWatermarks(), "redis")
                                        .map(t -> t.f0 + "=" + t.f1.get("v")),
                                new OnceCheck(1_000, 2_000)));

        assertThat(FAILED).isTrue();
        assertThat(result).containsExactly("records=" + keys + " duplicates=0 wrong=0");
    }

    /**
     * {@code check} after {@code in}, chained into the source's task on every Flink line (1.20's
     * operators default to a chain of their own): its wait inside processElement for a checkpoint
     * then runs the task's checkpoint triggers, where a task of its own would wait for a barrier
     * that cannot pass the element it is processing, until the checkpoint times out.
     */
    private static DataStream<String> checkedOnce(DataStream<String> in, OnceCheck check) {
        SingleOutputStreamOperator<String> out = in.transform("once check", Types.STRING, check);
        ((OneInputTransformation<?, ?>) out.getTransformation())
                .setChainingStrategy(ChainingStrategy.ALWAYS);
        return out;
    }

    @Test
    void aStreamIsReadToItsEnd() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            ids.add(redis.xadd("orders", Map.of("n", Integer.toString(i))));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        RedisStreamSource<Tuple2<String, Map<String, String>>> source =
                RedisStreamSource.<Tuple2<String, Map<String, String>>>builder()
                        .setConnectionConfig(config())
                        .setKeyPattern("orders")
                        .setFields(List.of("n"))
                        .setPositions(
                                RedisStreamPositions.of(
                                        StreamStartupMode.EARLIEST,
                                        0,
                                        Map.of(),
                                        StreamBoundedMode.LATEST,
                                        0,
                                        Map.of()))
                        .setDeserializer(RedisRecordDeserializer.hashAsMap())
                        .build();

        List<String> read =
                collect(
                        env.fromSource(source, WatermarkStrategy.noWatermarks(), "orders")
                                .map(t -> t.f1.get("n")));

        assertThat(read)
                .containsExactlyElementsOf(
                        LongStream.range(0, 500)
                                .mapToObj(Long::toString)
                                .collect(Collectors.toList()));
    }

    @Test
    void theSinkWritesEveryElement() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromData(LongStream.rangeClosed(1, 1_000).boxed().toArray(Long[]::new))
                .sinkTo(
                        RedisSink.<Long>builder()
                                .setConnectionConfig(config())
                                .setDataType(RedisDataType.STRING)
                                .setSerializer(
                                        i ->
                                                RedisMutation.string(
                                                        ("out:" + i)
                                                                .getBytes(StandardCharsets.UTF_8),
                                                        ("v" + i).getBytes(StandardCharsets.UTF_8)))
                                .build());
        env.execute();

        assertThat(redis.dbsize()).isEqualTo(1_000);
        for (long i = 1; i <= 1_000; i++) {
            assertThat(redis.get("out:" + i)).isEqualTo("v" + i);
        }
    }

    @Test
    void aRowRedisRefusesIsDeadLettered() throws Exception {
        redis.set("h:7", "a string");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        byte[][] field = {"f".getBytes(StandardCharsets.UTF_8)};
        env.fromData(LongStream.rangeClosed(1, 10).boxed().toArray(Long[]::new))
                .sinkTo(
                        RedisSink.<Long>builder()
                                .setConnectionConfig(config())
                                .setWriteOptions(
                                        RedisWriteOptions.defaults(RedisDataType.HASH)
                                                .withDeadLetterStream("dlq", 1_000))
                                .setSerializer(
                                        i ->
                                                RedisMutation.hash(
                                                        ("h:" + i).getBytes(StandardCharsets.UTF_8),
                                                        field,
                                                        new byte[][] {
                                                            ("v" + i)
                                                                    .getBytes(
                                                                            StandardCharsets.UTF_8)
                                                        }))
                                .build());
        env.execute();

        assertThat(redis.get("h:7")).isEqualTo("a string");
        assertThat(redis.hget("h:8", "f")).isEqualTo("v8");
        List<Map<String, String>> letters =
                redis.xrange("dlq", io.lettuce.core.Range.create("-", "+")).stream()
                        .map(io.lettuce.core.StreamMessage::getBody)
                        .collect(Collectors.toList());
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0))
                .containsEntry("key", "h:7")
                .containsEntry("command", "HSET")
                .containsEntry("row", "{\"fields\":{\"f\":\"v7\"}}");
    }

    @Test
    void asyncLookupsJoinEveryElement() throws Exception {
        for (int i = 0; i < 100; i++) {
            redis.hset("user:" + i, Map.of("name", "n" + i, "tier", i % 2 == 0 ? "gold" : "blue"));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        RedisAsyncLookupFunction<Long, Tuple2<String, Map<String, String>>, String> lookup =
                RedisAsyncLookupFunction
                        .<Long, Tuple2<String, Map<String, String>>, String>builder()
                        .setConnectionConfig(config())
                        .setFields("name", "tier")
                        .setKeyFunction(i -> "user:" + i)
                        .setDeserializer(RedisRecordDeserializer.hashAsMap())
                        .setJoiner(
                                (i, user) ->
                                        i + " " + user.f1.get("name") + " " + user.f1.get("tier"),
                                Types.STRING)
                        .build();
        // ids 0..149: 100 users exist, 50 do not (no match: dropped)
        DataStream<Long> ids = env.fromData(LongStream.range(0, 150).boxed().toArray(Long[]::new));

        List<String> joined =
                collect(AsyncDataStream.orderedWait(ids, lookup, 30, TimeUnit.SECONDS, 100));

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expected.add(i + " n" + i + " " + (i % 2 == 0 ? "gold" : "blue"));
        }
        assertThat(joined).containsExactlyElementsOf(expected);
    }

    /**
     * Counts the records it sees in its state (each {@code key=value}, the value the key's number),
     * waits at the {@code pauseAt}-th for a checkpoint to complete (yielding to the task's mailbox,
     * so the checkpoint is taken meanwhile), and fails once at the {@code failAt}-th, so that the
     * job restarts from that checkpoint. At the end it emits its counts.
     */
    static final class OnceCheck extends AbstractStreamOperator<String>
            implements OneInputStreamOperator<String, String>, BoundedOneInput {

        private final int pauseAt;
        private final int failAt;
        private transient MailboxExecutor mailbox;
        private transient org.apache.flink.api.common.state.ListState<String> seenState;
        private transient java.util.Set<String> seen;
        private transient long duplicates;
        private transient long wrong;
        private transient long completedCheckpoints;

        OnceCheck(int pauseAt, int failAt) {
            this.pauseAt = pauseAt;
            this.failAt = failAt;
        }

        @Override
        public void open() throws Exception {
            super.open();
            mailbox =
                    getContainingTask()
                            .getMailboxExecutorFactory()
                            .createExecutor(TaskMailbox.MIN_PRIORITY);
        }

        @Override
        public void initializeState(StateInitializationContext context) throws Exception {
            super.initializeState(context);
            seenState =
                    context.getOperatorStateStore()
                            .getListState(
                                    new org.apache.flink.api.common.state.ListStateDescriptor<>(
                                            "seen", Types.STRING));
            seen = new java.util.HashSet<>();
            for (String s : seenState.get()) {
                if (s.startsWith("#duplicates=")) {
                    duplicates = Long.parseLong(s.substring("#duplicates=".length()));
                } else if (s.startsWith("#wrong=")) {
                    wrong = Long.parseLong(s.substring("#wrong=".length()));
                } else {
                    seen.add(s);
                }
            }
        }

        @Override
        public void snapshotState(StateSnapshotContext context) throws Exception {
            super.snapshotState(context);
            List<String> state = new ArrayList<>(seen);
            state.add("#duplicates=" + duplicates);
            state.add("#wrong=" + wrong);
            seenState.update(state);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            super.notifyCheckpointComplete(checkpointId);
            completedCheckpoints++;
        }

        @Override
        public void processElement(StreamRecord<String> element) throws Exception {
            if (seen.size() == pauseAt && !FAILED.get()) {
                long target = completedCheckpoints + 1;
                while (completedCheckpoints < target) {
                    mailbox.yield();
                }
            }
            String record = element.getValue();
            int eq = record.indexOf('=');
            if (!record.substring(0, eq).equals("cp:" + record.substring(eq + 1))) {
                wrong++;
            }
            if (!seen.add(record.substring(0, eq))) {
                duplicates++;
            }
            if (seen.size() == failAt && !FAILED.getAndSet(true)) {
                throw new RuntimeException("injected failure after " + failAt + " records");
            }
        }

        @Override
        public void endInput() {
            output.collect(
                    new StreamRecord<>(
                            "records="
                                    + seen.size()
                                    + " duplicates="
                                    + duplicates
                                    + " wrong="
                                    + wrong));
        }
    }
}
