package io.github.flinkredis.connector.source.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.types.stream.RedisStreamEntries;
import io.github.flinkredis.connector.types.stream.RedisStreamRangeOutput;
import io.github.flinkredis.testutils.RedisExtension;
import io.github.flinkredis.testutils.RedisServer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The entries {@link RedisStreamRangeOutput} decodes from a real server's XRANGE and XREVRANGE
 * replies, in both protocols, are Lettuce's own, and records built from them hold the same values.
 */
@ExtendWith(RedisExtension.class)
class RedisStreamRangeOutputITCase {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** An entry as text: its ID and its fields in order, for comparing. */
    private static String text(StreamMessage<byte[], byte[]> m) {
        Map<String, String> body = new LinkedHashMap<>();
        m.getBody().forEach((k, v) -> body.put(s(k), s(v)));
        return s(m.getStream()) + " " + m.getId() + " " + body;
    }

    @ParameterizedTest
    @EnumSource(
            value = ProtocolVersion.class,
            names = {"RESP2", "RESP3"})
    void decodesWhatLettucesOutputDecodes(ProtocolVersion protocol, RedisServer server)
            throws Exception {
        RedisClient client = RedisClient.create(server.url());
        client.setOptions(ClientOptions.builder().protocolVersion(protocol).build());
        try (StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE)) {
            byte[] key = b("range:" + protocol);
            c.sync().del(key);
            for (int i = 1; i <= 50; i++) {
                Map<byte[], byte[]> body = new LinkedHashMap<>();
                body.put(b("a"), b("v" + i));
                if (i % 2 == 0) {
                    body.put(b("b"), new byte[0]);
                }
                if (i % 5 == 0) {
                    body.put(b("ü"), b("\u00e9" + i));
                }
                c.sync().xadd(key, new XAddArgs().id("1000-" + i), body);
            }
            // a field named twice in one entry
            c.sync()
                    .dispatch(
                            CommandType.XADD,
                            new io.lettuce.core.output.StatusOutput<>(ByteArrayCodec.INSTANCE),
                            new CommandArgs<>(ByteArrayCodec.INSTANCE)
                                    .addKey(key)
                                    .add("2000-0")
                                    .add("a")
                                    .add("first")
                                    .add("a")
                                    .add("last"));

            List<String> expected = new ArrayList<>();
            for (StreamMessage<byte[], byte[]> m :
                    c.sync().xrange(key, Range.create("1000-3", "2000-0"))) {
                expected.add(text(m));
            }
            List<StreamMessage<byte[], byte[]>> decoded =
                    RedisStreamRangeOutput.send(c.async(), key, "1000-3", "2000-0", 1_000).get();
            List<String> actual = new ArrayList<>();
            decoded.forEach(m -> actual.add(text(m)));

            assertThat(actual).hasSize(49).isEqualTo(expected);
            assertThat(actual.get(actual.size() - 1))
                    .isEqualTo("range:" + protocol + " 2000-0 {a=last}");
            // records: requested fields by name (a missing one null), or every field
            StreamMessage<byte[], byte[]> tenth = decoded.get(7); // 1000-10
            assertThat(tenth.getId()).isEqualTo("1000-10");
            byte[][] values =
                    RedisStreamEntries.record(key, -1, tenth, new byte[][] {b("ü"), b("c"), b("a")})
                            .values();
            assertThat(new String[] {s(values[0]), s(values[1]), s(values[2])})
                    .containsExactly("\u00e910", null, "v10");
            byte[][] names = RedisStreamEntries.record(key, -1, tenth, null).fieldNames();
            assertThat(names.length).isEqualTo(3);
            assertThat(s(names[0]) + s(names[1]) + s(names[2])).isEqualTo("abü");
            assertThat(
                            s(
                                    RedisStreamEntries.record(
                                                    key,
                                                    -1,
                                                    decoded.get(decoded.size() - 1),
                                                    new byte[][] {b("a")})
                                            .values()[0]))
                    .isEqualTo("first");
            // as from the entry that Lettuce's own output decodes (the XREAD path)
            StreamMessage<byte[], byte[]> viaLettuce =
                    c.sync().xrange(key, Range.create("2000-0", "2000-0")).get(0);
            assertThat(
                            s(
                                    RedisStreamEntries.record(
                                                    key, -1, viaLettuce, new byte[][] {b("a")})
                                            .values()[0]))
                    .isEqualTo("first");

            // XREVRANGE, and an empty reply
            List<StreamMessage<byte[], byte[]>> reversed =
                    c.sync()
                            .dispatch(
                                    CommandType.XREVRANGE,
                                    new RedisStreamRangeOutput(key),
                                    new CommandArgs<>(ByteArrayCodec.INSTANCE)
                                            .addKey(key)
                                            .add("+")
                                            .add("-")
                                            .add("COUNT")
                                            .add(2));
            assertThat(reversed)
                    .extracting(StreamMessage::getId)
                    .containsExactly("2000-0", "1000-50");
            assertThat(RedisStreamRangeOutput.send(c.async(), key, "3000", "+", 10).get())
                    .isEmpty();
        } finally {
            client.shutdown();
        }
    }
}
