package io.github.flinkredis.connector.source.reader;

import io.github.flinkredis.connector.model.RedisRecord;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;

/**
 * A {@link RedisRecord} with its place in the scan: the SCAN cursor of the page it came from and,
 * for the last record emitted from a page, the cursor the scan continues from. A record of a member
 * or element that is not its key's last also holds where the key's members continue.
 */
@Internal
public final class RedisScanRecord {

    private final RedisRecord record;
    private final String nodeAddress;
    private final String pageCursor;
    @Nullable private final String nextCursor;
    @Nullable private final String memberCursor;
    private final int memberSkip;

    RedisScanRecord(
            RedisRecord record,
            String nodeAddress,
            String pageCursor,
            @Nullable String nextCursor) {
        this(record, nodeAddress, pageCursor, nextCursor, null, 0);
    }

    private RedisScanRecord(
            RedisRecord record,
            String nodeAddress,
            String pageCursor,
            @Nullable String nextCursor,
            @Nullable String memberCursor,
            int memberSkip) {
        this.record = record;
        this.nodeAddress = nodeAddress;
        this.pageCursor = pageCursor;
        this.nextCursor = nextCursor;
        this.memberCursor = memberCursor;
        this.memberSkip = memberSkip;
    }

    /**
     * A record of a member or element after which its key has more: the key continues from the
     * member page at {@code memberCursor}, after {@code memberSkip} members of it.
     */
    static RedisScanRecord ofOpenKey(
            RedisRecord record,
            String nodeAddress,
            String pageCursor,
            String memberCursor,
            int memberSkip) {
        return new RedisScanRecord(record, nodeAddress, pageCursor, null, memberCursor, memberSkip);
    }

    /**
     * Where the members of this record's key continue, or null when this record is the key's last
     * (or the key's only one).
     */
    @Nullable
    public String memberCursor() {
        return memberCursor;
    }

    /** Members of the page at {@link #memberCursor()} emitted up to and including this one. */
    public int memberSkip() {
        return memberSkip;
    }

    public RedisRecord record() {
        return record;
    }

    /** {@code host:port} of the node that was scanned. */
    public String nodeAddress() {
        return nodeAddress;
    }

    public String pageCursor() {
        return pageCursor;
    }

    /** The cursor after this record's page if this is the page's last record, else null. */
    @Nullable
    public String nextCursor() {
        return nextCursor;
    }

    /** The same record marked as the last of its page. */
    RedisScanRecord lastOfPage(String next) {
        return new RedisScanRecord(record, nodeAddress, pageCursor, next, null, 0);
    }
}
