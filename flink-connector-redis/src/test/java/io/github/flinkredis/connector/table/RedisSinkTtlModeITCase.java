package io.github.flinkredis.connector.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.flinkredis.connector.RedisITCaseBase;
import io.github.flinkredis.connector.client.RedisServerVersion;
import java.util.Map;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code sink.ttl.mode} against keys that exist with a TTL (1 h), exist without one, and do not
 * exist, for hashes (merge and replace) and strings, with {@code sink.ttl} and with the {@code ttl}
 * metadata column: {@code PTTL} of each key after the bounded job.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"standalone", "cluster"})
class RedisSinkTtlModeITCase extends RedisITCaseBase {

    private static final long HOUR = 3_600_000;
    private static final long TEN_MINUTES = 600_000;

    @Parameter String deployment;

    @Override
    protected String deployment() {
        return deployment;
    }

    /** user:1 and price:1 with a TTL of 1 h, user:2 and price:2 without; no user:3, price:3. */
    private void existingKeys() {
        client.hset("user:1", Map.of("name", "old", "extra", "x"));
        client.pexpire("user:1", HOUR);
        client.hset("user:2", Map.of("name", "old"));
        client.set("price:1", "1.00");
        client.pexpire("price:1", HOUR);
        client.set("price:2", "2.00");
    }

    /** Writes ids 1 to 3 into a hash table and a string table with {@code options}. */
    private void write(String... options) throws Exception {
        tEnv.executeSql(
                "CREATE TABLE users (id INT, name STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with(concat(new String[] {"key.prefix", "user:"}, options))
                        + ")");
        tEnv.executeSql(
                "CREATE TABLE prices (sku INT, price STRING, PRIMARY KEY (sku) NOT ENFORCED) WITH"
                        + " ("
                        + with(
                                concat(
                                        new String[] {
                                            "data-type", "string", "key.prefix", "price:"
                                        },
                                        withoutWriteMode(options)))
                        + ")");
        tEnv.executeSql("INSERT INTO users VALUES (1, 'ann'), (2, 'bob'), (3, 'cy')").await();
        tEnv.executeSql("INSERT INTO prices VALUES (1, '9.99'), (2, '8.88'), (3, '7.77')").await();
    }

    /** The options without {@code sink.write-mode} (string tables are written alike in all). */
    private static String[] withoutWriteMode(String[] options) {
        java.util.List<String> kept = new java.util.ArrayList<>();
        for (int i = 0; i < options.length; i += 2) {
            if (!options[i].equals("sink.write-mode")) {
                kept.add(options[i]);
                kept.add(options[i + 1]);
            }
        }
        return kept.toArray(new String[0]);
    }

    private long pttl(String key) {
        return client.sync().pttl(key);
    }

    /** A TTL set by this test's job from {@code millis}: within a minute below it. */
    private static boolean fresh(long pttl, long millis) {
        return pttl > millis - 60_000 && pttl <= millis;
    }

    /** The failure of {@code sql}, with its causes, as text. */
    private String failureOf(String sql) {
        return ExceptionUtils.stringifyException(
                catchThrowable(() -> tEnv.executeSql(sql).await()));
    }

    /** The version of the server under test; skips the test where it sets field TTLs (7.4+). */
    private String assumeBefore74() throws Exception {
        String version = RedisServerVersion.of(redis.command("INFO", "server"));
        Assumptions.assumeFalse(
                RedisServerVersion.atLeast(version, 7, 4),
                "the server under test is " + version + ", which sets field TTLs");
        return version;
    }

    @Test
    void onWriteSetsTheTtlWithEveryWrite() throws Exception {
        existingKeys();

        write("sink.ttl", "10 min", "sink.ttl.mode", "on-write");

        for (String key : new String[] {"user:1", "user:2", "user:3", "price:1", "price:2"}) {
            assertThat(fresh(pttl(key), TEN_MINUTES)).as("%s: %d", key, pttl(key)).isTrue();
        }
        assertThat(fresh(pttl("price:3"), TEN_MINUTES)).isTrue();
    }

