package io.github.flinkredis.connector.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.RedisITCaseBase;
import io.github.flinkredis.connector.client.RedisServerVersion;
import io.github.flinkredis.testutils.RedisNewServer;
import io.github.flinkredis.testutils.RedisNewServerExtension;
import io.github.flinkredis.testutils.RedisServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code sink.hash.field-ttl} on a Redis 7.4+ server ({@code REDIS_NEW_SERVER}; skipped, with the
 * reason, without one): {@code HPTTL} of the fields written, not written and removed, in each TTL
 * mode and write mode. The refusal on an older server is in {@link RedisSinkTtlModeITCase}.
 */
@ExtendWith(RedisNewServerExtension.class)
class RedisSinkFieldTtlITCase extends RedisITCaseBase {

    private static final long HOUR = 3_600_000;
    private static final long TEN_MINUTES = 600_000;

    @Override
    protected RedisServer serverUnderTest(RedisServer shared) throws Exception {
        return RedisNewServer.server().orElseThrow();
    }

    private void createUsers(String... options) {
        tEnv.executeSql(
                "CREATE TABLE users (id INT, name STRING, age INT, PRIMARY KEY (id) NOT ENFORCED)"
                        + " WITH ("
                        + with(
                                concat(
                                        new String[] {
                                            "key.prefix", "user:", "sink.hash.field-ttl", "10 min"
                                        },
                                        options))
                        + ")");
    }

    /** HPTTL of {@code fields} of {@code key}: ms, -1 for none, -2 for no such field. */
    @SuppressWarnings("unchecked")
    private List<Long> fieldTtls(String key, String... fields) {
        String[] command = new String[fields.length + 4];
        command[0] = "HPTTL";
        command[1] = key;
        command[2] = "FIELDS";
        command[3] = Integer.toString(fields.length);
        System.arraycopy(fields, 0, command, 4, fields.length);
        return (List<Long>) client.command(command);
    }

    private static boolean fresh(long pttl, long millis) {
        return pttl > millis - 60_000 && pttl <= millis;
    }

    @Test
    void eachFieldWrittenGetsTheTtl() throws Exception {
        client.hset("user:1", Map.of("name", "old", "extra", "x"));
        createUsers();

        tEnv.executeSql("INSERT INTO users VALUES (1, 'ann', 31), (2, 'bob', CAST(NULL AS INT))")
                .await();

        List<Long> one = fieldTtls("user:1", "name", "age", "extra");
        assertThat(fresh(one.get(0), TEN_MINUTES)).as("%s", one).isTrue();
        assertThat(fresh(one.get(1), TEN_MINUTES)).as("%s", one).isTrue();
        assertThat(one.get(2)).isEqualTo(-1L);
        List<Long> two = fieldTtls("user:2", "name", "age");
        assertThat(fresh(two.get(0), TEN_MINUTES)).as("%s", two).isTrue();
        assertThat(two.get(1)).isEqualTo(-2L);
        assertThat(client.sync().pttl("user:1")).isEqualTo(-1);
    }

    @Test
    void onCreateKeepsTheTtlOfAFieldThatHasOne() throws Exception {
        Assumptions.assumeTrue(
                RedisServerVersion.atLeast(
                        RedisServerVersion.of(redis.command("INFO", "server")), 8, 0),
                "TTL mode 'on-create' with a field TTL needs Redis 8.0 (HSETEX)");
        client.hset("user:1", Map.of("name", "old", "age", "1"));
        client.command("HPEXPIRE", "user:1", Long.toString(HOUR), "FIELDS", "1", "name");
        createUsers("sink.ttl.mode", "on-create");

        tEnv.executeSql("INSERT INTO users VALUES (1, 'ann', 31)").await();

        assertThat(client.sync().hgetall("user:1")).isEqualTo(Map.of("name", "ann", "age", "31"));
        List<Long> ttls = fieldTtls("user:1", "name", "age");
        assertThat(fresh(ttls.get(0), HOUR)).as("%s", ttls).isTrue();
        assertThat(fresh(ttls.get(1), TEN_MINUTES)).as("%s", ttls).isTrue();
    }

    @Test
    void replaceModeAndAKeyTtlCompose() throws Exception {
        client.hset("user:1", Map.of("name", "old", "extra", "x"));
        createUsers("sink.write-mode", "replace", "sink.ttl", "1 h");

        tEnv.executeSql("INSERT INTO users VALUES (1, 'ann', 31)").await();

        assertThat(client.sync().hgetall("user:1")).isEqualTo(Map.of("name", "ann", "age", "31"));
        List<Long> ttls = fieldTtls("user:1", "name", "age");
        assertThat(fresh(ttls.get(0), TEN_MINUTES)).as("%s", ttls).isTrue();
        assertThat(fresh(ttls.get(1), TEN_MINUTES)).as("%s", ttls).isTrue();
        assertThat(fresh(client.sync().pttl("user:1"), HOUR)).isTrue();
    }

    @Test
    void aRowsFieldTtlColumnOverridesTheOption() throws Exception {
        tEnv.executeSql(
                "CREATE TABLE users (id INT, name STRING, ftl BIGINT METADATA FROM 'field-ttl',"
                        + " PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with("key.prefix", "user:", "sink.hash.field-ttl", "10 min")
                        + ")");

        tEnv.executeSql(
                        "INSERT INTO users VALUES (1, 'ann', 300000), (2, 'bob',"
                                + " CAST(NULL AS BIGINT)), (3, 'cy', 0)")
                .await();

        assertThat(fresh(fieldTtls("user:1", "name").get(0), 300_000)).isTrue();
        // NULL or 0: no field TTL, also with the option
        assertThat(fieldTtls("user:2", "name")).containsExactly(-1L);
        assertThat(fieldTtls("user:3", "name")).containsExactly(-1L);
        assertThat(client.sync().hget("user:2", "name")).isEqualTo("bob");
    }

    @Test
    void theSinkPagesFieldTtlExampleRuns() throws Exception {
        runMarkdownSql("docs/sink.md", "```sql redis-7.4");

        assertThat(client.sync().hgetall("cart:1")).isEqualTo(Map.of("item", "pen", "qty", "2"));
        List<Long> ttls = fieldTtls("cart:1", "item", "qty");
        assertThat(fresh(ttls.get(0), 900_000)).as("%s", ttls).isTrue();
        assertThat(fresh(ttls.get(1), 900_000)).as("%s", ttls).isTrue();
    }
}
