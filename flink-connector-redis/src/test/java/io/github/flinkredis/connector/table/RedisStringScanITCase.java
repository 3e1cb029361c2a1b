package io.github.flinkredis.connector.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.flinkredis.connector.RedisITCaseBase;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.types.Row;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bounded SQL scans of strings ({@code 'data-type' = 'string'}): one row per key, the value in one
 * column, read with MGET (per hash slot in a cluster).
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"standalone", "cluster"})
class RedisStringScanITCase extends RedisITCaseBase {

    @Parameter String deployment;

    @Override
    protected String deployment() {
        return deployment;
    }

    private static final int PRICES = 5_000;

    @BeforeEach
    void loadPrices() {
        client.loadStrings(PRICES, i -> "price:" + i, i -> i + ".25");
        // keys of another type under the same prefix are not part of the table
        client.hset("price:hash", Map.of("v", "1"));
        client.resetStats();
        tEnv.executeSql(
                "CREATE TABLE prices (sku INT, price DECIMAL(10, 2),"
                        + " k STRING METADATA FROM 'key' VIRTUAL,"
                        + " PRIMARY KEY (sku) NOT ENFORCED) WITH ("
                        + with("data-type", "string", "key.prefix", "price:")
                        + ")");
    }

    @Test
    void scansEveryStringExactlyOnceWithMget() throws Exception {
        List<Row> rows = query("SELECT sku, price, k FROM prices");

        assertThat(rows).hasSize(PRICES);
        Set<Row> expected = new HashSet<>();
        for (int i = 0; i < PRICES; i++) {
            expected.add(Row.of(i, new BigDecimal(i + ".25"), "price:" + i));
        }
        assertThat(new HashSet<>(rows)).isEqualTo(expected);
        assertThat(client.calls("get")).isZero();
        if (isCluster()) {
            // one MGET per hash slot of each batch: fewer than keys, as keys share slots
            assertThat(client.calls("mget")).isBetween(1L, (long) PRICES);
        } else {
            // one MGET per batch of at most 500 keys; a SCAN page ends a batch
            long pages = client.calls("scan");
            assertThat(client.calls("mget")).isBetween(PRICES / 500L, PRICES / 500L + pages);
        }
    }

    @Test
    void aQueryOnTheKeysOnlyReadsNoValue() throws Exception {
        List<Row> rows = query("SELECT COUNT(*), MAX(sku) FROM prices");

        assertThat(rows).containsExactly(Row.of((long) PRICES, PRICES - 1));
        assertThat(client.calls("mget")).isZero();
        assertThat(client.calls("get")).isZero();
    }

    @Test
    void limitReadsFewKeys() throws Exception {
        List<Row> rows = query("SELECT sku, price FROM prices LIMIT 3");

        assertThat(rows).hasSize(3);
        for (Row row : rows) {
            int sku = (Integer) row.getField(0);
            assertThat(row.getField(1)).isEqualTo(new BigDecimal(sku + ".25"));
        }
        assertThat(client.calls("mget")).isLessThanOrEqualTo(isCluster() ? 9 : 3);
    }

    @Test
    void aValueThatDoesNotParseFailsNamingKeyAndValue() {
        client.set("price:77", "seventy");

        Throwable t = catchThrowable(() -> query("SELECT sku, price FROM prices"));

        assertThat(ExceptionUtils.stringifyException(t))
                .contains("price:77", "seventy", "DECIMAL(10, 2)");
    }

    @Test
    void aTableWithTwoValueColumnsIsRejected() {
        tEnv.executeSql(
                "CREATE TABLE two (id INT, a STRING, b STRING, PRIMARY KEY (id) NOT ENFORCED)"
                        + " WITH ("
                        + with("data-type", "string", "key.prefix", "price:")
                        + ")");

        Throwable t = catchThrowable(() -> query("SELECT * FROM two"));

        assertThat(ExceptionUtils.findThrowable(t, ValidationException.class)).isPresent();
        assertThat(ExceptionUtils.stringifyException(t))
                .contains("'data-type' = 'string'", "one value column", "[a, b]");
    }
}
