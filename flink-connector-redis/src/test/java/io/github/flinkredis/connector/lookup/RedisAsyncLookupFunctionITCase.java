package io.github.flinkredis.connector.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.flinkredis.connector.RedisITCaseBase;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.model.RedisRecord;
import io.github.flinkredis.connector.model.RedisRecordDeserializer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.async.CollectionSupplier;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lookups from the DataStream API: {@link RedisAsyncLookupFunction} in {@code AsyncDataStream} jobs
 * against a standalone server and a Redis Cluster, with exact outputs, Redis command counts, and
 * failures that name the key.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"standalone", "cluster"})
class RedisAsyncLookupFunctionITCase extends RedisITCaseBase {

    @Parameter String deployment;

    @Override
    protected String deployment() {
        return deployment;
    }

    /** Orders (id, user id); user id 0 has no key. */
    private static final List<Tuple2<Integer, Integer>> ORDERS =
            List.of(
                    Tuple2.of(1, 1),
                    Tuple2.of(2, 2),
                    Tuple2.of(3, 9),
                    Tuple2.of(4, 3),
                    Tuple2.of(5, 1),
                    Tuple2.of(6, 0));

    @BeforeEach
    void loadUsers() {
        client.hset("user:1", Map.of("name", "alice", "tier", "gold"));
        client.hset("user:2", Map.of("name", "bob"));
        client.hset("user:3", Map.of("tier", "silver", "other", "x"));
        client.resetStats();
    }

    private RedisConnectionConfig config() {
        return RedisConnectionConfig.fromUrl(redisUrl()).build();
    }

    private RedisAsyncLookupFunction.Builder<
                    Tuple2<Integer, Integer>, Tuple2<String, Map<String, String>>, String>
            users() {
        return RedisAsyncLookupFunction
                .<Tuple2<Integer, Integer>, Tuple2<String, Map<String, String>>, String>builder()
                .setConnectionConfig(config())
                .setFields("name", "tier")
                .setKeyFunction(order -> order.f1 == 0 ? null : "user:" + order.f1)
                .setDeserializer(RedisRecordDeserializer.hashAsMap())
                .setJoiner(
                        (order, user) ->
                                order.f0
                                        + ":"
                                        + (user == null
                                                ? "-"
                                                : user.f0
                                                        + "/"
                                                        + user.f1.get("name")
                                                        + "/"
                                                        + user.f1.get("tier")),
                        Types.STRING);
    }

    private static <V> List<String> run(
            RedisAsyncLookupFunction<Tuple2<Integer, Integer>, V, String> lookup) throws Exception {
        return lookups(lookup, 30_000, ORDERS).executeAndCollect(100);
    }

    /**
     * Runs the job into a discarding sink and returns how it failed: the job's own failure, with
     * its causes (a collecting iterator may fail first with a message of its own). The orders are
     * followed by many more, so that the source has not ended when a lookup fails: otherwise its
     * end, lost by the failed task, may be reported as the job's failure instead.
     */
    private static <V> String failure(
            RedisAsyncLookupFunction<Tuple2<Integer, Integer>, V, String> lookup,
            long timeoutMillis) {
        List<Tuple2<Integer, Integer>> orders = new ArrayList<>(ORDERS);
        for (int i = 0; i < 100_000; i++) {
            orders.add(Tuple2.of(100 + i, 1));
        }
        DataStream<String> out = lookups(lookup, timeoutMillis, orders);
        out.sinkTo(new DiscardingSink<>());
        Throwable failure =
                catchThrowable(() -> out.getExecutionEnvironment().execute("lookup failure"));
        assertThat(failure).as("the job's failure").isNotNull();
        return ExceptionUtils.stringifyException(failure);
    }

