package io.github.flinkredis.connector.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.flinkredis.connector.RedisITCaseBase;
import io.github.flinkredis.connector.client.RedisConnectionException;
import io.github.flinkredis.connector.convert.RedisParseException;
import io.github.flinkredis.testutils.RedisServer;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.types.Row;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad data, bad options and bad connections: each fails with a message naming what is at fault, or
 * follows the configured policy; nothing is dropped silently.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"standalone", "cluster"})
class RedisBadInputITCase extends RedisITCaseBase {

    @Parameter String deployment;

    @Override
    protected String deployment() {
        return deployment;
    }

    @BeforeEach
    void loadPeople() {
        client.hset("p:1", Map.of("name", "ann", "age", "31"));
        client.hset("p:2", Map.of("name", "bob", "age", "abc"));
        client.hset("p:3", Map.of("age", "40"));
    }

    private void createPeople(String nameType, String policy) {
        tEnv.executeSql(
                "CREATE TABLE people (id INT, name "
                        + nameType
                        + ", age INT, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with("key.prefix", "p:", "scan.parse-error.policy", policy)
                        + ")");
    }

    private static String rootMessage(Throwable t, Class<? extends Throwable> type) {
        Optional<? extends Throwable> found = ExceptionUtils.findThrowable(t, type);
        assertThat(found).as("a %s in %s", type.getSimpleName(), t).isPresent();
        return found.get().getMessage();
    }

    @Test
    void anUnparseableValueFailsTheJobNamingKeyFieldValueAndType() {
        createPeople("STRING", "fail");

        Throwable t = catchThrowable(() -> query("SELECT id, name, age FROM people"));

        assertThat(rootMessage(t, RedisParseException.class))
                .contains("field 'age'", "key 'p:2'", "value 'abc'", "INT")
                .contains("'scan.parse-error.policy'");
    }

    @Test
    void setNullPolicyReadsUnparseableValuesAsNull() throws Exception {
        createPeople("STRING", "set-null");

        assertThat(query("SELECT id, name, age FROM people"))
                .containsExactlyInAnyOrder(
                        Row.of(1, "ann", 31), Row.of(2, "bob", null), Row.of(3, null, 40));
    }

    @Test
    void skipRowPolicyDropsTheRow() throws Exception {
        createPeople("STRING", "skip-row");

        assertThat(query("SELECT id, name, age FROM people"))
                .containsExactlyInAnyOrder(Row.of(1, "ann", 31), Row.of(3, null, 40));
    }

    @Test
    void anUnselectedBadFieldIsNotRead() throws Exception {
        createPeople("STRING", "fail");

        assertThat(query("SELECT id, name FROM people"))
                .containsExactlyInAnyOrder(Row.of(1, "ann"), Row.of(2, "bob"), Row.of(3, null));
    }

    @Test
    void aMissingFieldInANotNullColumnFails() {
        createPeople("STRING NOT NULL", "set-null");

        Throwable t = catchThrowable(() -> query("SELECT id, name FROM people"));

        assertThat(rootMessage(t, RedisParseException.class))
                .contains("Key 'p:3' has no field 'name'", "STRING NOT NULL");
    }

    @Test
    void aKeyWithTooFewPartsForTheCompositeKeyFails() {
        client.hset("o:1:2", Map.of("v", "ok"));
        client.hset("o:3", Map.of("v", "short"));
        tEnv.executeSql(
                "CREATE TABLE o (a INT, b INT, v STRING, PRIMARY KEY (a, b) NOT ENFORCED) WITH ("
                        + with("key.prefix", "o:")
                        + ")");

        Throwable t = catchThrowable(() -> query("SELECT a, b, v FROM o"));

        assertThat(rootMessage(t, RedisParseException.class))
                .contains("Key 'o:3' has 1 part(s)", "'key.separator'", "2 column(s)");
    }

