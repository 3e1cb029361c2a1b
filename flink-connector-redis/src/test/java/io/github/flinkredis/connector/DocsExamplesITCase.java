package io.github.flinkredis.connector;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.StreamBoundedMode;
import io.github.flinkredis.connector.config.StreamStartupMode;
import io.github.flinkredis.connector.lookup.RedisAsyncLookupFunction;
import io.github.flinkredis.connector.model.RedisRecordDeserializer;
import io.github.flinkredis.connector.model.RedisStreamPositions;
import io.github.flinkredis.connector.source.RedisSource;
import io.github.flinkredis.connector.source.stream.RedisStreamSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

/**
 * The examples of README.md and docs/ run as written, against a real server (the URL {@code
 * redis://localhost:6379} in them is replaced by the test server's).
 */
class DocsExamplesITCase extends RedisITCaseBase {

    @Test
    void readmeSqlExampleRuns() throws Exception {
        client.hset("user:1", Map.of("name", "ann", "age", "31"));
        client.hset("user:2", Map.of("name", "bob", "age", "25"));
        client.hset("user:3", Map.of("name", "cy", "age", "47"));

        assertThat(runMarkdownSql("README.md"))
                .containsExactlyInAnyOrder(Row.of("ann", 31), Row.of("cy", 47));
    }

    @Test
    void hashPageExampleRuns() throws Exception {
        client.hset(
                "order:42:7",
                Map.of(
                        "item", "book",
                        "qty", "2",
                        "price", "12.50",
                        "created", "2024-05-01T10:00:00Z"));
        List<Row> rows = runMarkdownSql("docs/hash.md");
        assertThat(rows).isEmpty(); // the page has no SELECT; the table must still be usable

        assertThat(query("SELECT user_id, line, item, qty, price, redis_key, ttl_ms FROM orders"))
                .containsExactly(
                        Row.of(
                                42,
                                7L,
                                "book",
                                2,
                                new java.math.BigDecimal("12.50"),
                                "order:42:7",
                                -1L));
    }

    @Test
    void stringPageExampleRuns() throws Exception {
        client.set("price:17", "9.90");
        client.set("price:18", "4.50");
        client.set("event:1", "{\"kind\":\"click\",\"pos\":{\"x\":3,\"y\":4},\"tags\":[\"a\"]}");

        assertThat(runMarkdownSql("docs/string.md"))
                .containsExactly(
                        Row.of(17, new java.math.BigDecimal("9.90")),
                        Row.of(1, "click", 3, new String[] {"a"}));
    }

    @Test
    void setPageExampleRuns() throws Exception {
        client.sync().sadd("tags:7", "music", "travel");
        client.sync().sadd("tags:8", "music");

        assertThat(runMarkdownSql("docs/set.md"))
                .containsExactlyInAnyOrder(Row.of("music", 2L), Row.of("travel", 1L));
    }

    @Test
    void listPageExampleRuns() throws Exception {
        client.sync().rpush("views:7", "home", "cart", "pay");

        assertThat(runMarkdownSql("docs/list.md"))
                .containsExactlyInAnyOrder(Row.of(7L, 0L, "home"), Row.of(7L, 1L, "cart"));
        assertThat(client.calls("lrange")).isEqualTo(1);
    }

    @Test
    void zsetPageExampleRuns() throws Exception {
        client.sync().zadd("board:weekly", 120, "ann");
        client.sync().zadd("board:weekly", 95, "bob");
        client.sync().zadd("board:weekly", 300, "cy");

        assertThat(runMarkdownSql("docs/zset.md"))
                .containsExactlyInAnyOrder(Row.of("ann", 120.0, 1L), Row.of("cy", 300.0, 2L));
        assertThat(client.calls("scan")).isZero();
        assertThat(client.calls("zcount")).isEqualTo(1);
    }

    @Test
    void lookupPageExampleRuns() throws Exception {
        assertThat(runMarkdownSql("docs/lookup.md"))
                .containsExactlyInAnyOrder(
                        Row.of(100, "ann", "gold"),
                        Row.of(101, "bob", "silver"),
                        Row.of(102, null, null),
                        Row.of(103, "ann", "gold"));
        // async: the two lookups of user 1 may both be in flight before the cache has it
        assertThat(client.calls("hmget")).isBetween(3L, 4L);
        assertThat(client.calls("exists")).isEqualTo(1);
    }

    @Test
    void sinkPageExampleRuns() throws Exception {
        assertThat(runMarkdownSql("docs/sink.md"))
                .containsExactly(
                        Row.of(1L, "ann", "gold"),
                        Row.of("item:2", "HSET", "UPSERT", "{\"fields\":{\"name\":\"ink\"}}"));
        assertThat(client.sync().hgetall("item:3")).isEqualTo(Map.of("name", "nib"));
        assertThat(client.sync().get("item:2")).isEqualTo("a string where a hash belongs");
        assertThat(client.sync().pttl("session:s1")).isBetween(1_700_000L, 1_800_000L);
        assertThat(client.sync().xlen("orders")).isEqualTo(2);
        assertThat(client.sync().hgetall("customer:2"))
                .isEqualTo(Map.of("name", "bob", "tier", "silver"));
        assertThat(client.sync().pttl("customer:2")).isBetween(86_000_000L, 86_400_000L);
        // the changelog example (run here in batch mode; e2e-tests runs it in streaming mode)
        assertThat(client.sync().keys("single:*"))
                .containsExactlyInAnyOrder("single:kyiv", "single:lima");
        assertThat(client.sync().hgetall("single:lima")).isEqualTo(Map.of("n", "1"));
    }

