package io.github.flinkredis.connector.source.stream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * What the stream enumerator checkpoints: the streams it found (split IDs, so that a restored
 * enumerator does not add them again), the splits not yet assigned to a reader, and whether the
 * discovery at job start happened (later streams start at their first entry).
 */
@Internal
public final class RedisStreamEnumeratorState {

    private final Set<String> discovered;
    private final List<RedisStreamSplit> unassigned;
    private final boolean initialDiscoveryDone;

    public RedisStreamEnumeratorState(
            Set<String> discovered,
            List<RedisStreamSplit> unassigned,
            boolean initialDiscoveryDone) {
        this.discovered = Set.copyOf(discovered);
        this.unassigned = List.copyOf(unassigned);
        this.initialDiscoveryDone = initialDiscoveryDone;
    }

    public Set<String> discovered() {
        return discovered;
    }

    public List<RedisStreamSplit> unassigned() {
        return unassigned;
    }

    public boolean initialDiscoveryDone() {
        return initialDiscoveryDone;
    }

    /**
     * Version 3: discovered split IDs, unassigned splits (with their claimed entries), the
     * initial-discovery flag; reads version 2 too.
     */
    public static final class Serializer
            implements SimpleVersionedSerializer<RedisStreamEnumeratorState> {

        private static final int VERSION = 3;

        @Override
        public int getVersion() {
            return VERSION;
        }

        @Override
        public byte[] serialize(RedisStreamEnumeratorState state) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(state.discovered.size());
                for (String id : state.discovered) {
                    out.writeUTF(id);
                }
                out.writeInt(state.unassigned.size());
                for (RedisStreamSplit split : state.unassigned) {
                    RedisStreamSplitSerializer.write(split, out);
                }
                out.writeBoolean(state.initialDiscoveryDone);
            }
            return bytes.toByteArray();
        }

        @Override
        public RedisStreamEnumeratorState deserialize(int version, byte[] serialized)
                throws IOException {
            if (version != VERSION && version != 2) {
                throw new IOException(
                        "Unknown RedisStreamEnumeratorState serialization version " + version);
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                Set<String> discovered = new LinkedHashSet<>();
                for (int n = in.readInt(); n > 0; n--) {
                    discovered.add(in.readUTF());
                }
                List<RedisStreamSplit> unassigned = new ArrayList<>();
                for (int n = in.readInt(); n > 0; n--) {
                    unassigned.add(RedisStreamSplitSerializer.read(in, version));
                }
                return new RedisStreamEnumeratorState(discovered, unassigned, in.readBoolean());
            }
        }
    }
}
