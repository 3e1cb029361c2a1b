package io.github.flinkredis.connector.sink;

import io.github.flinkredis.connector.types.spi.RedisTypeWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.annotation.Internal;

/**
 * The mutations a {@link RedisSinkWriter} has yet to send, in input order, where an UPSERT of a
 * record stands for an update-before ({@link RedisMutation#isUpdateBefore()}) of the same record
 * right before it (the two halves of an update).
 *
 * <p>An update-before is "pending" while it is the last mutation of its key in the buffer. An
 * UPSERT of its key and record (hash, string, json: the key; set, zset: the member; timeseries: the
 * sample's timestamp) removes a pending update-before and is written alone, as an update in place;
 * any other mutation of the key ends the pending state, and the update-before is written as its
 * DELETE, before that mutation. The data type's writer decides what the record is ({@link
 * RedisTypeWriter#sameRecord}) and whether updates pair at all ({@link
 * RedisTypeWriter#pairsUpdates()}): lists and streams (appends) and timeseries whose duplicate
 * policy is not {@code LAST} (where an added sample does not simply replace the old one) take
 * update-befores as plain DELETEs.
 *
 * <p>{@link #drain(boolean) drain(true)} (a full buffer, the flush timer) keeps a pending
 * update-before in the buffer the first time, since the UPSERT of the update may still be on its
 * way; the next drain sends it. It is the last of its key, so nothing of its key overtakes it.
 */
@Internal
final class RedisMutationBuffer {

    private final RedisTypeWriter writer;

    /** Whether an UPSERT may stand for the update-before of its record. */
    private final boolean pairsUpdates;

    /** The two mutations {@link #sameRecord} compares, as the writer reads them. */
    private final RedisMutationView updateBeforeView = new RedisMutationView();

    private final RedisMutationView upsertView = new RedisMutationView();

    /** The mutations, in input order; null for an update-before an UPSERT stands for. */
    private final List<RedisMutation> mutations = new ArrayList<>();

    /** The pending update-befores, by key: their index in {@link #mutations}. */
    private final Map<ByteBuffer, Integer> pending = new HashMap<>();

    /** How many mutations at the start of the buffer an earlier drain kept. */
    private int kept;

    /**
     * @param writer the data type's writer, which pairs an update's halves
     */
    RedisMutationBuffer(RedisTypeWriter writer) {
        this.writer = writer;
        this.pairsUpdates = writer.pairsUpdates();
    }

    /** Buffered mutations, counting those an UPSERT stood for. */
    int size() {
        return mutations.size();
    }

    boolean isEmpty() {
        return mutations.isEmpty();
    }

    /** Appends {@code m}; an UPSERT of the record of a pending update-before removes that one. */
    void add(RedisMutation m) {
        if (!pending.isEmpty()) {
            Integer at = pending.remove(ByteBuffer.wrap(m.key()));
            if (at != null
                    && m.kind() == RedisMutation.Kind.UPSERT
                    && sameRecord(mutations.get(at), m)) {
                mutations.set(at, null);
            }
        }
        if (m.isUpdateBefore() && pairsUpdates) {
            pending.put(ByteBuffer.wrap(m.key()), mutations.size());
        }
        mutations.add(m);
    }

    /** Whether {@code upsert} writes the record (member, sample) {@code updateBefore} removes. */
    private boolean sameRecord(RedisMutation updateBefore, RedisMutation upsert) {
        return writer.sameRecord(updateBeforeView.of(updateBefore), upsertView.of(upsert));
    }

    /**
     * Takes the mutations to send, in input order. With {@code keepPending}, a pending
     * update-before that no drain kept before stays in the buffer (and is no longer counted as
     * new); the rest is taken.
     */
    List<RedisMutation> drain(boolean keepPending) {
        boolean keep = keepPending && !pending.isEmpty();
        List<RedisMutation> out = new ArrayList<>(mutations.size());
        List<RedisMutation> stay = null;
        for (int i = 0; i < mutations.size(); i++) {
            RedisMutation m = mutations.get(i);
            if (m == null) {
                continue;
            }
            if (keep && i >= kept && isPendingAt(m, i)) {
                if (stay == null) {
                    stay = new ArrayList<>();
                }
                stay.add(m);
            } else {
                out.add(m);
            }
        }
        mutations.clear();
        pending.clear();
        kept = 0;
        if (stay != null) {
            stay.forEach(this::add);
            kept = mutations.size();
        }
        return out;
    }

    /** Whether {@code m}, at {@code index}, is the pending update-before of its key. */
    private boolean isPendingAt(RedisMutation m, int index) {
        return m.isUpdateBefore()
                && Integer.valueOf(index).equals(pending.get(ByteBuffer.wrap(m.key())));
    }
}