    @Test
    void readmeDataStreamExampleRuns() throws Exception {
        client.hset("user:1", Map.of("name", "ann", "age", "31", "city", "Oslo"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);

        // as in README.md, with the test server's URL
        RedisSource<Tuple2<String, Map<String, String>>> source =
                RedisSource.<Tuple2<String, Map<String, String>>>builder()
                        .setConnectionConfig(RedisConnectionConfig.fromUrl(redis.url()).build())
                        .setKeyPattern("user:*")
                        .setFields("name", "age") // HMGET; omit for HGETALL
                        .setDeserializer(RedisRecordDeserializer.hashAsMap())
                        .build();
        List<Tuple2<String, Map<String, String>>> out = new ArrayList<>();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "users")
                .executeAndCollect()
                .forEachRemaining(out::add);

        assertThat(out).containsExactly(Tuple2.of("user:1", Map.of("name", "ann", "age", "31")));
    }

    /** The order of docs/lookup.md's DataStream example. */
    public static final class Order {
        public int id;
        public int userId;

        public Order() {}

        Order(int id, int userId) {
            this.id = id;
            this.userId = userId;
        }
    }

    @Test
    void lookupPageDataStreamExampleRuns() throws Exception {
        client.hset("user:1", Map.of("name", "ann", "tier", "gold"));
        client.hset("user:2", Map.of("name", "bob"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        DataStream<Order> orders = env.fromData(new Order(7, 1), new Order(8, 3), new Order(9, 2));

        // as in docs/lookup.md, with the test server's URL
        RedisAsyncLookupFunction<Order, Tuple2<String, Map<String, String>>, String> lookup =
                RedisAsyncLookupFunction
                        .<Order, Tuple2<String, Map<String, String>>, String>builder()
                        .setConnectionConfig(RedisConnectionConfig.fromUrl(redis.url()).build())
                        .setFields("name", "tier") // HMGET user:<id> name tier
                        .setKeyFunction(
                                order -> "user:" + order.userId) // null: no lookup, no match
                        .setDeserializer(RedisRecordDeserializer.hashAsMap())
                        .setJoiner(
                                (order, user) -> order.id + " " + user.f1.get("name"), Types.STRING)
                        .build();
        DataStream<String> enriched =
                AsyncDataStream.orderedWait(orders, lookup, 30, TimeUnit.SECONDS, 100);

        assertThat(enriched.executeAndCollect(10)).containsExactly("7 ann", "9 bob");
        assertThat(client.calls("hmget")).isEqualTo(3);
    }

    @Test
    void streamPageDataStreamExampleRuns() throws Exception {
        client.sync().xadd("orders:eu", Map.of("sku", "apple", "qty", "3", "note", "x"));
        client.sync().xadd("orders:eu", Map.of("sku", "pear", "qty", "1"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);

        // as in docs/stream.md, with the test server's URL
        RedisStreamSource<Tuple2<String, Map<String, String>>> source =
                RedisStreamSource.<Tuple2<String, Map<String, String>>>builder()
                        .setConnectionConfig(RedisConnectionConfig.fromUrl(redis.url()).build())
                        .setKeyPattern("orders:*")
                        .setFields(List.of("sku", "qty"))
                        .setPositions(
                                RedisStreamPositions.of(
                                        StreamStartupMode.EARLIEST,
                                        0,
                                        Map.of(),
                                        StreamBoundedMode.LATEST,
                                        0,
                                        Map.of())) // omit to tail
                        .setDeserializer(RedisRecordDeserializer.hashAsMap())
                        .build();
        List<Tuple2<String, Map<String, String>>> out = new ArrayList<>();
        env.fromSource(source, WatermarkStrategy.forMonotonousTimestamps(), "orders")
                .executeAndCollect()
                .forEachRemaining(out::add);

        assertThat(out)
                .containsExactly(
                        Tuple2.of("orders:eu", Map.of("sku", "apple", "qty", "3")),
                        Tuple2.of("orders:eu", Map.of("sku", "pear", "qty", "1")));
    }

    @Test
    void streamPageExampleRuns() throws Exception {
        assertThat(runMarkdownSql("docs/stream.md"))
                .containsExactlyInAnyOrder(
                        Row.of("orders:eu", "1700000000000-0", "apple", 3),
                        Row.of("orders:us", "1700000005000-0", "apple", 2),
                        // the minute window of the tailing example: 22:13 UTC, 3 + 1 + 2
                        Row.of(
                                java.time.LocalDateTime.ofInstant(
                                        java.time.Instant.ofEpochMilli(1_699_999_980_000L),
                                        java.time.ZoneId.systemDefault()),
                                6));
        assertThat(client.sync().xlen("orders:eu")).isEqualTo(2);
    }
}
