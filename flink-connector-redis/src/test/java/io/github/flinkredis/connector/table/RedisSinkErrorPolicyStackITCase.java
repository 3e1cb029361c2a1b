package io.github.flinkredis.connector.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.RedisStackITCaseBase;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code sink.error-policy} = {@code dead-letter} for the modules' data types: a JSON document
 * written over a hash and a timeseries sample added to a string are dead-lettered with the module's
 * own error reply, and the other rows are written (skipped without a module server).
 */
class RedisSinkErrorPolicyStackITCase extends RedisStackITCaseBase {

    private List<StreamMessage<String, String>> deadLetters() {
        return client.sync().xrange("dlq", Range.create("-", "+"));
    }

    @Test
    void aDocumentOverAHashIsDeadLettered() throws Exception {
        client.hset("doc:2", Map.of("name", "a hash"));
        tEnv.executeSql(
                "CREATE TABLE docs (id INT, name STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with(
                                "data-type",
                                "json",
                                "key.prefix",
                                "doc:",
                                "sink.error-policy",
                                "dead-letter",
                                "sink.dead-letter.stream",
                                "dlq")
                        + ")");

        tEnv.executeSql("INSERT INTO docs VALUES (1, 'ann'), (2, 'bob'), (3, 'cy')").await();

        assertThat(client.sync().hgetall("doc:2")).isEqualTo(Map.of("name", "a hash"));
        assertThat(query("SELECT id, name FROM docs WHERE id IN (1, 3)")).hasSize(2);
        List<StreamMessage<String, String>> letters = deadLetters();
        assertThat(letters).hasSize(1);
        Map<String, String> letter = letters.get(0).getBody();
        assertThat(letter)
                .containsEntry("key", "doc:2")
                .containsEntry("command", "JSON.SET")
                .containsEntry("kind", "UPSERT")
                .containsEntry("row", "{\"value\":\"{\\\"name\\\":\\\"bob\\\"}\"}");
        // RedisJSON 2.0: "Existing key has wrong Redis type"; later ones: WRONGTYPE ...
        assertThat(letter.get("error")).containsIgnoringCase("wrong");
    }

    @Test
    void aSampleForAStringIsDeadLettered() throws Exception {
        client.set("building:s2", "a string");
        tEnv.executeSql(
                "CREATE TABLE readings (sensor STRING, ts BIGINT, val DOUBLE,"
                        + " PRIMARY KEY (sensor, ts) NOT ENFORCED) WITH ("
                        + with(
                                "data-type",
                                "timeseries",
                                "key.prefix",
                                "building:",
                                "sink.error-policy",
                                "dead-letter",
                                "sink.dead-letter.stream",
                                "dlq")
                        + ")");

        tEnv.executeSql("INSERT INTO readings VALUES ('s1', 1000, 1.5), ('s2', 1000, 2.5)").await();

        assertThat(client.sync().get("building:s2")).isEqualTo("a string");
        assertThat(client.command("TS.GET", "building:s1").toString()).contains("1.5");
        List<StreamMessage<String, String>> letters = deadLetters();
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).getBody())
                .containsEntry("key", "building:s2")
                .containsEntry("command", "TS.ADD")
                .containsEntry("row", "{\"timestamp\":1000,\"value\":2.5}");
        assertThat(letters.get(0).getBody().get("error")).contains("TSDB");
    }
}
