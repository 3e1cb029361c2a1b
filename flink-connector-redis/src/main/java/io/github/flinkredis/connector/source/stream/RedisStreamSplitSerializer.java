package io.github.flinkredis.connector.source.stream;

import io.github.flinkredis.connector.model.RedisStreamEntryId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Serializes {@link RedisStreamSplit}s into checkpoints. Version 3: key length and bytes, the last
 * emitted ID and, if present, the stop ID, both as {@code <ms>-<seq>} text, whether the last ID is
 * an emitted entry, then the number of claimed entries emitted and not acknowledged and their IDs.
 * Version 2, without the claimed entries, is read too.
 */
@Internal
public final class RedisStreamSplitSerializer
        implements SimpleVersionedSerializer<RedisStreamSplit> {

    public static final RedisStreamSplitSerializer INSTANCE = new RedisStreamSplitSerializer();

    private static final int VERSION = 3;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(RedisStreamSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(split, out);
        }
        return bytes.toByteArray();
    }

    static void write(RedisStreamSplit split, DataOutputStream out) throws IOException {
        byte[] key = split.key();
        out.writeInt(key.length);
        out.write(key);
        out.writeUTF(split.lastId().toString());
        out.writeBoolean(split.stopId() != null);
        if (split.stopId() != null) {
            out.writeUTF(split.stopId().toString());
        }
        out.writeBoolean(split.isResumed());
        out.writeInt(split.claimedIds().size());
        for (RedisStreamEntryId id : split.claimedIds()) {
            out.writeUTF(id.toString());
        }
    }

    @Override
    public RedisStreamSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION && version != 2) {
            throw new IOException("Unknown RedisStreamSplit serialization version " + version);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            return read(in, version);
        }
    }

    /** Reads a split written by {@link #write} of serializer version {@code version} (2 or 3). */
    static RedisStreamSplit read(DataInputStream in, int version) throws IOException {
        byte[] key = new byte[in.readInt()];
        in.readFully(key);
        RedisStreamEntryId lastId = RedisStreamEntryId.parse(in.readUTF());
        RedisStreamEntryId stopId =
                in.readBoolean() ? RedisStreamEntryId.parse(in.readUTF()) : null;
        boolean resumed = in.readBoolean();
        List<RedisStreamEntryId> claimed = new ArrayList<>();
        if (version >= 3) {
            for (int n = in.readInt(); n > 0; n--) {
                claimed.add(RedisStreamEntryId.parse(in.readUTF()));
            }
        }
        return new RedisStreamSplit(key, lastId, stopId, resumed, claimed);
    }
}
