package io.github.flinkredis.connector.source.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkredis.connector.client.RedisTimeSeriesCommand;
import io.github.flinkredis.testutils.RedisServer;
import io.github.flinkredis.testutils.RedisStack;
import io.github.flinkredis.testutils.RedisStackExtension;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * TS.RANGE replies parsed in both protocol versions: replies as a real server gives them (RESP2
 * values are strings, RESP3 values doubles), and the texts RedisTimeSeries writes for infinities
 * and NaN.
 */
class RedisTimeSeriesRepliesTest {

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void parsesStringAndDoubleValues() {
        List<Object> resp2 =
                List.of(
                        List.of(1000L, text("21.5")),
                        List.of(2000L, text("-0.25")),
                        List.of(3000L, text("inf")),
                        List.of(4000L, text("-inf")),
                        List.of(5000L, text("nan")));
        List<Object> resp3 =
                List.of(
                        List.of(1000L, 21.5),
                        List.of(2000L, -0.25),
                        List.of(3000L, Double.POSITIVE_INFINITY),
                        List.of(4000L, Double.NEGATIVE_INFINITY),
                        List.of(5000L, Double.NaN));

        List<RedisTimeSeriesReplies.Sample> expected =
                List.of(
                        new RedisTimeSeriesReplies.Sample(1000, 21.5),
                        new RedisTimeSeriesReplies.Sample(2000, -0.25),
                        new RedisTimeSeriesReplies.Sample(3000, Double.POSITIVE_INFINITY),
                        new RedisTimeSeriesReplies.Sample(4000, Double.NEGATIVE_INFINITY),
                        new RedisTimeSeriesReplies.Sample(5000, Double.NaN));
        assertThat(RedisTimeSeriesReplies.samples(resp2)).isEqualTo(expected);
        assertThat(RedisTimeSeriesReplies.samples(resp3)).isEqualTo(expected);
        assertThat(RedisTimeSeriesReplies.samples(List.of())).isEmpty();
    }

    @Test
    void aReplyOfAnotherShapeFailsNamingTheElement() {
        assertThatThrownBy(() -> RedisTimeSeriesReplies.samples(List.of(text("OK"))))
                .hasMessage("Not a [timestamp, value] sample in a TS.RANGE reply: OK");
        assertThatThrownBy(() -> RedisTimeSeriesReplies.samples(List.of(List.of(1L, text("x1")))))
                .hasMessage("Not a sample value: x1");
    }

    @Test
    @ExtendWith(RedisStackExtension.class)
    void repliesOfARealServerInBothProtocolsGiveTheSameSamples() throws Exception {
        RedisServer server = RedisStack.server().orElseThrow();
        List<List<RedisTimeSeriesReplies.Sample>> parsed = new java.util.ArrayList<>();
        List<java.util.Map<String, String>> labels = new java.util.ArrayList<>();
        for (ProtocolVersion protocol : List.of(ProtocolVersion.RESP2, ProtocolVersion.RESP3)) {
            RedisClient client = RedisClient.create(server.url());
            client.setOptions(ClientOptions.builder().protocolVersion(protocol).build());
            try (StatefulRedisConnection<byte[], byte[]> c =
                    client.connect(ByteArrayCodec.INSTANCE)) {
                org.junit.jupiter.api.Assumptions.assumeTrue(
                        c.sync().commandInfo("TS.RANGE").get(0) != null,
                        "the Redis server of REDIS_STACK_URL / REDIS_MODULES has no"
                                + " RedisTimeSeries");
                c.sync().del(text("replies:t"));
                c.sync()
                        .dispatch(
                                RedisTimeSeriesCommand.TS_CREATE,
                                new ArrayOutput<>(ByteArrayCodec.INSTANCE),
                                new CommandArgs<>(ByteArrayCodec.INSTANCE)
                                        .addKey(text("replies:t"))
                                        .add("LABELS")
                                        .add("area")
                                        .add("eu")
                                        .add("kind")
                                        .add("temp"));
                c.sync()
                        .dispatch(
                                RedisTimeSeriesCommand.TS_ADD,
                                new ArrayOutput<>(ByteArrayCodec.INSTANCE),
                                new CommandArgs<>(ByteArrayCodec.INSTANCE)
                                        .addKey(text("replies:t"))
                                        .add(1000)
                                        .add("21.5"));
                c.sync()
                        .dispatch(
                                RedisTimeSeriesCommand.TS_ADD,
                                new ArrayOutput<>(ByteArrayCodec.INSTANCE),
                                new CommandArgs<>(ByteArrayCodec.INSTANCE)
                                        .addKey(text("replies:t"))
                                        .add(2000)
                                        .add("-3"));
                List<Object> reply =
                        c.sync()
                                .dispatch(
                                        RedisTimeSeriesCommand.TS_RANGE,
                                        new ArrayOutput<>(ByteArrayCodec.INSTANCE),
                                        new CommandArgs<>(ByteArrayCodec.INSTANCE)
                                                .addKey(text("replies:t"))
                                                .add("-")
                                                .add("+"));
                parsed.add(RedisTimeSeriesReplies.samples(reply));
                List<Object> info =
                        c.sync()
                                .dispatch(
                                        RedisTimeSeriesCommand.TS_INFO,
                                        new ArrayOutput<>(ByteArrayCodec.INSTANCE),
                                        new CommandArgs<>(ByteArrayCodec.INSTANCE)
                                                .addKey(text("replies:t")));
                labels.add(RedisTimeSeriesReplies.labels(info));
            } finally {
                client.shutdown();
            }
        }

        List<RedisTimeSeriesReplies.Sample> expected =
                List.of(
                        new RedisTimeSeriesReplies.Sample(1000, 21.5),
                        new RedisTimeSeriesReplies.Sample(2000, -3.0));
        assertThat(parsed).containsExactly(expected, expected);
        assertThat(labels)
                .containsExactly(
                        java.util.Map.of("area", "eu", "kind", "temp"),
                        java.util.Map.of("area", "eu", "kind", "temp"));
    }
}
