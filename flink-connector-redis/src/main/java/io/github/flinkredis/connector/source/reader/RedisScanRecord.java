package io.github.flinkredis.connector.source.reader;

import io.github.flinkredis.connector.source.RedisRecord;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;

/**
 * A {@link RedisRecord} with its place in the scan: the SCAN cursor of the page it came from and,
 * for the last record emitted from a page, the cursor the scan continues from.
 */
@Internal
public final class RedisScanRecord {

    private final RedisRecord record;
    private final String nodeAddress;
    private final String pageCursor;
    @Nullable private final String nextCursor;

    RedisScanRecord(
            RedisRecord record,
            String nodeAddress,
            String pageCursor,
            @Nullable String nextCursor) {
        this.record = record;
        this.nodeAddress = nodeAddress;
        this.pageCursor = pageCursor;
        this.nextCursor = nextCursor;
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
        return new RedisScanRecord(record, nodeAddress, pageCursor, next);
    }
}
