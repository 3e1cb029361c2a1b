package io.github.flinkredis.connector.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.RedisStackITCaseBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The redis catalog over a server with RediSearch: an index gives a table even where the sample of
 * the keyspace missed its keys, its attributes give columns no sampled key had, and a query of the
 * table goes through the index, as does its COUNT(*). Needs RediSearch ({@code REDIS_STACK_URL}, or
 * module files in {@code REDIS_MODULES}).
 */
class RedisCatalogSearchITCase extends RedisStackITCaseBase {

    @AfterEach
    void dropIndex() {
        if (client != null) {
            try {
                client.command("FT.DROPINDEX", "items");
            } catch (RuntimeException absent) {
                // skipped before creating it
            }
        }
    }

    @Test
    void anIndexGivesATableReadThroughIt() throws Exception {
        assumeCommand("FT.INFO", "RediSearch");
        createIndex(
                "items", "ON", "HASH", "PREFIX", "1", "item:", "SCHEMA", "price", "NUMERIC",
                "color", "TAG", "weight", "NUMERIC");
        client.loadHashes(
                50,
                i -> "item:" + i,
                i -> Map.of("price", Integer.toString(i), "color", i % 2 == 0 ? "red" : "blue"));
        // a sample of 20 keys of 5,050 is unlikely to hold an item: the index lists the table
        client.loadStrings(5000, i -> "noise:" + i, i -> "x");
        tEnv.executeSql(
                "CREATE CATALOG r WITH ('type' = 'redis', 'url' = '"
                        + redis.url()
                        + "', 'catalog.sample.keys' = '20')");

        assertThat(query("SHOW TABLES FROM r.db0")).contains(Row.of("item"), Row.of("noise"));
        String ddl = String.valueOf(query("SHOW CREATE TABLE r.db0.item").get(0).getField(0));
        assertThat(ddl)
                .contains("'search.index' = 'items'", "'key.prefix' = 'item:'")
                .contains("`price` INT", "`color` VARCHAR(2147483647)", "`weight` DOUBLE")
                .contains(
                        "RediSearch index ''items'' has NUMERIC attribute ''weight''; no"
                                + " sampled key has the field");

        client.resetStats();
        List<Row> rows = query("SELECT id, color FROM r.db0.item WHERE price < 6");

        List<Row> expected = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            expected.add(Row.of(i, i % 2 == 0 ? "red" : "blue"));
        }
        assertThat(rows).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(client.calls("FT.AGGREGATE")).isPositive();
        assertThat(client.calls("scan")).isZero();
        assertThat(client.calls("hmget")).isEqualTo(6);

        // and its count per color is counted by the index, without reading a key
        client.resetStats();
        assertThat(query("SELECT color, COUNT(*) FROM r.db0.item GROUP BY color"))
                .containsExactlyInAnyOrder(Row.of("red", 25L), Row.of("blue", 25L));
        assertThat(client.calls("FT.AGGREGATE")).isEqualTo(1);
        assertThat(client.calls("scan")).isZero();
        assertThat(client.calls("hmget")).isZero();
    }
}
