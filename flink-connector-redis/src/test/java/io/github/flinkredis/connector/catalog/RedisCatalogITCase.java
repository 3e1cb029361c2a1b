package io.github.flinkredis.connector.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkredis.connector.RedisITCaseBase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The redis catalog over a live keyspace: SHOW DATABASES, SHOW TABLES (keys grouped by data type
 * and prefix, name collisions, keys without a separator), the inferred schemas with their
 * confidence, a query through the catalog, SHOW CREATE TABLE, the read-only refusals, and the bound
 * on the keys SHOW TABLES samples.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"standalone", "cluster"})
class RedisCatalogITCase extends RedisITCaseBase {

    @Parameter String deployment;

    @Override
    protected String deployment() {
        return deployment;
    }

    private static final int USERS = 60;

    private void load() {
        client.loadHashes(
                USERS,
                i -> "user:" + (i + 1),
                i -> {
                    int id = i + 1;
                    Map<String, String> f = new HashMap<>();
                    f.put("name", "user-" + id);
                    f.put("age", Integer.toString(18 + id % 50));
                    f.put("balance", String.format("%d.%02d", id * 3, id % 100));
                    f.put("active", id % 3 == 0 ? "false" : "true");
                    f.put("joined", String.format("2024-01-%02d", id % 28 + 1));
                    // 1 in 10 values is not a number
                    f.put("code", id % 10 == 0 ? "n/a" : Integer.toString(id * 7));
                    if (id % 4 == 0) {
                        f.put("note", "note " + id);
                    }
                    return f;
                });
        client.loadStrings(20, i -> "visits:" + i, i -> Integer.toString(i * 2));
        for (int i = 1; i <= 5; i++) {
            client.sync().sadd("tags:" + i, "a", "b");
            client.sync().rpush("views:" + i, "home", "cart");
        }
        client.sync().zadd("leaderboard", 1.5, "ann");
        client.hset("config", Map.of("mode", "fast"));
        client.hset("mixed:1", Map.of("x", "1"));
        client.set("mixed:2", "two");
        for (int i = 1; i <= 3; i++) {
            client.sync()
                    .xadd(
                            "events",
                            new io.lettuce.core.XAddArgs().id(i + "-0"),
                            Map.of("kind", "click", "n", Integer.toString(i)));
        }
    }

    private void createCatalog(String... options) {
        StringBuilder sb =
                new StringBuilder("CREATE CATALOG r WITH ('type' = 'redis', 'url' = '")
                        .append(redisUrl())
                        .append("'");
        for (int i = 0; i < options.length; i += 2) {
            sb.append(", '").append(options[i]).append("' = '").append(options[i + 1]).append("'");
        }
        tEnv.executeSql(sb.append(")").toString());
    }

    private void createCatalogNamed(String name) {
        tEnv.executeSql(
                "CREATE CATALOG "
                        + name
                        + " WITH ('type' = 'redis', 'url' = '"
                        + redisUrl()
                        + "')");
    }

    private List<String> firstColumn(String sql) throws Exception {
        return query(sql).stream()
                .map(r -> String.valueOf(r.getField(0)))
                .collect(Collectors.toList());
    }

