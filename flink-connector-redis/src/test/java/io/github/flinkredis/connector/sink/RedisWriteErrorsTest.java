package io.github.flinkredis.connector.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.config.RedisDataType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Which error replies follow the error policy, and the dead letter's {@code row} and kind. */
class RedisWriteErrorsTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void errorsOfTheRowsOwnKeyOrValueFollowThePolicy() {
        assertThat(
                        RedisWriteErrors.isRecordError(
                                "WRONGTYPE Operation against a key holding the wrong kind of"
                                        + " value"))
                .isTrue();
        assertThat(RedisWriteErrors.isRecordError("ERR TSDB: the key is not a TSDB key")).isTrue();
        assertThat(RedisWriteErrors.isRecordError("ERR TSDB: Timestamp is older than retention"))
                .isTrue();
        assertThat(RedisWriteErrors.isRecordError("ERR value is not a valid float")).isTrue();
        // RedisJSON 2.0 answers without an error code
        assertThat(RedisWriteErrors.isRecordError("Existing key has wrong Redis type")).isTrue();
    }

    @Test
    void errorsOfTheJobOrTheServerFailIt() {
        assertThat(
                        RedisWriteErrors.isRecordError(
                                "NOPERM this user has no permissions to access one of the keys"))
                .isFalse();
        assertThat(RedisWriteErrors.isRecordError("NOAUTH Authentication required.")).isFalse();
        assertThat(
                        RedisWriteErrors.isRecordError(
                                "OOM command not allowed when used memory > 'maxmemory'."))
                .isFalse();
        assertThat(
                        RedisWriteErrors.isRecordError(
                                "ERR unknown command 'JSON.SET', with args beginning with: "))
                .isFalse();
        assertThat(
                        RedisWriteErrors.isRecordError(
                                "ERR wrong number of arguments for 'hset' command"))
                .isFalse();
        assertThat(RedisWriteErrors.isRecordError("ERR syntax error")).isFalse();
        assertThat(
                        RedisWriteErrors.isRecordError(
                                "CROSSSLOT Keys in request don't hash to the same slot"))
                .isFalse();
        assertThat(RedisWriteErrors.isRecordError("READONLY You can't write against a replica."))
                .isFalse();
        assertThat(RedisWriteErrors.isRecordError(null)).isFalse();
        assertThat(RedisWriteErrors.isRecordError("")).isFalse();
    }

    @Test
    void theRowIsWhatTheMutationWritesAsJson() {
        RedisMutation hash =
                RedisMutation.hash(
                        utf8("user:1"),
                        new byte[][] {utf8("name"), utf8("age"), utf8("bin")},
                        new byte[][] {utf8("Ann \"A\""), null, new byte[] {(byte) 0xff, 0}});
        assertThat(RedisWriteErrors.rowJson(hash, RedisDataType.HASH))
                .isEqualTo(
                        "{\"fields\":{\"name\":\"Ann \\\"A\\\"\",\"age\":null,"
                                + "\"bin\":{\"base64\":\"/wA=\"}}}");
        assertThat(
                        RedisWriteErrors.rowJson(
                                RedisMutation.string(utf8("k"), utf8("v")), RedisDataType.STRING))
                .isEqualTo("{\"value\":\"v\"}");
        assertThat(
                        RedisWriteErrors.rowJson(
                                RedisMutation.scoredMember(utf8("z"), utf8("m"), 1.5),
                                RedisDataType.ZSET))
                .isEqualTo("{\"member\":\"m\",\"score\":1.5}");
        assertThat(
                        RedisWriteErrors.rowJson(
                                RedisMutation.sample(
                                        utf8("ts"),
                                        1000,
                                        2.5,
                                        new byte[][] {utf8("city")},
                                        new byte[][] {utf8("Oslo")}),
                                RedisDataType.TIMESERIES))
                .isEqualTo("{\"timestamp\":1000,\"value\":2.5,\"labels\":{\"city\":\"Oslo\"}}");
        assertThat(
                        RedisWriteErrors.rowJson(
                                RedisMutation.streamEntry(
                                        utf8("s"),
                                        utf8("5-1"),
                                        new byte[][] {utf8("f")},
                                        new byte[][] {utf8("x")}),
                                RedisDataType.STREAM))
                .isEqualTo("{\"id\":\"5-1\",\"fields\":{\"f\":\"x\"}}");
        assertThat(RedisWriteErrors.rowJson(RedisMutation.deleteKey(utf8("k")), RedisDataType.HASH))
                .isEqualTo("{}");
    }

    @Test
    void theKindNamesAnUpdatesFirstHalf() {
        RedisMutation delete = RedisMutation.deleteKey(utf8("k"));
        assertThat(RedisWriteErrors.kind(delete)).isEqualTo("DELETE");
        assertThat(RedisWriteErrors.kind(delete.asUpdateBefore())).isEqualTo("UPDATE_BEFORE");
        assertThat(RedisWriteErrors.kind(RedisMutation.string(utf8("k"), utf8("v"))))
                .isEqualTo("UPSERT");
    }
}
