package io.github.flinkredis.connector.types.spi;

import io.github.flinkredis.connector.model.RedisRecord;
import org.apache.flink.annotation.Internal;

/**
 * One page of a key's members read: its records, the position of each, and where the key goes on.
 * The records are built when asked for ({@link #record}), so that the next page can be sent before
 * the work of building them. Each data type builds its records from its own reply.
 *
 * <p>A record's position is a skip at {@link #cursor()}: the members of the page at that cursor
 * before it. The cursor may differ from the one the page was asked for (a list page asked for at an
 * index and a skip counts from the index it starts at).
 */
@Internal
public abstract class RedisMemberPage {

    private static final int[] NONE = new int[0];

    /** For each record, the index in the reply it is built from. */
    private final int[] replyIndexes;

    /** For each record, the members of the page at {@link #cursor} before it. */
    private final int[] positions;

    private final String cursor;
    private final String nextCursor;
    private final boolean last;

    /**
     * @param replyIndexes for each record, its index in the reply (see {@link #build})
     * @param positionBase the position of reply index 0 at {@code cursor}
     * @param cursor the cursor the records' positions count from
     * @param nextCursor where the next page starts, when this is not the key's last
     * @param last whether this is the key's last page
     */
    protected RedisMemberPage(
            int[] replyIndexes, int positionBase, String cursor, String nextCursor, boolean last) {
        this.replyIndexes = replyIndexes;
        this.positions = new int[replyIndexes.length];
        for (int i = 0; i < replyIndexes.length; i++) {
            positions[i] = positionBase + replyIndexes[i];
        }
        this.cursor = cursor;
        this.nextCursor = nextCursor;
        this.last = last;
    }

    /** A key's last page without records, at {@code cursor}. */
    public static RedisMemberPage emptyLast(String cursor) {
        return new RedisMemberPage(NONE, 0, cursor, cursor, true) {
            @Override
            protected RedisRecord build(int replyIndex) {
                throw new IndexOutOfBoundsException("An empty page has no record " + replyIndex);
            }
        };
    }

    /** The record of reply index {@code replyIndex}, built now. */
    protected abstract RedisRecord build(int replyIndex);

    /** The number of records. */
    public final int size() {
        return replyIndexes.length;
    }

    /** Record {@code i}, built now. */
    public final RedisRecord record(int i) {
        return build(replyIndexes[i]);
    }

    /** The skip, at {@link #cursor()}, of the position right before record {@code i}. */
    public final int skipBefore(int i) {
        return positions[i];
    }

    /** The skip, at {@link #cursor()}, of the position right after record {@code i}. */
    public final int skipAfter(int i) {
        return positions[i] + 1;
    }

    /** The cursor the records' positions count from. */
    public final String cursor() {
        return cursor;
    }

    /** Where the next page starts, when this is not the key's last. */
    public final String nextCursor() {
        return nextCursor;
    }

    /** Whether this is the key's last page. */
    public final boolean isLast() {
        return last;
    }
}