    @Test
    void showTablesListsTheKeyGroupsAndDescribeTheirInferredColumns() throws Exception {
        load();
        createCatalog();
        tEnv.executeSql("USE CATALOG r");

        assertThat(firstColumn("SHOW DATABASES")).containsExactly("db0");
        assertThat(firstColumn("SHOW TABLES"))
                .containsExactly(
                        "config",
                        "events",
                        "leaderboard",
                        "mixed_hash",
                        "mixed_string",
                        "tags",
                        "user",
                        "views",
                        "visits");

        ResolvedSchema user = tEnv.from("`user`").getResolvedSchema();
        assertThat(user.getColumns().stream().map(c -> c.getName() + " " + c.getDataType()))
                .containsExactly(
                        "id INT NOT NULL",
                        "active BOOLEAN",
                        "age INT",
                        "balance DECIMAL(10, 2)",
                        "code STRING",
                        "joined DATE",
                        "name STRING",
                        "note STRING");
        assertThat(user.getPrimaryKey().orElseThrow().getColumns()).containsExactly("id");
        Map<String, String> comments = new HashMap<>();
        for (Column c : user.getColumns()) {
            comments.put(c.getName(), c.getComment().orElse(""));
        }
        assertThat(comments.get("age"))
                .isEqualTo("inferred from 60 values: all read as INT; in 100% of keys");
        assertThat(comments.get("code"))
                .isEqualTo(
                        "inferred from 60 values: 90% read as INT, the rest do not: STRING; in"
                                + " 100% of keys");
        assertThat(comments.get("note"))
                .isEqualTo("inferred from 15 values: all read as STRING; in 25% of keys");

        assertThat(tEnv.from("visits").getResolvedSchema().toString())
                .contains("`id` INT NOT NULL", "`value` INT");
        assertThat(tEnv.from("tags").getResolvedSchema().getPrimaryKey().orElseThrow().getColumns())
                .containsExactly("id", "member");
        assertThat(tEnv.from("leaderboard").getResolvedSchema().getColumnNames())
                .containsExactly("member", "score", "rank");
        ResolvedSchema views = tEnv.from("views").getResolvedSchema();
        assertThat(views.getColumns().stream().map(c -> c.getName() + " " + c.getDataType()))
                .containsExactly("id INT NOT NULL", "element STRING", "index BIGINT NOT NULL");
        assertThat(views.getPrimaryKey().orElseThrow().getColumns()).containsExactly("id", "index");
        assertThat(tEnv.from("events").getResolvedSchema().toString())
                .contains(
                        "`stream_key` STRING METADATA FROM 'key' VIRTUAL",
                        "`entry_id` STRING METADATA FROM 'id' VIRTUAL",
                        "`entry_time` TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL",
                        "`kind` STRING",
                        "`n` INT");
        assertThat(query("SELECT entry_id, kind, n FROM events WHERE n >= 2"))
                .containsExactlyInAnyOrder(Row.of("2-0", "click", 2), Row.of("3-0", "click", 3));
    }

    @Test
    void aQueryReadsThroughTheInferredTable() throws Exception {
        load();
        createCatalog();

        List<Row> rows = query("SELECT id, name, balance FROM r.db0.`user` WHERE age > 60");

        List<String> expected = new ArrayList<>();
        for (int id = 1; id <= USERS; id++) {
            if (18 + id % 50 > 60) {
                expected.add(id + ",user-" + id + "," + String.format("%d.%02d", id * 3, id % 100));
            }
        }
        assertThat(
                        rows.stream()
                                .map(
                                        r ->
                                                r.getField(0)
                                                        + ","
                                                        + r.getField(1)
                                                        + ","
                                                        + r.getField(2)))
                .containsExactlyInAnyOrderElementsOf(expected)
                .isNotEmpty();
        assertThat(query("SELECT `value` FROM r.db0.visits WHERE id = 7"))
                .containsExactly(Row.of(14));
        assertThat(query("SELECT mode FROM r.db0.config")).containsExactly(Row.of("fast"));
    }

    @Test
    void showCreateTableGivesTheConnectorOptionsAndWritesAreRefused() throws Exception {
        load();
        createCatalog();

        String ddl = firstColumn("SHOW CREATE TABLE r.db0.`user`").get(0);
        assertThat(ddl)
                .contains("'connector' = 'redis'", "'data-type' = 'hash'", "'key.prefix' = 'user:'")
                .contains("PRIMARY KEY (`id`) NOT ENFORCED");
        assertThat(firstColumn("SHOW CREATE TABLE r.db0.leaderboard").get(0))
                .contains("'key.pattern' = 'leaderboard'");
        assertThatThrownBy(() -> tEnv.executeSql("DROP TABLE r.db0.`user`"))
                .rootCause()
                .hasMessageContaining("Catalog 'r' is read-only")
                .hasMessageContaining("would not delete the keys it is inferred from");
        assertThatThrownBy(() -> tEnv.executeSql("DROP DATABASE r.db0"))
                .rootCause()
                .hasMessageContaining("Catalog 'r' is read-only: it does not drop databases");
    }

