package io.github.flinkredis.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.examples.SampleData.User;
import io.github.flinkredis.testutils.RedisExtension;
import io.github.flinkredis.testutils.RedisServer;
import io.github.flinkredis.testutils.RedisStack;
import io.github.flinkredis.testutils.RedisStackExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The launcher's load of the sample data ({@code data/load.sql} over the bundled CSV file, on a
 * local Flink) against real Redis: every key holds what {@link SampleData#users()} computes, lists
 * in order, also after a second load.
 */
@ExtendWith(RedisExtension.class)
class SampleDataLoadITCase {

    @Test
    void theLoadScriptWritesEveryKeyAsComputed(RedisServer redis) throws Exception {
        redis.command("FLUSHALL");
        assertThat(SampleData.hasJson(redis.url())).isFalse();

        assertThat(SqlExampleRunner.loadSampleData(redis.url())).isFalse();
        // a second load gives the same keys: SADD and RPUSH do not add to the first one's
        assertThat(SqlExampleRunner.loadSampleData(redis.url())).isFalse();

        try (Redis r = new Redis(redis.url())) {
            assertKeys(r.sync, false);
            assertThat(r.sync.dbsize()).isEqualTo(4L * SampleData.USERS + 1);
        }
    }

    @Test
    @ExtendWith(RedisStackExtension.class)
    void theJsonProfilesAreLoadedWhereTheServerHasRedisJson() throws Exception {
        String url = RedisStack.server().orElseThrow().url();
        assertThat(SampleData.hasJson(url)).isTrue();

        assertThat(SqlExampleRunner.loadSampleData(url)).isTrue();

        try (Redis r = new Redis(url)) {
            assertKeys(r.sync, true);
        }
    }

    private static void assertKeys(RedisCommands<String, String> redis, boolean json) {
        List<String> leaderboard = new ArrayList<>();
        for (User u : SampleData.users()) {
            assertThat(redis.hgetall(SampleData.USER_PREFIX + u.id))
                    .as("hash of user %d", u.id)
                    .containsExactlyInAnyOrderEntriesOf(u.fields());
            assertThat(redis.get(SampleData.VISITS_PREFIX + u.id))
                    .as("visits of user %d", u.id)
                    .isEqualTo(Integer.toString(u.visits()));
            assertThat(redis.smembers(SampleData.TAGS_PREFIX + u.id))
                    .as("tags of user %d", u.id)
                    .containsExactlyInAnyOrderElementsOf(u.tags());
            assertThat(redis.lrange(SampleData.VIEWS_PREFIX + u.id, 0, -1))
                    .as("views of user %d", u.id)
                    .containsExactlyElementsOf(u.views());
            if (json) {
                assertThat(
                                redis.dispatch(
                                        CommandType.JSON_GET,
                                        new ValueOutput<>(StringCodec.UTF8),
                                        new CommandArgs<>(StringCodec.UTF8)
                                                .addKey(SampleData.PROFILE_PREFIX + u.id)))
                        .as("profile of user %d", u.id)
                        .isEqualTo(u.profileJson());
            }
            leaderboard.add(u.name + "=" + u.points());
        }
        assertThat(
                        redis.zrangeWithScores(SampleData.LEADERBOARD, 0, -1).stream()
                                .map(v -> v.getValue() + "=" + v.getScore())
                                .collect(Collectors.toList()))
                .containsExactlyInAnyOrderElementsOf(leaderboard);
        for (String prefix :
                List.of(
                        SampleData.USER_PREFIX,
                        SampleData.VISITS_PREFIX,
                        SampleData.TAGS_PREFIX,
                        SampleData.VIEWS_PREFIX)) {
            assertThat(keys(redis, prefix)).as(prefix).hasSize(SampleData.USERS);
        }
        assertThat(keys(redis, SampleData.PROFILE_PREFIX)).hasSize(json ? SampleData.USERS : 0);
    }

    private static List<String> keys(RedisCommands<String, String> redis, String prefix) {
        List<String> keys = new ArrayList<>();
        ScanIterator.scan(redis, ScanArgs.Builder.matches(prefix + "*").limit(1000))
                .forEachRemaining(keys::add);
        return keys;
    }

    /** A Lettuce connection for the assertions. */
    private static final class Redis implements AutoCloseable {
        final RedisClient client;
        final StatefulRedisConnection<String, String> connection;
        final RedisCommands<String, String> sync;

        Redis(String url) {
            client = RedisClient.create(url);
            connection = client.connect();
            sync = connection.sync();
        }

        @Override
        public void close() {
            connection.close();
            client.shutdown();
        }
    }
}
