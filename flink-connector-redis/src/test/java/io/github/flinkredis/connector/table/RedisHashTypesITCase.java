package io.github.flinkredis.connector.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.flinkredis.connector.RedisITCaseBase;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** Every supported column type read from hash fields, and PRIMARY KEY columns from keys. */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"standalone", "cluster"})
class RedisHashTypesITCase extends RedisITCaseBase {

    @Parameter String deployment;

    @Override
    protected String deployment() {
        return deployment;
    }

    private static final String COLUMNS =
            "id STRING, c CHAR(3), v VARCHAR(10), s STRING, b BOOLEAN, ti TINYINT, si SMALLINT,"
                    + " i INT, bi BIGINT, f FLOAT, d DOUBLE, dc DECIMAL(10, 3), dt DATE,"
                    + " tm TIME, ts TIMESTAMP(3), ts6 TIMESTAMP(6), ltz TIMESTAMP_LTZ(3),"
                    + " bin BYTES";

    @Test
    void readsEveryType() throws Exception {
        Map<String, String> one = new LinkedHashMap<>();
        one.put("c", "abc");
        one.put("v", "hello");
        one.put("s", "ünïcødé ✓");
        one.put("b", "YES");
        one.put("ti", "-128");
        one.put("si", "32767");
        one.put("i", "-2147483648");
        one.put("bi", "9223372036854775807");
        one.put("f", "1.5");
        one.put("d", "-2.25e10");
        one.put("dc", "1234567.891");
        one.put("dt", "2024-02-29");
        one.put("tm", "13:45:30.123");
        one.put("ts", "2024-01-02T03:04:05.678");
        one.put("ts6", "2024-01-02 03:04:05.123456");
        one.put("ltz", "1700000000123");
        client.hset("t:one", one);
        Map<String, String> two = new HashMap<>();
        two.put("b", "f");
        two.put("d", "-inf");
        two.put("ts", "1700000000123");
        two.put("ltz", "2024-01-02T03:04:05.5Z");
        two.put("dc", "0.0005");
        client.hset("t:two", two);
        // binary-safe bytes, including invalid UTF-8
        client.hset("t:one", "bin", new byte[] {0, (byte) 0xff, 0x10, (byte) 0xc3});
        tEnv.executeSql(
                "CREATE TABLE types ("
                        + COLUMNS
                        + ", PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with("key.prefix", "t:")
                        + ")");

        List<Row> rows = query("SELECT * FROM types ORDER BY id");

        assertThat(rows)
                .containsExactly(
                        Row.of(
                                "one",
                                "abc",
                                "hello",
                                "ünïcødé ✓",
                                true,
                                (byte) -128,
                                (short) 32767,
                                Integer.MIN_VALUE,
                                Long.MAX_VALUE,
                                1.5f,
                                -2.25e10,
                                new BigDecimal("1234567.891"),
                                LocalDate.of(2024, 2, 29),
                                LocalTime.of(13, 45, 30),
                                LocalDateTime.of(2024, 1, 2, 3, 4, 5, 678_000_000),
                                LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_000),
                                Instant.ofEpochMilli(1_700_000_000_123L),
                                new byte[] {0, (byte) 0xff, 0x10, (byte) 0xc3}),
                        Row.of(
                                "two",
                                null,
                                null,
                                null,
                                false,
                                null,
                                null,
                                null,
                                null,
                                null,
                                Double.NEGATIVE_INFINITY,
                                new BigDecimal("0.001"),
                                null,
                                null,
                                LocalDateTime.of(2023, 11, 14, 22, 13, 20, 123_000_000),
                                null,
                                Instant.parse("2024-01-02T03:04:05.500Z"),
                                null));
    }

    @Test
    void parsesCompositePrimaryKeysFromTheKey() throws Exception {
        client.hset("order:42:7", Map.of("item", "book", "qty", "2"));
        client.hset("order:42:8", Map.of("item", "pen", "qty", "10"));
        client.hset("order:7:1", Map.of("item", "ink"));
        tEnv.executeSql(
                "CREATE TABLE orders (user_id INT, line BIGINT, item STRING, qty INT,"
                        + " PRIMARY KEY (user_id, line) NOT ENFORCED) WITH ("
                        + with("key.prefix", "order:", "key.separator", ":")
                        + ")");

        List<Row> rows =
                query("SELECT user_id, line, item, qty FROM orders ORDER BY user_id, line");

        assertThat(rows)
                .containsExactly(
                        Row.of(7, 1L, "ink", null),
                        Row.of(42, 7L, "book", 2),
                        Row.of(42, 8L, "pen", 10));
    }

    @Test
    void readsAPrimaryKeyDeclaredInTheMiddleOfTheColumns() throws Exception {
        client.hset("p|a|1", Map.of("v", "x"));
        tEnv.executeSql(
                "CREATE TABLE p (v STRING, k1 STRING, k2 INT, PRIMARY KEY (k1, k2) NOT ENFORCED)"
                        + " WITH ("
                        + with("key.prefix", "p|", "key.separator", "|")
                        + ")");

        assertThat(query("SELECT k2, v, k1 FROM p")).containsExactly(Row.of(1, "x", "a"));
    }

    @Test
    void keyPartsAndFieldsTakeAsciiDigitsOnly() throws Exception {
        client.hset("ud:42", Map.of("v", "1", "d", "2.5"));
        client.hset("ud:\u0664\u0662", Map.of("v", "2")); // Arabic-Indic 42
        client.hset("ud:43", Map.of("v", "\u0664\u0663"));
        client.hset("ud:44", Map.of("v", "4", "d", "1e400"));
        String columns = "id INT, v INT, d DOUBLE, PRIMARY KEY (id) NOT ENFORCED";
        tEnv.executeSql(
                "CREATE TABLE ud (" + columns + ") WITH (" + with("key.prefix", "ud:") + ")");

        assertThat(catchThrowable(() -> query("SELECT id FROM ud")))
                .hasStackTraceContaining(
                        "Cannot read key part 'id' of key 'ud:\u0664\u0662' as INT NOT NULL: value"
                                + " '\u0664\u0662' (not a decimal integer)");
        assertThat(catchThrowable(() -> query("SELECT v FROM ud WHERE id = 43")))
                .hasStackTraceContaining(
                        "Cannot read field 'v' of key 'ud:43' as INT: value '\u0664\u0663' (not a"
                                + " decimal integer)");
        assertThat(catchThrowable(() -> query("SELECT d FROM ud WHERE id = 44")))
                .hasStackTraceContaining(
                        "Cannot read field 'd' of key 'ud:44' as DOUBLE: value '1e400' (out of"
                                + " range for DOUBLE)");

        tEnv.executeSql(
                "CREATE TABLE ud_skip ("
                        + columns
                        + ") WITH ("
                        + with("key.prefix", "ud:", "scan.parse-error.policy", "skip-row")
                        + ")");
        // one row per id: the key with other digits is not a second row of id 42
        assertThat(query("SELECT id, v, d FROM ud_skip"))
                .containsExactlyInAnyOrder(Row.of(42, 1, 2.5));
        assertThat(query("SELECT id, v FROM ud_skip WHERE id = 42")).containsExactly(Row.of(42, 1));
    }

    @Test
    void aKeyPartMustBeSpelledAsTheConnectorWritesIt() throws Exception {
        for (String id : List.of("42", "042", "+42", "-0", "0")) {
            client.hset("sp:" + id, Map.of("v", id));
        }
        client.hset("spf:42", Map.of("v", "42"));
        client.hset("spf:042", Map.of("v", "042"));
        String columns = "id INT, v STRING, PRIMARY KEY (id) NOT ENFORCED";
        tEnv.executeSql(
                "CREATE TABLE spf (" + columns + ") WITH (" + with("key.prefix", "spf:") + ")");

        // spf:042 would be a second row of id 42, which a point read of 42 (spf:42) does not find
        assertThat(catchThrowable(() -> query("SELECT id, v FROM spf")))
                .hasStackTraceContaining(
                        "Cannot read key part 'id' of key 'spf:042' as INT NOT NULL: value '042'"
                                + " is spelled '42' in keys");

        tEnv.executeSql(
                "CREATE TABLE sp_skip ("
                        + columns
                        + ") WITH ("
                        + with("key.prefix", "sp:", "scan.parse-error.policy", "skip-row")
                        + ")");
        // one row per PRIMARY KEY value, the same as the point reads find
        assertThat(query("SELECT id, v FROM sp_skip"))
                .containsExactlyInAnyOrder(Row.of(42, "42"), Row.of(0, "0"));
        assertThat(query("SELECT id, v FROM sp_skip WHERE id IN (42, 0)"))
                .containsExactlyInAnyOrder(Row.of(42, "42"), Row.of(0, "0"));

        // a copy writes each row back to the key it was read from
        tEnv.executeSql(
                "CREATE TABLE sp_copy (" + columns + ") WITH (" + with("key.prefix", "spc:") + ")");
        tEnv.executeSql("INSERT INTO sp_copy SELECT id, v FROM sp_skip").await();
        assertThat(client.sync().hgetall("spc:42")).isEqualTo(Map.of("v", "42"));
        assertThat(client.sync().hgetall("spc:0")).isEqualTo(Map.of("v", "0"));
        assertThat(query("SELECT id FROM sp_copy"))
                .containsExactlyInAnyOrder(Row.of(42), Row.of(0));
    }
}
