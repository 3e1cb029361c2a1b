package io.github.flinkredis.connector.source.enumerator;

import io.github.flinkredis.connector.source.split.RedisScanSplit;
import io.github.flinkredis.connector.source.split.RedisScanSplitSerializer;
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
 * Serializes {@link RedisEnumeratorState}. Version 1: the discovered flag, the split serializer's
 * version, the number of splits, then each split as {@link RedisScanSplitSerializer} writes it.
 */
@Internal
public final class RedisEnumeratorStateSerializer
        implements SimpleVersionedSerializer<RedisEnumeratorState> {

    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(RedisEnumeratorState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeBoolean(state.splitsDiscovered());
            out.writeInt(RedisScanSplitSerializer.INSTANCE.getVersion());
            out.writeInt(state.unassignedSplits().size());
            for (RedisScanSplit split : state.unassignedSplits()) {
                RedisScanSplitSerializer.write(split, out);
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public RedisEnumeratorState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException(
                    "Unknown RedisEnumeratorState serializer version " + version + " (expected 1)");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            boolean discovered = in.readBoolean();
            int splitVersion = in.readInt();
            int n = in.readInt();
            List<RedisScanSplit> splits = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                splits.add(RedisScanSplitSerializer.read(splitVersion, in));
            }
            return new RedisEnumeratorState(splits, discovered);
        }
    }
}