    @Test
    void onCreateSetsTheTtlOnlyWhereAKeyHasNone() throws Exception {
        existingKeys();

        write("sink.ttl", "10 min", "sink.ttl.mode", "on-create");

        // a key with a TTL keeps it; one without (new or old) gets the sink's
        assertThat(fresh(pttl("user:1"), HOUR)).as("user:1 %d", pttl("user:1")).isTrue();
        assertThat(fresh(pttl("price:1"), HOUR)).as("price:1 %d", pttl("price:1")).isTrue();
        for (String key : new String[] {"user:2", "user:3", "price:2", "price:3"}) {
            assertThat(fresh(pttl(key), TEN_MINUTES)).as("%s: %d", key, pttl(key)).isTrue();
        }
        assertThat(client.sync().hgetall("user:1")).isEqualTo(Map.of("name", "ann", "extra", "x"));
        assertThat(client.sync().get("price:1")).isEqualTo("9.99");
    }

    @Test
    void onCreateInReplaceModeKeepsTheTtlFromBeforeTheReplace() throws Exception {
        existingKeys();

        write("sink.ttl", "10 min", "sink.ttl.mode", "on-create", "sink.write-mode", "replace");

        assertThat(client.sync().hgetall("user:1")).isEqualTo(Map.of("name", "ann"));
        assertThat(fresh(pttl("user:1"), HOUR)).as("user:1 %d", pttl("user:1")).isTrue();
        assertThat(fresh(pttl("user:2"), TEN_MINUTES)).isTrue();
        assertThat(fresh(pttl("user:3"), TEN_MINUTES)).isTrue();
    }

    @Test
    void keepSetsNoTtlAndKeepsTheOneAKeyHas() throws Exception {
        existingKeys();

        write("sink.ttl.mode", "keep");

        // SET would clear price:1's TTL, a replace's DEL user:1's: both are kept
        assertThat(fresh(pttl("user:1"), HOUR)).isTrue();
        assertThat(fresh(pttl("price:1"), HOUR)).as("price:1 %d", pttl("price:1")).isTrue();
        for (String key : new String[] {"user:2", "user:3", "price:2", "price:3"}) {
            assertThat(pttl(key)).as(key).isEqualTo(-1);
        }
        assertThat(client.sync().get("price:1")).isEqualTo("9.99");
    }

    @Test
    void keepInReplaceModeKeepsTheTtlFromBeforeTheReplace() throws Exception {
        existingKeys();

        write("sink.ttl.mode", "keep", "sink.write-mode", "replace");

        assertThat(client.sync().hgetall("user:1")).isEqualTo(Map.of("name", "ann"));
        assertThat(fresh(pttl("user:1"), HOUR)).isTrue();
        assertThat(pttl("user:2")).isEqualTo(-1);
        assertThat(pttl("user:3")).isEqualTo(-1);
    }

    @Test
    void onWriteWithoutATtlLeavesTtlsAsRedisCommandsDo() throws Exception {
        existingKeys();

        write();

        // HSET keeps a key's TTL, SET clears it (today's default, Redis's own semantics)
        assertThat(fresh(pttl("user:1"), HOUR)).isTrue();
        assertThat(pttl("price:1")).isEqualTo(-1);
    }

    @Test
    void aRowsTtlColumnComposesWithOnCreate() throws Exception {
        existingKeys();
        tEnv.executeSql(
                "CREATE TABLE users (id INT, name STRING, ttl BIGINT METADATA,"
                        + " PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with("key.prefix", "user:", "sink.ttl.mode", "on-create")
                        + ")");

        tEnv.executeSql(
                        "INSERT INTO users VALUES (1, 'ann', 300000), (2, 'bob', 300000),"
                                + " (3, 'cy', 300000)")
                .await();

        assertThat(fresh(pttl("user:1"), HOUR)).isTrue();
        assertThat(fresh(pttl("user:2"), 300_000)).isTrue();
        assertThat(fresh(pttl("user:3"), 300_000)).isTrue();
    }

