package io.github.flinkredis.connector.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.flinkredis.connector.RedisITCaseBase;
import java.util.List;
import org.apache.flink.types.Row;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * String values decoded by a Flink format ({@code 'format' = 'json'}, {@code 'csv'}): nested types,
 * the format's own options, projection, and values the format cannot decode.
 */
class RedisStringFormatITCase extends RedisITCaseBase {

    @BeforeEach
    void load() {
        client.set(
                "evt:1", "{\"kind\":\"click\",\"pos\":{\"x\":3,\"y\":4},\"tags\":[\"a\",\"b\"]}");
        client.set("evt:2", "{\"kind\":\"view\",\"tags\":[],\"extra\":true}");
        client.set("row:1", "ann;31");
        client.set("row:2", "bob;25");
    }

    private void createEvents(String... extra) {
        StringBuilder options = new StringBuilder();
        for (int i = 0; i < extra.length; i += 2) {
            options.append(", '").append(extra[i]).append("' = '").append(extra[i + 1]).append("'");
        }
        tEnv.executeSql(
                "CREATE TABLE events (id INT, kind STRING, pos ROW<x INT, y INT>,"
                        + " tags ARRAY<STRING>, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with("data-type", "string", "key.prefix", "evt:", "format", "json")
                        + options
                        + ")");
    }

    @Test
    void jsonValuesBecomeColumnsWithNestedTypes() throws Exception {
        createEvents();

        List<Row> rows = query("SELECT id, kind, pos, tags FROM events");

        assertThat(rows)
                .containsExactlyInAnyOrder(
                        Row.of(1, "click", Row.of(3, 4), new String[] {"a", "b"}),
                        Row.of(2, "view", null, new String[] {}));
        assertThat(query("SELECT kind FROM events WHERE id = 2")).containsExactly(Row.of("view"));
        assertThat(query("SELECT id FROM events")).hasSize(2);
    }

    @Test
    void theFormatsOwnOptionsApply() throws Exception {
        client.set("evt:3", "not json");
        createEvents("json.ignore-parse-errors", "true", "scan.parse-error.policy", "skip-row");

        // the format ignores the value it cannot parse, as its option says; the key then follows
        // the parse-error policy like any value that decodes to no row: skipped here
        assertThat(query("SELECT id, kind FROM events"))
                .containsExactlyInAnyOrder(Row.of(1, "click"), Row.of(2, "view"));
    }

    @Test
    void aValueTheFormatIgnoresIsNotDroppedSilently() {
        client.set("evt:3", "not json");
        createEvents("json.ignore-parse-errors", "true");

        Throwable t = catchThrowable(() -> query("SELECT id, kind FROM events"));

        assertThat(ExceptionUtils.stringifyException(t))
                .contains(
                        "Cannot decode the value of key 'evt:3' with format 'json': value 'not"
                                + " json' (the format decoded it to no row)");
    }

    @Test
    void anEmptyValueFailsNamingTheKey() {
        client.set("evt:4", "");
        createEvents();

        // Flink's json format reads an empty value as no row: that is a parse error, not "no key"
        for (String sql :
                List.of("SELECT * FROM events WHERE id = 4", "SELECT id, kind FROM events")) {
            Throwable t = catchThrowable(() -> query(sql));

            assertThat(ExceptionUtils.stringifyException(t))
                    .as(sql)
                    .contains(
                            "Cannot decode the value of key 'evt:4' with format 'json': value ''"
                                    + " (the format decoded it to no row)");
        }
    }

    @Test
    void anEmptyValueIsARowOfNullsOrSkippedByPolicy() throws Exception {
        client.set("evt:4", "");
        createEvents("scan.parse-error.policy", "set-null");

        assertThat(query("SELECT id, kind, pos, tags FROM events"))
                .containsExactlyInAnyOrder(
                        Row.of(1, "click", Row.of(3, 4), new String[] {"a", "b"}),
                        Row.of(2, "view", null, new String[] {}),
                        Row.of(4, null, null, null));
        assertThat(query("SELECT id, kind FROM events WHERE id = 4"))
                .containsExactly(Row.of(4, null));

        tEnv.executeSql("DROP TABLE events");
        createEvents("scan.parse-error.policy", "skip-row");
        assertThat(query("SELECT id, kind FROM events"))
                .containsExactlyInAnyOrder(Row.of(1, "click"), Row.of(2, "view"));
        assertThat(query("SELECT id, kind FROM events WHERE id = 4")).isEmpty();
    }

    @Test
    void aValueTheFormatCannotDecodeFailsNamingTheKey() {
        client.set("evt:3", "not json");
        createEvents();

        Throwable t = catchThrowable(() -> query("SELECT id, kind FROM events"));

        assertThat(ExceptionUtils.stringifyException(t))
                .contains("Cannot decode the value of key 'evt:3' with format 'json'", "not json");
    }

    @Test
    void skipRowDropsValuesTheFormatCannotDecode() throws Exception {
        client.set("evt:3", "not json");
        createEvents("scan.parse-error.policy", "skip-row");

        assertThat(query("SELECT id, kind FROM events"))
                .containsExactlyInAnyOrder(Row.of(1, "click"), Row.of(2, "view"));
    }

    @Test
    void csvValues() throws Exception {
        tEnv.executeSql(
                "CREATE TABLE people (id INT, name STRING, age INT, PRIMARY KEY (id) NOT ENFORCED)"
                        + " WITH ("
                        + with(
                                "data-type", "string",
                                "key.prefix", "row:",
                                "format", "csv",
                                "csv.field-delimiter", ";")
                        + ")");

        assertThat(query("SELECT id, name, age FROM people"))
                .containsExactlyInAnyOrder(Row.of(1, "ann", 31), Row.of(2, "bob", 25));
    }

    @Test
    void aFormatOnAHashTableIsRejected() {
        tEnv.executeSql(
                "CREATE TABLE h (id INT, v STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with("key.prefix", "h:", "format", "json")
                        + ")");

        Throwable t = catchThrowable(() -> query("SELECT * FROM h"));

        assertThat(ExceptionUtils.stringifyException(t))
                .contains("Option 'format' decodes the values of strings", "not 'hash'");
    }

    @Test
    void anUnknownFormatOptionIsRejected() {
        createEvents("json.no-such-option", "1");

        Throwable t = catchThrowable(() -> query("SELECT * FROM events"));

        assertThat(ExceptionUtils.stringifyException(t)).contains("json.no-such-option");
    }
}
