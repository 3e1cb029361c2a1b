package io.github.flinkredis.connector.types.timeseries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkredis.connector.client.RedisModuleCommand;
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
import java.nio.ByteBuffer;
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

    /** The samples as text, {@code timestamp=value, ...}, for comparing. */
    private static String samples(RedisTimeSeriesRangeOutput.Samples samples) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < samples.check().size(); i++) {
            out.append(i == 0 ? "" : ", ")
                    .append(samples.timestamp(i))
                    .append('=')
                    .append(samples.value(i));
        }
        return out.toString();
    }

    /** Feeds the output what Lettuce's decoder calls for {@code [[ts, value], ...]}. */
    private static RedisTimeSeriesRangeOutput.Samples decode(Object... pairs) {
        RedisTimeSeriesRangeOutput output = new RedisTimeSeriesRangeOutput();
        output.multi(pairs.length / 2);
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            output.multi(2);
            output.set((Long) pairs[i]);
            Object v = pairs[i + 1];
            if (v instanceof Double d) {
                output.set(d);
            } else {
                output.set(ByteBuffer.wrap(text((String) v)));
            }
            output.complete(1);
        }
        output.complete(0);
        return output.get();
    }

    @Test
    void parsesStringAndDoubleValues() {
        String expected = "1000=21.5, 2000=-0.25, 3000=Infinity, 4000=-Infinity, 5000=NaN";
        assertThat(
                        samples(
                                decode(
                                        1000L, "21.5", 2000L, "-0.25", 3000L, "inf", 4000L, "-inf",
                                        5000L, "nan")))
                .isEqualTo(expected);
        assertThat(
                        samples(
                                decode(
                                        1000L,
                                        21.5,
                                        2000L,
                                        -0.25,
                                        3000L,
                                        Double.POSITIVE_INFINITY,
                                        4000L,
                                        Double.NEGATIVE_INFINITY,
                                        5000L,
                                        Double.NaN)))
                .isEqualTo(expected);
        assertThat(samples(decode())).isEmpty();
    }

    @Test
    void valueTextsParseAsJavaParsesThem() {
        // the texts RedisTimeSeries writes over RESP2 (shortest, E exponents) and others
        List<String> texts =
                List.of(
                        "1E-1",
                        "-0",
                        "1E20",
                        "123456789.12345679",
                        "-2.5E-7",
                        "21.5",
                        "-3",
                        "0.30000000000000004",
                        "1.7976931348623157E308",
                        "4.9E-324",
                        "2.2250738585072014E-308",
                        "9007199254740993",
                        ".5",
                        "5.",
                        "1e+5",
                        "NaN",
                        "Infinity",
                        "-Infinity",
                        "007",
                        "12345678901234567890123",
                        "+5",
                        " 5");
        for (String t : texts) {
            // a value as Lettuce hands it over: a view into a larger buffer
            byte[] framed = text("+xx" + t + "\r\n");
            RedisTimeSeriesRangeOutput output = new RedisTimeSeriesRangeOutput();
            output.multi(1);
            output.multi(2);
            output.set(7L);
            output.set(ByteBuffer.wrap(framed, 3, t.length()));
            output.complete(1);
            output.complete(0);
            RedisTimeSeriesRangeOutput.Samples samples = output.get().check();
            assertThat(samples.size()).as(t).isEqualTo(1);
            assertThat(Double.doubleToRawLongBits(samples.value(0)))
                    .as(t)
                    .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(t)));
        }
        assertThatThrownBy(() -> decode(1L, "1.2.3").check())
                .hasMessage("Not a sample value: 1.2.3");
        assertThatThrownBy(() -> decode(1L, "-").check()).hasMessage("Not a sample value: -");
        assertThatThrownBy(() -> decode(1L, "").check()).hasMessage("Not a sample value: ");
        // Java's other number syntax is no sample value
        for (String t : List.of("5d", "1F", "0x1p3", "-0X1.8P1", "1e5e5")) {
            assertThatThrownBy(() -> decode(1L, t).check()).hasMessage("Not a sample value: " + t);
        }
    }

    @Test
    void aReplyOfAnotherShapeFailsNamingTheElement() {
        RedisTimeSeriesRangeOutput status = new RedisTimeSeriesRangeOutput();
        status.set(ByteBuffer.wrap(text("OK")));
        assertThatThrownBy(() -> status.get().check())
                .hasMessage("Not a [timestamp, value] sample in a TS.RANGE reply: OK");
        assertThatThrownBy(() -> decode(1L, "x1").check()).hasMessage("Not a sample value: x1");
        RedisTimeSeriesRangeOutput triple = new RedisTimeSeriesRangeOutput();
        triple.multi(1);
        triple.multi(3);
        assertThatThrownBy(() -> triple.get().check())
                .hasMessage("Not a [timestamp, value] sample in a TS.RANGE reply: an array of 3");
    }

    @Test
    @ExtendWith(RedisStackExtension.class)
    void repliesOfARealServerInBothProtocolsGiveTheSameSamples() throws Exception {
        RedisServer server = RedisStack.server().orElseThrow();
        List<String> parsed = new java.util.ArrayList<>();
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
                                RedisModuleCommand.TS_CREATE,
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
                                RedisModuleCommand.TS_ADD,
                                new ArrayOutput<>(ByteArrayCodec.INSTANCE),
                                new CommandArgs<>(ByteArrayCodec.INSTANCE)
                                        .addKey(text("replies:t"))
                                        .add(1000)
                                        .add("21.5"));
                c.sync()
                        .dispatch(
                                RedisModuleCommand.TS_ADD,
                                new ArrayOutput<>(ByteArrayCodec.INSTANCE),
                                new CommandArgs<>(ByteArrayCodec.INSTANCE)
                                        .addKey(text("replies:t"))
                                        .add(2000)
                                        .add("-3"));
                RedisTimeSeriesRangeOutput.Samples reply =
                        c.sync()
                                .dispatch(
                                        RedisModuleCommand.TS_RANGE,
                                        new RedisTimeSeriesRangeOutput(),
                                        new CommandArgs<>(ByteArrayCodec.INSTANCE)
                                                .addKey(text("replies:t"))
                                                .add("-")
                                                .add("+"));
                parsed.add(samples(reply));
                List<Object> info =
                        c.sync()
                                .dispatch(
                                        RedisModuleCommand.TS_INFO,
                                        new ArrayOutput<>(ByteArrayCodec.INSTANCE),
                                        new CommandArgs<>(ByteArrayCodec.INSTANCE)
                                                .addKey(text("replies:t")));
                labels.add(RedisTimeSeriesReplies.labels(info));
            } finally {
                client.shutdown();
            }
        }

        assertThat(parsed).containsExactly("1000=21.5, 2000=-3.0", "1000=21.5, 2000=-3.0");
        assertThat(labels)
                .containsExactly(
                        java.util.Map.of("area", "eu", "kind", "temp"),
                        java.util.Map.of("area", "eu", "kind", "temp"));
    }
}
