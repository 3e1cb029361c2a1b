package io.github.flinkredis.connector.source.split;

import io.github.flinkredis.connector.model.RedisText;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * A bounded scan of one shard: the keys matching one glob pattern on one Redis node, read with
 * {@code SCAN cursor MATCH pattern COUNT n TYPE t}.
 *
 * <p>Immutable. The progress of a split is its SCAN cursor plus the keys already emitted from the
 * page that cursor returns, so that a restore re-reads that page and skips those keys: every key is
 * emitted once across a checkpoint and restore (SCAN itself may return a key twice when the
 * keyspace is resized during the scan). A standalone server is one shard; a Redis Cluster has one
 * per primary.
 *
 * <p>For the collection types (set, list, zset) a key yields many records. A split checkpointed in
 * the middle of a key's members also holds that {@linkplain #openKey() open key} and the position
 * in it: the {@linkplain #memberCursor() member cursor} of the page being emitted (an SSCAN cursor,
 * or the list index or zset rank the page starts at) and the number of its members already emitted
 * ({@link #memberSkip()}).
 */
@Internal
public final class RedisScanSplit implements SourceSplit, Serializable {

    private static final long serialVersionUID = 1L;

    /** The cursor of a scan that has not started. */
    public static final String INITIAL_CURSOR = "0";

    /**
     * The cursor of a scan that has emitted its last key. SCAN itself ends with cursor 0, which
     * would restart it, so a split checkpointed after its last key and before it finished holds
     * this marker instead.
     */
    public static final String END_CURSOR = "end";

    private final String splitId;
    private final int firstSlot;
    private final String nodeAddress;
    private final String keyPattern;
    private final String cursor;
    private final List<byte[]> emittedKeys;
    @Nullable private final List<byte[]> pointKeys;
    @Nullable private final byte[] openKey;
    private final String memberCursor;
    private final int memberSkip;

    /**
     * @param splitId unique id, stable across restores
     * @param firstSlot the first hash slot of the cluster shard this split scans, or -1 for a
     *     standalone or Sentinel-managed server
     * @param nodeAddress {@code host:port} of the node whose SCAN cursor {@code cursor} is
     * @param keyPattern SCAN MATCH glob pattern
     * @param cursor SCAN cursor to continue from ({@link #INITIAL_CURSOR} to start)
     * @param emittedKeys keys already emitted from the page that {@code cursor} returns
     */
    public RedisScanSplit(
            String splitId,
            int firstSlot,
            String nodeAddress,
            String keyPattern,
            String cursor,
            List<byte[]> emittedKeys) {
        this(splitId, firstSlot, nodeAddress, keyPattern, cursor, emittedKeys, null);
    }

    /**
     * A split of a point read, or of a scan when {@code pointKeys} is null.
     *
     * @param pointKeys the keys to read instead of a SCAN (filter pushdown on the key), read as one
     *     page whose cursor is {@link #INITIAL_CURSOR}; null for a scan
     */
    public RedisScanSplit(
            String splitId,
            int firstSlot,
            String nodeAddress,
            String keyPattern,
            String cursor,
            List<byte[]> emittedKeys,
            @Nullable List<byte[]> pointKeys) {
        this(
                splitId,
                firstSlot,
                nodeAddress,
                keyPattern,
                cursor,
                emittedKeys,
                pointKeys,
                null,
                INITIAL_CURSOR,
                0);
    }

    /**
     * A split checkpointed in the middle of the members of {@code openKey}.
     *
     * @param openKey the key whose members were being emitted, or null
     * @param memberCursor where the page of {@code openKey} being emitted starts: an SSCAN cursor,
     *     a list index or a zset rank ({@link #INITIAL_CURSOR} for the key's first page)
     * @param memberSkip members of that page already emitted
     */
    public RedisScanSplit(
            String splitId,
            int firstSlot,
            String nodeAddress,
            String keyPattern,
            String cursor,
            List<byte[]> emittedKeys,
            @Nullable List<byte[]> pointKeys,
            @Nullable byte[] openKey,
            String memberCursor,
            int memberSkip) {
        this.openKey = openKey;
        this.memberCursor = Objects.requireNonNull(memberCursor);
        this.memberSkip = memberSkip;
        this.pointKeys =
                pointKeys == null ? null : Collections.unmodifiableList(new ArrayList<>(pointKeys));
        this.splitId = Objects.requireNonNull(splitId);
        this.firstSlot = firstSlot;
        this.nodeAddress = Objects.requireNonNull(nodeAddress);
        this.keyPattern = Objects.requireNonNull(keyPattern);
        this.cursor = Objects.requireNonNull(cursor);
        this.emittedKeys = Collections.unmodifiableList(new ArrayList<>(emittedKeys));
    }

    /** A split that starts the scan of {@code keyPattern} on the node at {@code nodeAddress}. */
    public static RedisScanSplit initial(
            String splitId, int firstSlot, String nodeAddress, String keyPattern) {
        return new RedisScanSplit(
                splitId, firstSlot, nodeAddress, keyPattern, INITIAL_CURSOR, List.of());
    }

    /** The keys a point read reads instead of a SCAN, or null for a scan. */
    @Nullable
    public List<byte[]> pointKeys() {
        return pointKeys;
    }

    /** Whether the scan has not emitted anything yet. */
    public boolean isAtStart() {
        return INITIAL_CURSOR.equals(cursor) && emittedKeys.isEmpty() && openKey == null;
    }

    /** The key whose members were being emitted at the checkpoint, or null. */
    @Nullable
    public byte[] openKey() {
        return openKey;
    }

    /** Where the page of the {@linkplain #openKey() open key} being emitted starts. */
    public String memberCursor() {
        return memberCursor;
    }

    /** Members of the open key's page at {@link #memberCursor()} already emitted. */
    public int memberSkip() {
        return memberSkip;
    }

    /** The first hash slot of the cluster shard, or -1 outside a cluster. */
    public int firstSlot() {
        return firstSlot;
    }

    @Override
    public String splitId() {
        return splitId;
    }

    public String nodeAddress() {
        return nodeAddress;
    }

    public String keyPattern() {
        return keyPattern;
    }

    public String cursor() {
        return cursor;
    }

    /** Whether the scan has emitted every key. */
    public boolean isScanEnded() {
        return END_CURSOR.equals(cursor);
    }

    public List<byte[]> emittedKeys() {
        return emittedKeys;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RedisScanSplit)) {
            return false;
        }
        RedisScanSplit that = (RedisScanSplit) o;
        return splitId.equals(that.splitId)
                && firstSlot == that.firstSlot
                && nodeAddress.equals(that.nodeAddress)
                && keyPattern.equals(that.keyPattern)
                && cursor.equals(that.cursor)
                && sameKeys(emittedKeys, that.emittedKeys)
                && sameKeys(pointKeys, that.pointKeys)
                && java.util.Arrays.equals(openKey, that.openKey)
                && memberCursor.equals(that.memberCursor)
                && memberSkip == that.memberSkip;
    }

    private static boolean sameKeys(@Nullable List<byte[]> a, @Nullable List<byte[]> b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!java.util.Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(splitId, nodeAddress, keyPattern, cursor, emittedKeys.size());
    }

    @Override
    public String toString() {
        return "RedisScanSplit{id="
                + splitId
                + (firstSlot >= 0 ? ", firstSlot=" + firstSlot : "")
                + ", node="
                + nodeAddress
                + (pointKeys != null
                        ? ", pointKeys=" + pointKeys.size()
                        : ", pattern=" + keyPattern)
                + ", cursor="
                + cursor
                + ", emittedFromPage="
                + emittedKeys.size()
                + (emittedKeys.isEmpty()
                        ? ""
                        : ", lastEmitted="
                                + RedisText.show(emittedKeys.get(emittedKeys.size() - 1)))
                + (openKey == null
                        ? ""
                        : ", openKey="
                                + RedisText.show(openKey)
                                + ", memberCursor="
                                + memberCursor
                                + ", memberSkip="
                                + memberSkip)
                + "}";
    }
}
