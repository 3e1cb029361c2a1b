package io.github.flinkredis.connector.types.hash;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.client.RedisServerVersion;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisTtlMode;
import io.github.flinkredis.connector.config.RedisWriteMode;
import io.github.flinkredis.connector.config.RedisWriteOptions;
import io.github.flinkredis.connector.types.RedisTypes;
import io.github.flinkredis.connector.types.spi.RedisTypeWriter;
import io.github.flinkredis.connector.types.spi.RedisWriteRecord;
import io.github.flinkredis.testutils.RedisExtension;
import io.github.flinkredis.testutils.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The commands of a field TTL ({@code sink.hash.field-ttl}) as a server before 7.4 receives them:
 * it answers an unknown command with the arguments it got ({@code ERR unknown command 'HPEXPIRE',
 * with args beginning with: ...}), so that the commands sent are checked where no 7.4+ server is at
 * hand (with one, {@code RedisSinkFieldTtlITCase} checks what they do). The sink itself refuses to
 * start on such a server.
 */
@ExtendWith(RedisExtension.class)
class RedisHashWriterFieldTtlITCase {

    private static final byte[][] FIELDS = {utf8("name"), utf8("age"), utf8("gone")};

    /** user:1 {name: ann, age: 31}, removing field gone. */
    private static final RedisWriteRecord ROW =
            new RedisWriteRecord() {
                @Override
                public byte[] key() {
                    return utf8("user:1");
                }

                @Override
                public byte[][] fieldNames() {
                    return FIELDS;
                }

                @Override
                public byte[][] values() {
                    return new byte[][] {utf8("ann"), utf8("31"), null};
                }

                @Override
                public double score() {
                    return 0;
                }

                @Override
                public long timestamp() {
                    return 0;
                }

                @Override
                public byte[] entryId() {
                    return null;
                }
            };

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The commands the writer issues for {@link #ROW}, with each one's reply or error. */
    private static List<String> issue(RedisServer redis, RedisWriteOptions options)
            throws Exception {
        String version = RedisServerVersion.of(redis.command("INFO", "server"));
        Assumptions.assumeFalse(
                RedisServerVersion.atLeast(version, 7, 4),
                "the server knows HPEXPIRE: RedisSinkFieldTtlITCase covers it");
        RedisClient client = RedisClient.create(redis.url());
        try (StatefulRedisConnection<byte[], byte[]> connection =
                client.connect(ByteArrayCodec.INSTANCE)) {
            connection.sync().flushall();
            RedisTypeWriter writer = RedisTypes.of(RedisDataType.HASH).writer(options);
            List<String> names = new ArrayList<>();
            List<RedisFuture<?>> replies = new ArrayList<>();
            boolean sinkSetsTtl =
                    writer.upsert(
                            connection.async(),
                            ROW,
                            -1,
                            (command, reply) -> {
                                names.add(command);
                                replies.add(reply);
                            });
            List<String> out = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                try {
                    out.add(names.get(i) + " -> " + replies.get(i).get(10, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    out.add(names.get(i) + " -> " + e.getCause().getMessage());
                }
            }
            out.add("sink sets the key's TTL: " + sinkSetsTtl);
            return out;
        } finally {
            client.shutdown();
        }
    }

    private static RedisWriteOptions options(RedisWriteMode mode, RedisTtlMode ttlMode) {
        return new RedisWriteOptions(RedisDataType.HASH, 10, Duration.ZERO, 1, 0, null, mode)
                .withTtlMode(ttlMode)
                .withHashFieldTtl(Duration.ofMinutes(10));
    }

    @Test
    void mergeSetsTheFieldsThenTheirTtl(RedisServer redis) throws Exception {
        assertThat(issue(redis, options(RedisWriteMode.MERGE, RedisTtlMode.ON_WRITE)))
                .containsExactly(
                        "HSET -> 2",
                        "HDEL -> 0",
                        "HPEXPIRE -> ERR unknown command 'HPEXPIRE', with args beginning with:"
                                + " 'user:1' '600000' 'FIELDS' '2' 'name' 'age' ",
                        "sink sets the key's TTL: true");
    }

    @Test
    void onCreateKeepsFieldTtlsWithHsetexAndSetsOnlyMissingOnes(RedisServer redis)
            throws Exception {
        assertThat(issue(redis, options(RedisWriteMode.MERGE, RedisTtlMode.ON_CREATE)))
                .containsExactly(
                        "HSETEX -> ERR unknown command 'HSETEX', with args beginning with:"
                                + " 'user:1' 'KEEPTTL' 'FIELDS' '2' 'name' 'ann' 'age' '31' ",
                        "HDEL -> 0",
                        "HPEXPIRE -> ERR unknown command 'HPEXPIRE', with args beginning with:"
                                + " 'user:1' '600000' 'NX' 'FIELDS' '2' 'name' 'age' ",
                        "sink sets the key's TTL: true");
    }

    @Test
    void replaceSetsTheTtlOfTheFieldsItWrote(RedisServer redis) throws Exception {
        assertThat(issue(redis, options(RedisWriteMode.REPLACE, RedisTtlMode.ON_WRITE)))
                .containsExactly(
                        "EVAL -> 1",
                        "HPEXPIRE -> ERR unknown command 'HPEXPIRE', with args beginning with:"
                                + " 'user:1' '600000' 'FIELDS' '2' 'name' 'age' ",
                        "sink sets the key's TTL: false");
    }
}