    private static <V> DataStream<String> lookups(
            RedisAsyncLookupFunction<Tuple2<Integer, Integer>, V, String> lookup,
            long timeoutMillis,
            List<Tuple2<Integer, Integer>> input) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        DataStream<Tuple2<Integer, Integer>> orders =
                env.fromData(input, Types.TUPLE(Types.INT, Types.INT));
        return AsyncDataStream.orderedWait(
                orders, lookup, timeoutMillis, TimeUnit.MILLISECONDS, 10);
    }

    @Test
    void elementsAreJoinedWithTheirHashesInnerAndLeft() throws Exception {
        assertThat(run(users().build()))
                .containsExactly(
                        "1:user:1/alice/gold",
                        "2:user:2/bob/null",
                        "4:user:3/null/silver",
                        "5:user:1/alice/gold");
        // one HMGET per element with a key; EXISTS only where every field was nil (user:9)
        assertThat(client.calls("hmget")).isEqualTo(5);
        assertThat(client.calls("exists")).isEqualTo(1);

        assertThat(run(users().setKeepUnmatched(true).build()))
                .containsExactly(
                        "1:user:1/alice/gold",
                        "2:user:2/bob/null",
                        "3:-",
                        "4:user:3/null/silver",
                        "5:user:1/alice/gold",
                        "6:-");
    }

    /** A string's value and TTL, as text: {@code value|ttl set}. */
    private static final class ValueAndTtl implements RedisRecordDeserializer<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(RedisRecord record, Collector<String> out) {
            if (!"skip".equals(new String(record.values()[0], StandardCharsets.UTF_8))) {
                out.collect(
                        new String(record.values()[0], StandardCharsets.UTF_8)
                                + "|"
                                + (record.ttlMillis() > 0 ? "ttl" : "no ttl"));
            }
        }

        @Override
        public TypeInformation<String> getProducedType() {
            return Types.STRING;
        }
    }

    @Test
    void stringValuesWithTheirTtl() throws Exception {
        client.set("price:1", "12.5");
        client.pexpire("price:1", 600_000);
        client.set("price:2", "7");
        client.set("price:3", "skip"); // the deserializer emits nothing: no match
        RedisAsyncLookupFunction<Tuple2<Integer, Integer>, String, String> lookup =
                RedisAsyncLookupFunction.<Tuple2<Integer, Integer>, String, String>builder()
                        .setConnectionConfig(config())
                        .setDataType(RedisDataType.STRING)
                        .setFetchTtl(true)
                        .setKeyFunction(order -> "price:" + order.f1)
                        .setDeserializer(new ValueAndTtl())
                        .setJoiner(
                                (order, price) -> order.f0 + "=" + (price == null ? "?" : price),
                                Types.STRING)
                        .setKeepUnmatched(true)
                        .build();

        assertThat(run(lookup))
                .containsExactly("1=12.5|ttl", "2=7|no ttl", "3=?", "4=?", "5=12.5|ttl", "6=?");
        assertThat(client.calls("get")).isEqualTo(6);
        assertThat(client.calls("pttl")).isEqualTo(6);
    }

    @Test
    void zsetMembersAreReadWithTheirScoreAndRank() throws Exception {
        client.sync().zadd("board", 1.5, "a");
        client.sync().zadd("board", 2, "b");
        client.resetStats();
        RedisAsyncLookupFunction<
                        Tuple2<Integer, Integer>, Tuple2<String, Map<String, String>>, String>
                lookup =
                        RedisAsyncLookupFunction
                                .<Tuple2<Integer, Integer>, Tuple2<String, Map<String, String>>,
                                        String>
                                        builder()
                                .setConnectionConfig(config())
                                .setDataType(RedisDataType.ZSET)
                                .setFields("score", "rank")
                                .setKeyFunction(order -> "board")
                                .setMemberFunction(
                                        order ->
                                                order.f1 == 0
                                                        ? null
                                                        : order.f1 == 1
                                                                ? "a"
                                                                : order.f1 == 2 ? "b" : "zz")
                                .setDeserializer(RedisRecordDeserializer.hashAsMap())
                                .setJoiner(
                                        (order, m) ->
                                                order.f0
                                                        + ":"
                                                        + (m == null
                                                                ? "-"
                                                                : m.f1.get("score")
                                                                        + "/"
                                                                        + m.f1.get("rank")),
                                        Types.STRING)
                                .setKeepUnmatched(true)
                                .build();

        assertThat(run(lookup))
                .containsExactly("1:1.5/0", "2:2.0/1", "3:-", "4:-", "5:1.5/0", "6:-");
        // no command for the element without a member
        assertThat(client.calls("zscore")).isEqualTo(5);
        assertThat(client.calls("zrank")).isEqualTo(5);
    }

    @Test
    void aKeyOfAnotherTypeFailsTheJobNamingKeyAndCommand() {
        client.del("user:2");
        client.set("user:2", "not a hash");

        assertThat(failure(users().build(), 30_000))
                .contains("Lookup of key 'user:2': HMGET answered 'WRONGTYPE")
                .contains(
                        "the key does not hold a hash, as"
                                + " RedisAsyncLookupFunction.Builder#setDataType says");
    }

    @Test
    void aJoinerThatThrowsFailsTheJobNamingTheKey() {
        RedisAsyncLookupFunction<
                        Tuple2<Integer, Integer>, Tuple2<String, Map<String, String>>, String>
                lookup =
                        users().setJoiner(
                                        (order, user) -> {
                                            if (order.f1 == 2) {
                                                throw new IllegalStateException("no bob");
                                            }
                                            return "ok";
                                        },
                                        Types.STRING)
                                .build();

        assertThat(failure(lookup, 30_000))
                .contains("Lookup of key 'user:2': the joiner failed: no bob");
    }

    @Test
    void aJoinerThatReturnsNullFailsTheJobNamingTheKey() {
        RedisAsyncLookupFunction<
                        Tuple2<Integer, Integer>, Tuple2<String, Map<String, String>>, String>
                lookup = users().setJoiner((order, user) -> null, Types.STRING).build();

        assertThat(failure(lookup, 30_000))
                .containsPattern(
                        "Lookup of key 'user:\\d': the joiner returned null, which a stream"
                                + " cannot carry");
    }

    @Test
    void anUnreachableServerFailsAfterTheRetriesNamingTheKey() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        RedisAsyncLookupFunction<
                        Tuple2<Integer, Integer>, Tuple2<String, Map<String, String>>, String>
                lookup =
                        users().setConnectionConfig(
                                        RedisConnectionConfig.builder()
                                                .node("127.0.0.1", port)
                                                .build())
                                .setMaxRetries(1)
                                .build();

        // several elements retry at once: whichever runs out first fails the job
        assertThat(failure(lookup, 30_000))
                .containsPattern(
                        "Lookup of key 'user:\\d' failed after 2 attempt\\(s\\)"
                                + " \\(RedisAsyncLookupFunction\\.Builder#setMaxRetries = 1\\)");
    }

    @Test
    void aTimeoutNamesTheKey() throws Exception {
        // what AsyncDataStream calls when a lookup is over its timeout
        CompletableFuture<Collection<String>> result = new CompletableFuture<>();
        users().build()
                .timeout(
                        Tuple2.of(1, 7),
                        new ResultFuture<>() {
                            @Override
                            public void complete(Collection<String> out) {
                                result.complete(out);
                            }

                            @Override
                            public void completeExceptionally(Throwable error) {
                                result.completeExceptionally(error);
                            }

                            @Override
                            public void complete(CollectionSupplier<String> supplier) {
                                throw new UnsupportedOperationException();
                            }
                        });

        assertThatThrownBy(result::get)
                .hasCauseInstanceOf(TimeoutException.class)
                .hasMessageContaining(
                        "Lookup of key 'user:7' did not complete within the timeout given to"
                                + " AsyncDataStream");
    }

    @Test
    void incompleteOrUnsupportedBuildsFailNamingWhatIsMissing() {
        assertThatThrownBy(() -> RedisAsyncLookupFunction.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "RedisAsyncLookupFunction needs setConnectionConfig, setKeyFunction,"
                                + " setDeserializer, setJoiner");
        assertThatThrownBy(() -> users().setFields().build())
                .hasMessage(
                        "RedisAsyncLookupFunction of hash values needs the fields to read"
                                + " (setFields)");
        assertThatThrownBy(() -> users().setDataType(RedisDataType.SET).build())
                .hasMessage(
                        "RedisAsyncLookupFunction reads hash, json, string or zset keys, not set;"
                                + " supported: [hash, json, string, zset]");
        assertThatThrownBy(() -> users().setDataType(RedisDataType.ZSET).setFields().build())
                .hasMessage("RedisAsyncLookupFunction of zset members needs setMemberFunction");
        assertThatThrownBy(
                        () ->
                                users().setDataType(RedisDataType.ZSET)
                                        .setMemberFunction(order -> "a")
                                        .build())
                .hasMessage(
                        "A zset member's record has the fields [member, score, rank]: setFields"
                                + " [name, tier] does not apply");
        assertThatThrownBy(() -> users().setMemberFunction(order -> "a").build())
                .hasMessage("setMemberFunction applies to zset keys only, not hash");
        assertThatThrownBy(() -> users().setDataType(RedisDataType.STRING).build())
                .hasMessage(
                        "A string has one value: setFields [name, tier] does not apply (its"
                                + " record's field is 'value')");
        assertThatThrownBy(() -> users().setMaxRetries(-1).build())
                .hasMessage("setMaxRetries must be >= 0, was -1");
    }
}
