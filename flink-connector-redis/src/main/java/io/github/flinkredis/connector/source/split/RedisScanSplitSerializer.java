package io.github.flinkredis.connector.source.split;

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
 * Serializes {@link RedisScanSplit}s for checkpoints.
 *
 * <p>Version 1: id, then the first slot as int, then node address, key pattern and cursor as
 * modified UTF-8, then the count of emitted keys and each key as length-prefixed bytes.
 */
@Internal
public final class RedisScanSplitSerializer implements SimpleVersionedSerializer<RedisScanSplit> {

    public static final RedisScanSplitSerializer INSTANCE = new RedisScanSplitSerializer();

    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(RedisScanSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(split, out);
        }
        return bytes.toByteArray();
    }

    /** Writes one split in the current version's layout. */
    public static void write(RedisScanSplit split, DataOutputStream out) throws IOException {
        out.writeUTF(split.splitId());
        out.writeInt(split.firstSlot());
        out.writeUTF(split.nodeAddress());
        out.writeUTF(split.keyPattern());
        out.writeUTF(split.cursor());
        out.writeInt(split.emittedKeys().size());
        for (byte[] key : split.emittedKeys()) {
            out.writeInt(key.length);
            out.write(key);
        }
    }

    @Override
    public RedisScanSplit deserialize(int version, byte[] serialized) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            return read(version, in);
        }
    }

    /** Reads one split written by {@link #write} in the given version. */
    public static RedisScanSplit read(int version, DataInputStream in) throws IOException {
        if (version != VERSION) {
            throw new IOException(
                    "Unknown RedisScanSplit serializer version " + version + " (expected 1)");
        }
        String id = in.readUTF();
        int firstSlot = in.readInt();
        String node = in.readUTF();
        String pattern = in.readUTF();
        String cursor = in.readUTF();
        int n = in.readInt();
        List<byte[]> keys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] key = new byte[in.readInt()];
            in.readFully(key);
            keys.add(key);
        }
        return new RedisScanSplit(id, firstSlot, node, pattern, cursor, keys);
    }
}
