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
 * modified UTF-8, then the count of emitted keys and each key as length-prefixed bytes. Version 2
 * adds a flag and, if set, the point-read keys. Version 3 adds a flag and, if set, the open key
 * (length-prefixed), its member cursor (modified UTF-8) and member skip (int).
 */
@Internal
public final class RedisScanSplitSerializer implements SimpleVersionedSerializer<RedisScanSplit> {

    public static final RedisScanSplitSerializer INSTANCE = new RedisScanSplitSerializer();

    /** 1: scans only; 2: adds the point-read keys; 3: adds the open key of a collection. */
    private static final int VERSION = 3;

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
        writeKeys(split.emittedKeys(), out);
        List<byte[]> pointKeys = split.pointKeys();
        out.writeBoolean(pointKeys != null);
        if (pointKeys != null) {
            writeKeys(pointKeys, out);
        }
        byte[] openKey = split.openKey();
        out.writeBoolean(openKey != null);
        if (openKey != null) {
            out.writeInt(openKey.length);
            out.write(openKey);
            out.writeUTF(split.memberCursor());
            out.writeInt(split.memberSkip());
        }
    }

    private static void writeKeys(List<byte[]> keys, DataOutputStream out) throws IOException {
        out.writeInt(keys.size());
        for (byte[] key : keys) {
            out.writeInt(key.length);
            out.write(key);
        }
    }

    private static List<byte[]> readKeys(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<byte[]> keys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] key = new byte[in.readInt()];
            in.readFully(key);
            keys.add(key);
        }
        return keys;
    }

    @Override
    public RedisScanSplit deserialize(int version, byte[] serialized) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            return read(version, in);
        }
    }

    /** Reads one split written by {@link #write} in the given version. */
    public static RedisScanSplit read(int version, DataInputStream in) throws IOException {
        if (version < 1 || version > VERSION) {
            throw new IOException(
                    "Unknown RedisScanSplit serializer version "
                            + version
                            + " (expected 1 to "
                            + VERSION
                            + ")");
        }
        String id = in.readUTF();
        int firstSlot = in.readInt();
        String node = in.readUTF();
        String pattern = in.readUTF();
        String cursor = in.readUTF();
        List<byte[]> emitted = readKeys(in);
        List<byte[]> pointKeys = version >= 2 && in.readBoolean() ? readKeys(in) : null;
        byte[] openKey = null;
        String memberCursor = RedisScanSplit.INITIAL_CURSOR;
        int memberSkip = 0;
        if (version >= 3 && in.readBoolean()) {
            openKey = new byte[in.readInt()];
            in.readFully(openKey);
            memberCursor = in.readUTF();
            memberSkip = in.readInt();
        }
        return new RedisScanSplit(
                id,
                firstSlot,
                node,
                pattern,
                cursor,
                emitted,
                pointKeys,
                openKey,
                memberCursor,
                memberSkip);
    }
}
