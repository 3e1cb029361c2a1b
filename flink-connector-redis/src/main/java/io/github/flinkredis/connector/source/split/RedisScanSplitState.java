package io.github.flinkredis.connector.source.split;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.annotation.Internal;

/**
 * The mutable progress of a {@link RedisScanSplit} in a reader, advanced by the record emitter
 * after each record is emitted (so a checkpoint holds exactly what went downstream).
 */
@Internal
public final class RedisScanSplitState {

    private final RedisScanSplit split;
    private String nodeAddress;
    private String cursor;
    private final List<byte[]> emittedKeys;
    private byte[] openKey;
    private String memberCursor;
    private int memberSkip;

    public RedisScanSplitState(RedisScanSplit split) {
        this.split = split;
        this.nodeAddress = split.nodeAddress();
        this.cursor = split.cursor();
        this.emittedKeys = new ArrayList<>(split.emittedKeys());
        this.openKey = split.openKey();
        this.memberCursor = split.memberCursor();
        this.memberSkip = split.memberSkip();
    }

    /**
     * Records that a member of {@code key}, which has more members to emit, was emitted: the key
     * continues from the page at {@code memberCursor}, after its first {@code memberSkip} members.
     * {@code key} came from the page returned by SCAN at {@code pageCursor} on {@code node}.
     */
    public void markMemberEmitted(
            String node, String pageCursor, byte[] key, String memberCursor, int memberSkip) {
        moveTo(node, pageCursor);
        closeOpenKeyUnless(key);
        this.openKey = key;
        this.memberCursor = memberCursor;
        this.memberSkip = memberSkip;
    }

    private void moveTo(String node, String pageCursor) {
        if (!node.equals(nodeAddress)) {
            // the scan restarted on another node (a failover): its cursors start anew
            nodeAddress = node;
            cursor = null;
        }
        if (!pageCursor.equals(cursor)) {
            cursor = pageCursor;
            emittedKeys.clear();
            openKey = null;
        }
    }

    /**
     * A record of another key means the open key has no more records (the reader emits a key's
     * records together): it counts as emitted.
     */
    private void closeOpenKeyUnless(byte[] key) {
        if (openKey != null && !java.util.Arrays.equals(openKey, key)) {
            emittedKeys.add(openKey);
        }
    }

    /**
     * Records that the key {@code key} (for a collection type: its last member), from the page
     * returned by SCAN at {@code pageCursor} on the node at {@code node}, was emitted. {@code
     * nextCursor} is non-null when the key was the page's last, and is then the cursor the split
     * continues from.
     */
    public void markEmitted(String node, String pageCursor, byte[] key, String nextCursor) {
        moveTo(node, pageCursor);
        closeOpenKeyUnless(key);
        openKey = null;
        memberCursor = RedisScanSplit.INITIAL_CURSOR;
        memberSkip = 0;
        if (nextCursor != null) {
            cursor = nextCursor;
            emittedKeys.clear();
        } else {
            emittedKeys.add(key);
        }
    }

    public String cursor() {
        return cursor;
    }

    /** The split with the current progress, for a checkpoint. */
    public RedisScanSplit toSplit() {
        return new RedisScanSplit(
                split.splitId(),
                split.firstSlot(),
                nodeAddress,
                split.keyPattern(),
                cursor,
                emittedKeys,
                split.pointKeys(),
                openKey,
                memberCursor,
                memberSkip);
    }
}
