package io.github.flinkredis.connector.source.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.model.RedisStreamEntryId;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Splits survive the checkpoint serializer, of this version and of version 2. */
class RedisStreamSplitSerializerTest {

    private static final byte[] KEY = "orders:\u00e9".getBytes(StandardCharsets.UTF_8);

    @Test
    void roundTripsPositionsStopAndClaimedEntries() throws Exception {
        RedisStreamSplitSerializer serializer = RedisStreamSplitSerializer.INSTANCE;
        RedisStreamSplit split =
                new RedisStreamSplit(
                        KEY,
                        RedisStreamEntryId.parse("1700000000000-3"),
                        RedisStreamEntryId.parse("1700000009999-0"),
                        true,
                        List.of(
                                RedisStreamEntryId.parse("17-2"),
                                RedisStreamEntryId.parse("5-0"),
                                RedisStreamEntryId.parse("17-2")));

        RedisStreamSplit copy =
                serializer.deserialize(serializer.getVersion(), serializer.serialize(split));

        assertThat(copy).isEqualTo(split);
        assertThat(copy.splitId()).isEqualTo("orders:\u00e9");
        assertThat(copy.isResumed()).isTrue();
        assertThat(copy.claimedIds())
                .containsExactly(RedisStreamEntryId.parse("5-0"), RedisStreamEntryId.parse("17-2"));
        RedisStreamSplit unbounded = new RedisStreamSplit(KEY, RedisStreamEntryId.MIN, null);
        assertThat(serializer.deserialize(3, serializer.serialize(unbounded))).isEqualTo(unbounded);
    }

    @Test
    void readsVersionTwoWithoutClaimedEntries() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(KEY.length);
            out.write(KEY);
            out.writeUTF("10-1");
            out.writeBoolean(false);
            out.writeBoolean(true);
        }

        RedisStreamSplit split =
                RedisStreamSplitSerializer.INSTANCE.deserialize(2, bytes.toByteArray());

        assertThat(split)
                .isEqualTo(new RedisStreamSplit(KEY, RedisStreamEntryId.parse("10-1"), null, true));
        assertThat(split.claimedIds()).isEmpty();
    }
}
