package io.github.flinkredis.connector.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.flinkredis.connector.RedisITCaseBase;
import io.lettuce.core.XAddArgs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.types.Row;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bounded SQL scans of Redis Streams: one row per entry, columns are entry fields by name, metadata
 * {@code key}, {@code id} and {@code timestamp}; keys from {@code SCAN ... TYPE stream}, entries
 * with {@code XRANGE} in pages.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"standalone", "cluster"})
class RedisStreamScanITCase extends RedisITCaseBase {

    @Parameter String deployment;

    @Override
    protected String deployment() {
        return deployment;
    }

    private void createEvents(String... extra) {
        String[] options =
                concat(
                        new String[] {
                            "data-type",
                            "stream",
                            "scan.bounded.mode",
                            "latest",
                            "key.prefix",
                            "ev:",
                            "scan.member-page-size",
                            "50"
                        },
                        extra);
        tEnv.executeSql(
                "CREATE TABLE events (target STRING METADATA FROM 'key' VIRTUAL, entry_id STRING"
                        + " METADATA FROM 'id' VIRTUAL, ts TIMESTAMP_LTZ(3) METADATA FROM"
                        + " 'timestamp' VIRTUAL, kind STRING, amount INT, note STRING) WITH ("
                        + with(options)
                        + ")");
    }

    private void addEntries() {
        client.sync()
                .xadd("ev:a", new XAddArgs().id("1000-0"), Map.of("kind", "buy", "amount", "3"));
        client.sync()
                .xadd(
                        "ev:a",
                        new XAddArgs().id("1000-1"),
                        Map.of("kind", "sell", "amount", "2", "note", "late"));
        client.sync().xadd("ev:a", new XAddArgs().id("2000-0"), Map.of("kind", "buy"));
        for (int i = 1; i <= 300; i++) {
            client.sync()
                    .xadd(
                            "ev:b",
                            new XAddArgs().id(i + "-0"),
                            Map.of("kind", "tick", "amount", Integer.toString(i)));
        }
        client.hset("ev:h", Map.of("kind", "not a stream"));
    }

