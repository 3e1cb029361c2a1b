package io.github.flinkredis.connector.types.stream;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.nio.ByteBuffer;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.flink.annotation.Internal;

/**
 * The entries of an {@code XRANGE} (or {@code XREVRANGE}) reply, {@code [[id, [field, value, ...]],
 * ...]} in either protocol, as Lettuce's {@code StreamMessage}s whose bodies keep the fields and
 * values in one array in reply order ({@link Body}) instead of a {@code LinkedHashMap}: decoding on
 * the connection's event loop then costs a byte array per field and value and one small object per
 * entry. A nil body (an entry deleted, in replies that can have them) is an empty one.
 */
@Internal
public final class RedisStreamRangeOutput
        extends CommandOutput<byte[], byte[], List<StreamMessage<byte[], byte[]>>> {

    private final byte[] stream;
    private boolean initialized;
    private String id;
    private byte[][] flat;
    private int filled;

    /**
     * Sends {@code XRANGE key <start> <end> COUNT <count>}, its reply decoded by this output.
     *
     * @param start an entry ID, an incomplete ID ({@code <ms>}), {@code (<id>} or {@code -}
     * @param end an entry ID, an incomplete ID or {@code +}
     */
    public static RedisFuture<List<StreamMessage<byte[], byte[]>>> send(
            RedisClusterAsyncCommands<byte[], byte[]> commands,
            byte[] key,
            String start,
            String end,
            long count) {
        return commands.dispatch(
                CommandType.XRANGE,
                new RedisStreamRangeOutput(key),
                new CommandArgs<>(ByteArrayCodec.INSTANCE)
                        .addKey(key)
                        .add(start)
                        .add(end)
                        .add("COUNT")
                        .add(count));
    }

    /**
     * @param stream the stream key, each entry's {@link StreamMessage#getStream()}
     */
    public RedisStreamRangeOutput(byte[] stream) {
        super(ByteArrayCodec.INSTANCE, Collections.emptyList());
        this.stream = stream;
    }

    @Override
    public void multi(int count) {
        if (!initialized) {
            output = new ArrayList<>(Math.max(0, count));
            initialized = true;
        } else if (id != null && flat == null) {
            // the entry's field list (after its ID); -1: nil
            flat = count > 0 ? new byte[count][] : Body.NONE;
            filled = 0;
        }
    }

    @Override
    public void set(ByteBuffer bytes) {
        if (id == null) {
            id = decodeString(bytes);
            return;
        }
        if (flat == null) {
            flat = Body.NONE; // not announced by multi(): cannot happen in a well-formed reply
        }
        byte[] b = null;
        if (bytes != null) {
            b = new byte[bytes.remaining()];
            bytes.get(b);
        }
        if (filled < flat.length) {
            flat[filled++] = b;
        }
    }

    @Override
    public void complete(int depth) {
        if (depth == 1 && id != null) {
            output.add(new StreamMessage<>(stream, id, new Body(flat == null ? Body.NONE : flat)));
            id = null;
            flat = null;
        }
    }

    /**
     * The fields and values of an entry, {@code field, value, field, value, ...} in one array, as a
     * read-only map in reply order (lookups compare names by content; a field named twice has its
     * first value, as entries that XREAD returns have).
     */
    @Internal
    public static final class Body extends AbstractMap<byte[], byte[]> {

        static final byte[][] NONE = new byte[0][];

        private final byte[][] flat;

        Body(byte[][] flat) {
            this.flat = flat;
        }

        /** The number of fields. */
        @Override
        public int size() {
            return flat.length / 2;
        }

        /** Field {@code i}'s name (0-based, in reply order). */
        public byte[] field(int i) {
            return flat[2 * i];
        }

        /** Field {@code i}'s value. */
        public byte[] value(int i) {
            return flat[2 * i + 1];
        }

        @Override
        public byte[] get(Object name) {
            if (name instanceof byte[] n) {
                for (int i = 0; i + 1 < flat.length; i += 2) {
                    if (java.util.Arrays.equals(flat[i], n)) {
                        return flat[i + 1];
                    }
                }
            }
            return null;
        }

        @Override
        public java.util.Set<Map.Entry<byte[], byte[]>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Map.Entry<byte[], byte[]>> iterator() {
                    return new Iterator<>() {
                        private int i;

                        @Override
                        public boolean hasNext() {
                            return i + 1 < flat.length;
                        }

                        @Override
                        public Map.Entry<byte[], byte[]> next() {
                            if (!hasNext()) {
                                throw new NoSuchElementException();
                            }
                            Map.Entry<byte[], byte[]> e =
                                    new AbstractMap.SimpleImmutableEntry<>(flat[i], flat[i + 1]);
                            i += 2;
                            return e;
                        }
                    };
                }

                @Override
                public int size() {
                    return Body.this.size();
                }
            };
        }
    }
}
