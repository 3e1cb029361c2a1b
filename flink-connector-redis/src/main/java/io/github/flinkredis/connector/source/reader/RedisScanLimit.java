package io.github.flinkredis.connector.source.reader;

/** The LIMIT of a {@link RedisKeySplitReader} (LIMIT pushdown) and the records produced so far. */
final class RedisScanLimit {

    /** The most records the reader produces, or {@code -1}. */
    final long limit;

    /** The records the reader has returned. */
    long produced;

    RedisScanLimit(long limit) {
        this.limit = limit;
    }

    boolean reached() {
        return limit >= 0 && produced >= limit;
    }

    /** The records this reader may still produce under its LIMIT, or -1 without one. */
    long remaining() {
        return limit < 0 ? -1 : Math.max(0, limit - produced);
    }
}