    @Test
    void eachEntryIsARowWithItsKeyIdAndTimestamp() throws Exception {
        addEntries();
        createEvents();
        client.resetStats();

        List<Row> a =
                query(
                        "SELECT target, entry_id, ts, kind, amount, note FROM events WHERE target"
                                + " LIKE 'ev:a%'");
        List<Row> b = query("SELECT entry_id, amount FROM events WHERE kind = 'tick'");

        assertThat(a)
                .containsExactlyInAnyOrder(
                        Row.of("ev:a", "1000-0", Instant.ofEpochMilli(1000), "buy", 3, null),
                        Row.of("ev:a", "1000-1", Instant.ofEpochMilli(1000), "sell", 2, "late"),
                        Row.of("ev:a", "2000-0", Instant.ofEpochMilli(2000), "buy", null, null));
        List<Row> expected = new ArrayList<>();
        for (int i = 1; i <= 300; i++) {
            expected.add(Row.of(i + "-0", i));
        }
        assertThat(b).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void entriesAreReadInPagesOfTheMemberPageSize() throws Exception {
        addEntries();
        createEvents();
        client.resetStats();

        assertThat(query("SELECT amount FROM events")).hasSize(303);

        // ev:a: one page (3 < 50); ev:b: six full pages of 50 and an empty one that ends it
        assertThat(client.calls("xrange")).isEqualTo(8);
        assertThat(client.calls("hgetall") + client.calls("hmget")).isZero();
    }

    @Test
    void aLimitStopsTheRead() throws Exception {
        addEntries();
        createEvents();

        assertThat(query("SELECT entry_id FROM events WHERE target = 'ev:b' LIMIT 7")).hasSize(7);
    }

    @Test
    void rowsWrittenByTheSinkAreReadBack() throws Exception {
        tEnv.executeSql(
                "CREATE TABLE log (target STRING METADATA FROM 'key', entry_id STRING METADATA"
                        + " FROM 'id', kind STRING, amount INT) WITH ("
                        + with(
                                "data-type",
                                "stream",
                                "scan.bounded.mode",
                                "latest",
                                "key.prefix",
                                "log:")
                        + ")");

        tEnv.executeSql(
                        "INSERT INTO log SELECT * FROM (VALUES ('log:1', '7-1', 'buy', 1),"
                                + " ('log:1', '7-2', 'sell', 2), ('log:2', '9-0', 'buy', 3)) AS"
                                + " v(target, entry_id, kind, amount)")
                .await();

        assertThat(query("SELECT target, entry_id, kind, amount FROM log"))
                .containsExactlyInAnyOrder(
                        Row.of("log:1", "7-1", "buy", 1),
                        Row.of("log:1", "7-2", "sell", 2),
                        Row.of("log:2", "9-0", "buy", 3));
    }

    @Test
    void badTablesAndValuesFailNamingKeyFieldAndOption() {
        addEntries();
        client.sync().xadd("ev:c", new XAddArgs().id("5-0"), Map.of("amount", "many"));
        createEvents();

        Throwable badValue =
                catchThrowable(() -> query("SELECT amount FROM events WHERE target = 'ev:c'"));
        Throwable primaryKey =
                catchThrowable(
                        () -> {
                            tEnv.executeSql(
                                    "CREATE TABLE keyed (id STRING, kind STRING, PRIMARY KEY (id)"
                                            + " NOT ENFORCED) WITH ("
                                            + with(
                                                    "data-type",
                                                    "stream",
                                                    "scan.bounded.mode",
                                                    "latest",
                                                    "key.prefix",
                                                    "ev:")
                                            + ")");
                            query("SELECT kind FROM keyed");
                        });
        Throwable idOnHash =
                catchThrowable(
                        () -> {
                            tEnv.executeSql(
                                    "CREATE TABLE hashes (entry_id STRING METADATA FROM 'id',"
                                            + " kind STRING) WITH ("
                                            + with("key.prefix", "ev:")
                                            + ")");
                            query("SELECT kind FROM hashes");
                        });

        assertThat(ExceptionUtils.stringifyException(badValue)).contains("ev:c", "amount", "many");
        assertThat(ExceptionUtils.stringifyException(primaryKey))
                .contains("'data-type' = 'stream' cannot declare a PRIMARY KEY");
        assertThat(ExceptionUtils.stringifyException(idOnHash))
                .contains("Invalid metadata key 'id' in column 'entry_id'");
    }

    @Test
    void filtersOnTheEntryTimeBecomeXrangeBoundsWithTheSameRowsAsWithoutPushdown()
            throws Exception {
        addEntries();
        createEvents();
        tEnv.executeSql(
                "CREATE TABLE unpushed (target STRING METADATA FROM 'key' VIRTUAL, entry_id STRING"
                        + " METADATA FROM 'id' VIRTUAL, ts TIMESTAMP_LTZ(3) METADATA FROM"
                        + " 'timestamp' VIRTUAL, kind STRING, amount INT, note STRING) WITH ("
                        + with(
                                "data-type",
                                "stream",
                                "scan.bounded.mode",
                                "latest",
                                "key.prefix",
                                "ev:",
                                "scan.filter-push-down.enabled",
                                "false")
                        + ")");
        String[] filters = {
            "ts >= TO_TIMESTAMP_LTZ(100, 3) AND ts < TO_TIMESTAMP_LTZ(200, 3)",
            "ts > TO_TIMESTAMP_LTZ(1000, 3)",
            "ts BETWEEN TO_TIMESTAMP_LTZ(250, 3) AND TO_TIMESTAMP_LTZ(1000, 3)",
            "ts = TO_TIMESTAMP_LTZ(1000, 3)",
            "ts <= TO_TIMESTAMP_LTZ(3, 3)",
            "ts > TO_TIMESTAMP_LTZ(5000, 3)",
            "ts > TO_TIMESTAMP_LTZ(150, 3) AND ts < TO_TIMESTAMP_LTZ(100, 3)"
        };
        int[] expectedRows = {100, 1, 53, 2, 3, 0, 0};

        for (int i = 0; i < filters.length; i++) {
            client.resetStats();
            List<Row> pushed =
                    query("SELECT target, entry_id, amount FROM events WHERE " + filters[i]);
            long xranges = client.calls("xrange");
            List<Row> plain =
                    query("SELECT target, entry_id, amount FROM unpushed WHERE " + filters[i]);

            assertThat(pushed).as(filters[i]).hasSize(expectedRows[i]);
            assertThat(pushed).as(filters[i]).containsExactlyInAnyOrderElementsOf(plain);
            // both streams get one XRANGE of their part (none at all for an empty range)
            assertThat(xranges).as(filters[i]).isLessThanOrEqualTo(expectedRows[i] > 50 ? 4 : 2);
        }
    }
}
