package io.github.flinkredis.connector.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.RedisStackITCaseBase;
import io.github.flinkredis.connector.client.RedisPipeline;
import io.github.flinkredis.connector.client.RedisRetryPolicy;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.search.RedisSearchFilters.Translation;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.expressions.ResolvedExpression;
import org.apache.flink.table.functions.BuiltInFunctionDefinitions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against a real RediSearch: the indexes found with FT._LIST and FT.INFO and the choice of a
 * table's; the queries of translated filters, whose keys are compared with the filters evaluated on
 * the data in Java (SQL's semantics: a missing field matches no comparison).
 */
class RedisSearchITCase extends RedisStackITCaseBase {

    private RedisPipeline pipeline;

    @BeforeEach
    void openPipeline() {
        assumeCommand("FT.INFO", "RediSearch");
        pipeline =
                RedisPipeline.immediate(
                        // RedisSearchKeyQuery reads replies in the RESP2 shape
                        RedisConnectionConfig.fromUrl(redis.url())
                                .build()
                                .withProtocolVersion(
                                        io.lettuce.core.protocol.ProtocolVersion.RESP2),
                        RedisRetryPolicy.maxRetries(0, "none"),
                        "test");
    }

    @AfterEach
    void dropIndexesAndClose() throws Exception {
        if (pipeline == null) {
            return;
        }
        for (String name : RedisSearchIndexes.names(get(RedisSearchIndexes.sendList(commands())))) {
            client.sync()
                    .dispatch(
                            CommandType.FT_DROPINDEX,
                            new StatusOutput<>(StringCodec.UTF8),
                            new CommandArgs<>(StringCodec.UTF8).add(name));
        }
        pipeline.close();
    }

    private RedisClusterAsyncCommands<byte[], byte[]> commands() {
        return pipeline.commands();
    }

    private static <T> T get(java.util.concurrent.Future<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    private List<RedisSearchIndex> indexes() throws Exception {
        List<RedisSearchIndex> indexes = new ArrayList<>();
        for (String name : RedisSearchIndexes.names(get(RedisSearchIndexes.sendList(commands())))) {
            indexes.add(
                    RedisSearchIndex.parse(
                            name, get(RedisSearchIndexes.sendInfo(commands(), name))));
        }
        return indexes;
    }

    @Test
    void theServersIndexesAreReadAndTheTablesOneIsChosen() throws Exception {
        createIndex(
                "users",
                "ON",
                "HASH",
                "PREFIX",
                "1",
                "user:",
                "SCHEMA",
                "city",
                "TAG",
                "SEPARATOR",
                ";",
                "age",
                "NUMERIC",
                "SORTABLE",
                "name",
                "TEXT");
        createIndex(
                "adults", "ON", "HASH", "PREFIX", "1", "user:", "FILTER", "@age>17", "SCHEMA",
                "age", "NUMERIC");
        createIndex(
                "docs", "ON", "JSON", "PREFIX", "1", "doc:", "SCHEMA", "$.city", "AS", "city",
                "TAG", "$.n", "AS", "n", "NUMERIC");

        List<RedisSearchIndex> indexes = indexes();

        assertThat(indexes)
                .extracting(RedisSearchIndex::name)
                .containsExactlyInAnyOrder("users", "adults", "docs");
        RedisSearchIndex users =
                indexes.stream().filter(i -> i.name().equals("users")).findFirst().orElseThrow();
        assertThat(users.onJson()).isFalse();
        assertThat(users.prefixes()).containsExactly("user:");
        assertThat(users.attributeOf("city").orElseThrow())
                .isEqualTo(
                        new RedisSearchAttribute(
                                "city",
                                "city",
                                RedisSearchFieldType.TAG,
                                false,
                                false,
                                false,
                                ";"));
        assertThat(users.attributeOf("age").orElseThrow().sortable()).isTrue();
        assertThat(users.attributeOf("name").orElseThrow().type())
                .isEqualTo(RedisSearchFieldType.TEXT);
        RedisSearchIndex docs =
                indexes.stream().filter(i -> i.name().equals("docs")).findFirst().orElseThrow();
        assertThat(docs.onJson()).isTrue();
        assertThat(docs.attributeOf("n").orElseThrow().identifier()).isEqualTo("$.n");

        RedisSearchIndexes.Choice hashes = RedisSearchIndexes.choose(indexes, false, "user:");
        assertThat(hashes.index().name()).isEqualTo("users");
        assertThat(hashes.rejected())
                .containsExactlyInAnyOrder(
                        "index 'adults' has FILTER '@age>17', which may leave keys of the table"
                                + " out",
                        "index 'docs' is ON JSON, the table reads hashes");
        assertThat(RedisSearchIndexes.choose(indexes, true, "doc:").index().name())
                .isEqualTo("docs");
        assertThat(RedisSearchIndexes.choose(indexes, true, "order:").index()).isNull();
    }

    @Test
    void anIndexThatCouldNotIndexADocumentIsNotChosen() throws Exception {
        createIndex("users", "ON", "HASH", "PREFIX", "1", "user:", "SCHEMA", "age", "NUMERIC");
        client.hset("user:1", Map.of("age", "30"));
        // not a number: the whole document stays out of the index
        client.hset("user:2", Map.of("age", "thirty"));

        RedisSearchIndex index =
                RedisSearchIndex.parse(
                        "users", get(RedisSearchIndexes.sendInfo(commands(), "users")));

        assertThat(index.indexingFailures()).isEqualTo(1);
        assertThat(search("*")).containsExactly("user:1");
        assertThat(RedisSearchIndexes.choose(List.of(index), false, "user:").rejected())
                .containsExactly(
                        "index 'users' failed to index 1 documents (hash_indexing_failures), which"
                                + " no query would find");
    }

    private static final String[] CITIES = {"Paris", "paris", "New York", "a,b", "Lyon", "x{y}|z"};

    /** The hashes loaded: key to fields (a field absent where the hash has none). */
    private final Map<String, Map<String, String>> users = new HashMap<>();

    private void loadUsers() {
        for (int i = 0; i < 300; i++) {
            Map<String, String> fields = new HashMap<>();
            if (i % 7 != 0) {
                fields.put("age", i == 299 ? "9007199254740993" : Integer.toString(i % 50));
            }
            if (i % 11 != 0) {
                fields.put("score", Double.toString((i % 10) * 0.5));
            }
            if (i % 13 != 0) {
                fields.put("city", CITIES[i % CITIES.length]);
            }
            fields.put("name", "user " + i);
            users.put("user:" + i, fields);
            client.hset("user:" + i, fields);
        }
    }

    /**
     * The keys {@code query} selects on index {@code users}, read as the table source reads them
     * ({@link RedisSearchKeyQuery}: one segment, one page), with the query dialect the server's
     * search module takes (none before 2.4).
     */
    private Set<String> search(String query) throws Exception {
        int dialect =
                RedisSearchQueries.dialectOf(
                        RedisSearchQueries.searchVersion(client.sync().info("modules")));
        RedisSearchKeyQuery.Page page =
                RedisSearchKeyQuery.page(
                        get(
                                new RedisSearchKeyQuery("users", query, dialect, 10_000)
                                        .sendSegment(commands(), null, 10_000)));
        Set<String> keys = new TreeSet<>();
        for (byte[] key : page.keys()) {
            keys.add(new String(key, java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThat(page.cursor()).isZero();
        assertThat(page.total()).isEqualTo(keys.size());
        return keys;
    }

    private static Long number(Map<String, String> row, String field) {
        String v = row.get(field);
        return v == null ? null : Long.parseLong(v);
    }

    private static Double decimal(Map<String, String> row, String field) {
        String v = row.get(field);
        return v == null ? null : Double.parseDouble(v);
    }

    private static Predicate<Map<String, String>> age(Predicate<Long> p) {
        return row -> number(row, "age") != null && p.test(number(row, "age"));
    }

    private static Predicate<Map<String, String>> score(Predicate<Double> p) {
        return row -> decimal(row, "score") != null && p.test(decimal(row, "score"));
    }

    private static Predicate<Map<String, String>> city(Predicate<String> p) {
        return row -> row.get("city") != null && p.test(row.get("city"));
    }

    /**
     * Translates {@code filter}, runs the query and compares its keys with {@code sql} evaluated on
     * every hash: a pre-filter finds them all, an exact query exactly them.
     */
    private void check(
            RedisSearchIndex index, ResolvedExpression filter, Predicate<Map<String, String>> sql)
            throws Exception {
        Translation t =
                RedisSearchFilters.translate(
                        List.of(filter), index, RedisSearchFiltersTest.COLUMNS);
        assertThat(t.query()).as("translated: %s", filter).isNotNull();
        Set<String> expected = new TreeSet<>();
        users.forEach(
                (key, row) -> {
                    if (sql.test(row)) {
                        expected.add(key);
                    }
                });
        Set<String> found = search(t.query());
        assertThat(found).as("%s: the keys of every matching row", t.query()).containsAll(expected);
        if (!t.exact().isEmpty()) {
            assertThat(found).as("%s: exact", t.query()).isEqualTo(expected);
        }
        assertThat(expected).as("the data has rows for %s", filter).isNotEmpty();
    }

    @Test
    void translatedFiltersFindTheKeysOfEveryRowTheyKeep() throws Exception {
        createIndex(
                "users", "ON", "HASH", "PREFIX", "1", "user:", "SCHEMA", "city", "TAG", "age",
                "NUMERIC", "score", "NUMERIC", "name", "TEXT");
        loadUsers();
        RedisSearchIndex index =
                RedisSearchIndex.parse(
                        "users", get(RedisSearchIndexes.sendInfo(commands(), "users")));

        check(
                index,
                RedisSearchFiltersTest.call(
                        BuiltInFunctionDefinitions.AND,
                        RedisSearchFiltersTest.call(
                                BuiltInFunctionDefinitions.GREATER_THAN_OR_EQUAL,
                                RedisSearchFiltersTest.col("age"),
                                RedisSearchFiltersTest.lit(18L, DataTypes.BIGINT())),
                        RedisSearchFiltersTest.call(
                                BuiltInFunctionDefinitions.LESS_THAN,
                                RedisSearchFiltersTest.col("age"),
                                RedisSearchFiltersTest.lit(30L, DataTypes.BIGINT()))),
                age(a -> a >= 18 && a < 30));
        check(
                index,
                RedisSearchFiltersTest.call(
                        BuiltInFunctionDefinitions.NOT_EQUALS,
                        RedisSearchFiltersTest.col("age"),
                        RedisSearchFiltersTest.lit(7L, DataTypes.BIGINT())),
                age(a -> a != 7));
        check(
                index,
                RedisSearchFiltersTest.call(
                        BuiltInFunctionDefinitions.LESS_THAN_OR_EQUAL,
                        RedisSearchFiltersTest.col("score"),
                        RedisSearchFiltersTest.lit(2.5, DataTypes.DOUBLE())),
                score(s -> s <= 2.5));
        check(
                index,
                RedisSearchFiltersTest.eq("city", "Paris", DataTypes.STRING()),
                city(c -> c.equals("Paris")));
        check(
                index,
                RedisSearchFiltersTest.call(
                        BuiltInFunctionDefinitions.OR,
                        RedisSearchFiltersTest.eq("city", "New York", DataTypes.STRING()),
                        RedisSearchFiltersTest.eq("city", "x{y}|z", DataTypes.STRING())),
                city(c -> c.equals("New York") || c.equals("x{y}|z")));
        check(
                index,
                RedisSearchFiltersTest.call(
                        BuiltInFunctionDefinitions.OR,
                        RedisSearchFiltersTest.call(
                                BuiltInFunctionDefinitions.AND,
                                RedisSearchFiltersTest.eq("age", 1L, DataTypes.BIGINT()),
                                RedisSearchFiltersTest.eq("score", 0.5, DataTypes.DOUBLE())),
                        RedisSearchFiltersTest.eq("age", 2L, DataTypes.BIGINT())),
                row ->
                        age(a -> a == 1).and(score(s -> s == 0.5)).test(row)
                                || age(a -> a == 2).test(row));
        // beyond 2^53 RediSearch's doubles round: a pre-filter that still finds the row
        check(
                index,
                RedisSearchFiltersTest.eq("age", 9_007_199_254_740_993L, DataTypes.BIGINT()),
                age(a -> a == 9_007_199_254_740_993L));
    }
}
