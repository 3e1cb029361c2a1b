package io.github.flinkredis.connector.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.RedisStackITCaseBase;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reads through an index are whole however long RediSearch takes: with the module's query timeout
 * at 1 ms ({@code FT.CONFIG SET TIMEOUT 1}), a query that does not set its own ({@code TIMEOUT 0}
 * does not, on RediSearch 2.2) is cut and answers a partial result without an error, as over a
 * million documents with the default 500 ms. Needs RediSearch ({@code REDIS_STACK_URL}, or module
 * files in {@code REDIS_MODULES}).
 */
class RedisSearchTimeoutITCase extends RedisStackITCaseBase {

    private static final int KEYS = 30_000;

    private String moduleTimeout;

    @BeforeEach
    void loadWithATinyModuleTimeout() {
        assumeCommand("FT.INFO", "RediSearch");
        createIndex("slow", "ON", "HASH", "PREFIX", "1", "slow:", "SCHEMA", "n", "NUMERIC");
        client.loadHashes(
                KEYS,
                i -> "slow:" + i,
                i -> Map.of("n", Integer.toString(i % 100), "city", "c" + (i % 7)));
        List<?> timeout = (List<?>) client.command("FT.CONFIG", "GET", "TIMEOUT");
        moduleTimeout = String.valueOf(((List<?>) timeout.get(0)).get(1));
        client.command("FT.CONFIG", "SET", "TIMEOUT", "1");
    }

    @AfterEach
    void restore() {
        if (moduleTimeout != null) {
            client.command("FT.CONFIG", "SET", "TIMEOUT", moduleTimeout);
            client.command("FT.DROPINDEX", "slow");
        }
    }

    @Test
    void aFilterSelectingEveryKeyReadsThemAll() throws Exception {
        tEnv.executeSql(
                "CREATE TABLE slow (id INT, n INT, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with("key.prefix", "slow:", "search.index", "slow")
                        + ")");
        client.resetStats();
        assertThat(query("SELECT COUNT(*), SUM(n) FROM slow WHERE n >= 0"))
                .containsExactly(Row.of((long) KEYS, (KEYS / 100) * 4950));
        assertThat(client.calls("FT.AGGREGATE")).isPositive();
        assertThat(client.calls("scan")).isZero();
    }

    @Test
    void aCountCountsEveryKey() throws Exception {
        tEnv.executeSql(
                "CREATE TABLE slow (id INT, city STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with("key.prefix", "slow:", "search.index", "slow")
                        + ")");
        Map<String, Long> expected = new TreeMap<>();
        for (int i = 0; i < KEYS; i++) {
            expected.merge("c" + (i % 7), 1L, Long::sum);
        }
        client.resetStats();
        Map<String, Long> counts = new TreeMap<>();
        for (Row row : query("SELECT city, COUNT(*) FROM slow GROUP BY city")) {
            counts.put((String) row.getField(0), (Long) row.getField(1));
        }
        assertThat(counts).isEqualTo(expected);
        assertThat(client.calls("FT.AGGREGATE")).isEqualTo(1);
        assertThat(client.calls("scan")).isZero();
    }
}
