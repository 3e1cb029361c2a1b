package io.github.flinkredis.connector.types.spi;

import org.apache.flink.annotation.Internal;

/** What the paged reads of every data type share: page sizes, the first cursor, score bounds. */
@Internal
public final class RedisMemberPaging {

    /** The cursor of a key's first page (the split's {@code RedisScanSplit.INITIAL_CURSOR}). */
    public static final String FIRST_CURSOR = "0";

    /**
     * The most members asked for in a key's first page, which is sent for every key of a batch in
     * one pipelined write: small keys are read in that one round trip, while the batch's memory
     * stays bounded; larger keys go on in pages of the configured size.
     */
    public static final int FIRST_PAGE_SIZE = 128;

    private RedisMemberPaging() {}

    /**
     * The size of the page at {@code cursor}: it depends on its cursor only, so that a restore
     * reads the same page again.
     *
     * @param pageSize the configured page size
     */
    public static int pageSize(int pageSize, String cursor) {
        return isFirst(cursor) ? Math.min(pageSize, FIRST_PAGE_SIZE) : pageSize;
    }

    /** Whether {@code cursor} is a key's first page's. */
    public static boolean isFirst(String cursor) {
        return FIRST_CURSOR.equals(cursor);
    }

    /**
     * The members to ask for in a page of {@code size}, when the caller wants at most {@code most}
     * (a LIMIT; -1: no bound): at least one.
     */
    public static long count(int size, long most) {
        return most < 0 ? size : Math.max(1, Math.min(size, most));
    }

    /**
     * A score bound as ZRANGE BYSCORE and ZCOUNT take it: {@code -inf}, {@code (1.5}, {@code 2.0};
     * inclusive, also a FILTER_BY_VALUE bound.
     */
    public static String bound(double value, boolean inclusive) {
        String text =
                Double.isInfinite(value) ? (value > 0 ? "+inf" : "-inf") : Double.toString(value);
        return inclusive ? text : "(" + text;
    }

    /** The reply indexes {@code from} (inclusive) to {@code to} (exclusive). */
    public static int[] indexes(int from, int to) {
        int[] out = new int[Math.max(0, to - from)];
        for (int i = 0; i < out.length; i++) {
            out[i] = from + i;
        }
        return out;
    }
}