    @Test
    void aDeclaredTableIsKeptInRedisOutlivesTheCatalogAndDrops() throws Exception {
        load();
        createCatalog();
        tEnv.executeSql(
                "CREATE TABLE r.db0.people (pid INT, name STRING, PRIMARY KEY (pid) NOT ENFORCED)"
                        + " WITH ('connector' = 'redis', 'url' = '"
                        + redisUrl()
                        + "', 'data-type' = 'hash', 'key.prefix' = 'user:')");

        // a new catalog over the same Redis (a new session) finds it; the key it is kept in is
        // not a table of its own
        createCatalogNamed("r2");
        assertThat(firstColumn("SHOW TABLES FROM r2.db0")).contains("people", "user").hasSize(10);
        assertThat(query("SELECT name FROM r2.db0.people WHERE pid = 3"))
                .containsExactly(Row.of("user-3"));
        assertThatThrownBy(
                        () ->
                                tEnv.executeSql(
                                        "CREATE TABLE r2.db0.people (a INT) WITH ('connector' ="
                                                + " 'redis')"))
                .rootCause()
                .hasMessageContaining("already exists");

        tEnv.executeSql("DROP TABLE r2.db0.people");
        assertThat(firstColumn("SHOW TABLES FROM r.db0")).doesNotContain("people");
        // the hash of the table and the set of names are gone: the keys of load() are left
        assertThat(client.dbSize()).isEqualTo(USERS + 20 + 5 + 5 + 1 + 1 + 2 + 1);
    }

    @Test
    void keysWithHashTagsGroupByTheirPrefixAndIncludeExcludeChooseTheKeys() throws Exception {
        client.hset("{shop}:1", Map.of("name", "a"));
        client.hset("{shop}:2", Map.of("name", "b"));
        client.hset("tmp:1", Map.of("x", "1"));
        client.set("session:1", "s");
        createCatalog("catalog.exclude", "tmp:*;session:*");
        tEnv.executeSql(
                "CREATE CATALOG only_shop WITH ('type' = 'redis', 'url' = '"
                        + redisUrl()
                        + "', 'catalog.include' = '{shop}:*')");

        assertThat(firstColumn("SHOW TABLES FROM r.db0")).containsExactly("{shop}");
        assertThat(firstColumn("SHOW TABLES FROM only_shop.db0")).containsExactly("{shop}");
        assertThat(query("SELECT id, name FROM r.db0.`{shop}`"))
                .containsExactlyInAnyOrder(Row.of(1, "a"), Row.of(2, "b"));
    }

    @Test
    void everyDatabaseWithKeysIsListedWithItsTables() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(isCluster(), "a cluster has db0 only");
        client.hset("user:1", Map.of("name", "ann"));
        try (io.github.flinkredis.connector.RedisTestClient db3 =
                io.github.flinkredis.connector.RedisTestClient.standalone(redis.url() + "/3")) {
            db3.hset("order:7", Map.of("total", "12"));
        }
        createCatalog();

        tEnv.executeSql("USE CATALOG r");
        assertThat(firstColumn("SHOW DATABASES")).containsExactly("db0", "db3");
        assertThat(firstColumn("SHOW TABLES FROM r.db3")).containsExactly("order");
        assertThat(query("SELECT id, total FROM r.db3.`order`")).containsExactly(Row.of(7, 12));
    }

    @Test
    void catalogPageExampleRuns() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(
                isCluster(), "the page's example names one standalone server");
        client.hset("user:1", Map.of("name", "ann", "age", "61"));
        client.hset("user:2", Map.of("name", "bob", "age", "25"));

        // the page's SHOW and DESCRIBE statements run; its query returns ann
        assertThat(runMarkdownSql("docs/catalog.md")).containsExactly(Row.of("ann", 61));
    }

    @Test
    void showTablesLooksAtNoMoreKeysThanItsSample() throws Exception {
        // a million keys: SHOW TABLES looks at 2,000 of them
        client.loadStrings(1_000_000, i -> "big:" + i, i -> "v");
        client.loadHashes(10, i -> "small:" + i, i -> Map.of("a", "1"));
        createCatalog("catalog.sample.keys", "2000");
        client.resetStats();

        List<String> tables = firstColumn("SHOW TABLES FROM r.db0");

        assertThat(tables).contains("big");
        // COUNT 1000 per SCAN call visits ~1,000 buckets: ~1,000 keys on one server, ~640 on
        // each of 3 cluster shards (333,000 keys in 524,288 buckets), so the sample of 2,000 keys
        // takes 2 to 6 calls; a SCAN of the whole keyspace would take a thousand
        assertThat(client.calls("scan")).isBetween(1L, 12L);
        assertThat(client.calls("type")).isLessThanOrEqualTo(2000);
    }
}