    @Test
    void anUnknownDataTypeListsTheAcceptedValues() {
        tEnv.executeSql("CREATE TABLE x (a STRING) WITH (" + with("data-type", "tree") + ")");

        Throwable t = catchThrowable(() -> query("SELECT * FROM x"));

        assertThat(ExceptionUtils.stringifyException(t))
                .contains(
                        "Invalid value 'tree' for option 'data-type'",
                        "Accepted values: hash, json, string, set, list, zset, stream, timeseries.");
    }

    @Test
    void aNonPositiveBatchSettingIsRejectedNamingTheOption() {
        tEnv.executeSql(
                "CREATE TABLE x (a STRING) WITH (" + with("scan.max-batches-in-flight", "0") + ")");

        Throwable t = catchThrowable(() -> query("SELECT * FROM x"));

        assertThat(ExceptionUtils.stringifyException(t))
                .contains(
                        "Invalid value 0 for option 'scan.max-batches-in-flight': must be"
                                + " positive.");
    }

    @Test
    void anUnsupportedColumnTypeIsRejectedAtPlanning() {
        tEnv.executeSql("CREATE TABLE x (a ARRAY<INT>) WITH (" + with() + ")");

        Throwable t = catchThrowable(() -> query("SELECT * FROM x"));

        assertThat(ExceptionUtils.stringifyException(t))
                .contains("Column 'a' has type ARRAY<INT>, which data type 'hash' cannot read");
    }

    @Test
    void anInvalidUrlIsRejectedWithoutShowingItsPassword() {
        tEnv.executeSql(
                "CREATE TABLE x (a STRING) WITH ('connector' = 'redis',"
                        + " 'url' = 'http://user:hunter2@localhost:6379')");

        Throwable t = catchThrowable(() -> query("SELECT * FROM x"));

        // Flink itself lists the table options in its message (it hides only options named like
        // 'password'): the connector's own message masks the URL's user info
        Throwable ours = t;
        while (ours.getCause() != null) {
            ours = ours.getCause();
        }
        assertThat(ours.getMessage())
                .startsWith(
                        "Invalid value for option 'url': Invalid Redis URL"
                                + " 'http://***@localhost:6379'")
                .doesNotContain("hunter2");
    }

    @Test
    void anUnreachableServerFailsNamingTheEndpoint() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        tEnv.executeSql(
                "CREATE TABLE x (a STRING) WITH ('connector' = 'redis', 'url' ="
                        + " 'redis://:topsecret@127.0.0.1:"
                        + closedPort
                        + "', 'connect.timeout' = '2 s')");

        Throwable t = catchThrowable(() -> query("SELECT * FROM x"));

        assertThat(rootMessage(t, RedisConnectionException.class))
                .contains("Cannot connect to Redis at redis://127.0.0.1:" + closedPort + "/0");
        assertThat(ExceptionUtils.stringifyException(t)).doesNotContain("topsecret");
    }

    @Test
    void aWrongPasswordFailsWithAnAuthenticationMessage() throws Exception {
        try (RedisServer secured = RedisServer.startLocal(List.of("--requirepass", "right"))) {
            tEnv.executeSql(
                    "CREATE TABLE x (a STRING) WITH ('connector' = 'redis', 'url' = '"
                            + secured.url()
                            + "', 'password' = 'wrong-pass')");

            Throwable t = catchThrowable(() -> query("SELECT * FROM x"));

            assertThat(rootMessage(t, RedisConnectionException.class))
                    .contains("Authentication to Redis at " + secured.url() + "/0 failed");
            // the deepest cause, which is all Flink's SQL client shows
            Throwable root = t;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            assertThat(root).isInstanceOf(RedisConnectionException.class);
            assertThat(ExceptionUtils.stringifyException(t)).doesNotContain("wrong-pass");

            tEnv.executeSql(
                    "CREATE TABLE y (a STRING) WITH ('connector' = 'redis', 'url' = '"
                            + secured.url()
                            + "', 'password' = 'right')");
            assertThat(query("SELECT * FROM y")).isEmpty();
        }
    }
}
