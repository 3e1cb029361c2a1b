package io.github.flinkredis.connector.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkredis.connector.RedisITCaseBase;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisWriteOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link RedisMutation#asUpdateBefore()} through the DataStream {@link RedisSink}, in batches of
 * two mutations without a timer, so that update-befores end full batches: an UPSERT of the same
 * record right after one stands for both; anything else of the key after it, and the end of the
 * input, has it written as its DELETE, before what follows.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"standalone", "cluster"})
class RedisSinkUpdateBeforeITCase extends RedisITCaseBase {

    @Parameter String deployment;

    @Override
    protected String deployment() {
        return deployment;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The mutation an element describes: {@code "+ key value"} (hash: HSET key v value; set: SADD
     * key value), {@code "- key [member]"} (DEL key; SREM key member) or {@code "-U key [member]"}
     * (the same DELETE as an update-before).
     */
    private static RedisMutation mutation(String element, RedisDataType type) {
        String[] p = element.split(" ");
        byte[] key = bytes(p[1]);
        if (p[0].equals("+")) {
            return type == RedisDataType.SET
                    ? RedisMutation.member(key, bytes(p[2]))
                    : RedisMutation.hash(
                            key, new byte[][] {bytes("v")}, new byte[][] {bytes(p[2])});
        }
        RedisMutation delete =
                type == RedisDataType.SET
                        ? RedisMutation.deleteMember(key, bytes(p[2]))
                        : RedisMutation.deleteKey(key);
        return p[0].equals("-U") ? delete.asUpdateBefore() : delete;
    }

    private void write(RedisDataType type, String... elements) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        RedisSink<String> sink =
                RedisSink.<String>builder()
                        .setConnectionConfig(RedisConnectionConfig.fromUrl(redisUrl()).build())
                        .setWriteOptions(new RedisWriteOptions(type, 2, Duration.ZERO, 2, 3, null))
                        .setSerializer(e -> mutation(e, type))
                        .build();
        env.fromData(elements).sinkTo(sink);
        env.execute("update-befores");
    }

    @Test
    void anUpsertOfTheSameKeyRightAfterAnUpdateBeforeStandsForBoth() throws Exception {
        for (String key : new String[] {"a", "c", "d", "e", "f"}) {
            client.hset(key, Map.of("note", "outside"));
        }

        write(
                RedisDataType.HASH,
                // a: the update-before ends a full batch, its upsert comes with the next one
                "+ a 1",
                "-U a",
                "+ a 2",
                // c: a DELETE of the key after the update-before: both are written, in order
                "-U c",
                "- c",
                // d: a second update-before of d: the first is written (DEL), the second is the
                // first half of the update that follows
                "-U d",
                "-U d",
                "+ d 2",
                // f: the update of f, with a write of another key between its halves
                "-U f",
                "+ g 1",
                "+ f 2",
                // e: an update-before without its upsert, the last element: written (DEL)
                "-U e");

        Map<String, Map<String, String>> hashes = new TreeMap<>();
        for (String key : client.sync().keys("*")) {
            hashes.put(key, client.sync().hgetall(key));
        }
        assertThat(hashes)
                .isEqualTo(
                        Map.of(
                                "a", Map.of("v", "2", "note", "outside"),
                                "d", Map.of("v", "2"),
                                "f", Map.of("v", "2", "note", "outside"),
                                "g", Map.of("v", "1")));
    }

    @Test
    void anUpdateBeforeOfAMemberIsWrittenBeforeWhatFollowsOfItsKey() throws Exception {
        client.sync().sadd("s", "m1", "m3");
        client.sync().sadd("t", "only");

        write(
                RedisDataType.SET,
                // the update-before of m1 ends a full batch; another member of s follows it
                "+ s m0",
                "-U s m1",
                "+ s m2",
                // the update of m3, then m3 removed for good
                "-U s m3",
                "+ s m3",
                "-U s m3",
                // t: its only member removed (the key goes), then another one added
                "- x y",
                "-U t only",
                "+ t new");

        assertThat(client.sync().smembers("s")).isEqualTo(Set.of("m0", "m2"));
        assertThat(client.sync().smembers("t")).isEqualTo(Set.of("new"));
        assertThat(client.sync().exists("x")).isZero();
    }

    @Test
    void onlyADeleteIsAnUpdateBefore() {
        RedisMutation upsert = RedisMutation.string(bytes("k"), bytes("v"));

        assertThatThrownBy(upsert::asUpdateBefore)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(
                        "Only a DELETE can be the first half of an update, not an UPSERT of key"
                                + " 'k'");
        assertThat(RedisMutation.deleteKey(bytes("k")).asUpdateBefore().withTtl(5).isUpdateBefore())
                .isTrue();
        assertThat(RedisMutation.deleteKey(bytes("k")).isUpdateBefore()).isFalse();
    }
}