    @Test
    void keepRefusesATtl() {
        tEnv.executeSql(
                "CREATE TABLE users (id INT, name STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with("key.prefix", "user:", "sink.ttl", "1 h", "sink.ttl.mode", "keep")
                        + ")");
        tEnv.executeSql(
                "CREATE TABLE timed (id INT, name STRING, ttl BIGINT METADATA,"
                        + " PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with("key.prefix", "user:", "sink.ttl.mode", "keep")
                        + ")");

        assertThat(failureOf("INSERT INTO users VALUES (1, 'a')"))
                .contains(
                        "Option 'sink.ttl.mode' = 'keep' sets no time to live: remove option"
                                + " 'sink.ttl'.");
        assertThat(failureOf("INSERT INTO timed VALUES (1, 'a', 5)"))
                .contains(
                        "The metadata column 'ttl' sets a time to live per row, but option"
                                + " 'sink.ttl.mode' = 'keep' sets none");
        assertThat(client.dbSize()).isZero();
    }

    @Test
    void aFieldTtlFailsTheJobOnAServerBefore74() throws Exception {
        String version = assumeBefore74();
        tEnv.executeSql(
                "CREATE TABLE users (id INT, name STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with("key.prefix", "user:", "sink.hash.field-ttl", "10 min")
                        + ")");

        assertThat(failureOf("INSERT INTO users VALUES (1, 'a')"))
                .contains(
                        "Option 'sink.hash.field-ttl' needs Redis 7.4 or later (HPEXPIRE), but"
                                + " Redis at ",
                        " is version " + version + ".");
        assertThat(client.dbSize()).isZero();
    }

    @Test
    void aRowsFieldTtlFailsTheJobOnAServerBefore74() throws Exception {
        assumeBefore74();
        tEnv.executeSql(
                "CREATE TABLE users (id INT, name STRING, ftl BIGINT METADATA FROM 'field-ttl',"
                        + " PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with("key.prefix", "user:")
                        + ")");
        tEnv.executeSql(
                "CREATE TABLE kept (id INT, name STRING, ftl BIGINT METADATA FROM 'field-ttl',"
                        + " PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with("key.prefix", "user:", "sink.ttl.mode", "keep")
                        + ")");

        assertThat(failureOf("INSERT INTO users VALUES (1, 'a', 1000)"))
                .contains("Option 'sink.hash.field-ttl' needs Redis 7.4 or later (HPEXPIRE)");
        assertThat(failureOf("INSERT INTO kept VALUES (1, 'a', 1000)"))
                .contains(
                        "The metadata column 'field-ttl' cannot apply: TTL mode 'keep' sets no"
                                + " time to live, but a field TTL is given.");
        assertThat(client.dbSize()).isZero();
    }

    @Test
    void aFieldTtlIsRefusedWhereItCannotApply() {
        String[][] cases = {
            {"string", "merge", "on-write", "A field TTL applies to hash tables, not 'string'."},
            {
                "hash",
                "skip-existing",
                "on-write",
                "A field TTL applies to the write modes 'merge' and 'replace', not"
                        + " 'skip-existing'."
            },
            {"hash", "merge", "keep", "TTL mode 'keep' sets no time to live, but a field TTL"}
        };
        for (String[] c : cases) {
            String table =
                    "t_" + c[0] + "_" + c[1].replace('-', '_') + "_" + c[2].replace('-', '_');
            tEnv.executeSql(
                    "CREATE TABLE "
                            + table
                            + " (id INT, v STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                            + with(
                                    "data-type",
                                    c[0],
                                    "key.prefix",
                                    "t:",
                                    "sink.write-mode",
                                    c[1],
                                    "sink.ttl.mode",
                                    c[2],
                                    "sink.hash.field-ttl",
                                    "1 min")
                            + ")");
            assertThat(failureOf("INSERT INTO " + table + " VALUES (1, 'a')"))
                    .as(table)
                    .contains("Invalid value '1 min' for option 'sink.hash.field-ttl': " + c[3]);
        }
    }
}
