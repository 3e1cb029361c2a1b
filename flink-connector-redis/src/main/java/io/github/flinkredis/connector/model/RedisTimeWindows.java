package io.github.flinkredis.connector.model;

import org.apache.flink.annotation.Internal;

/**
 * Plans the read of a long time-ordered key, a RedisTimeSeries series or a stream, as consecutive
 * windows of its time range (epoch milliseconds), each expected to hold about one page of entries,
 * so that several windows can be asked for at once on one connection ({@code TS.RANGE key from to
 * COUNT n}, {@code XRANGE key from to COUNT n}) instead of one page after the other, each page
 * waiting for the last entry of the one before.
 *
 * <p>The width of a window is the key's time span times the page size divided by its number of
 * entries (from {@code TS.INFO} or {@code XINFO STREAM}), at least 1 ms: the windows of the range
 * then number about as many as its pages would, however unevenly the entries are spread. A window
 * that holds more than its reply may carry is read on from its last entry by the caller; the last
 * window reaches to the end of the range read, so entries added after planning are read too.
 *
 * <p>Not thread-safe; one per key being read.
 */
@Internal
public final class RedisTimeWindows {

    /** How many windows of one key a reader keeps asked for at once. */
    public static final int IN_FLIGHT = 4;

    /**
     * The most entries one window's reply may carry, in pages: a window twice as dense as the key's
     * average is still read in one round trip; a denser one goes on from its last entry.
     */
    private static final int MAX_PAGES_PER_WINDOW = 2;

    private final long plannedEnd;
    private final long rangeEnd;
    private final long width;
    private long next;

    private RedisTimeWindows(long from, long plannedEnd, long rangeEnd, long width) {
        this.next = from;
        this.plannedEnd = plannedEnd;
        this.rangeEnd = rangeEnd;
        this.width = width;
    }

    /**
     * Plans windows from {@code from} on.
     *
     * @param from the first millisecond to read
     * @param rangeEnd the last millisecond read ({@link Long#MAX_VALUE}: to the end of the key)
     * @param entries the number of entries the key holds (0 or less: unknown, one window)
     * @param firstMillis the time of the key's first entry
     * @param lastMillis the time of its last entry; the windows are planned up to it
     * @param pageSize the entries one window should hold
     */
    public static RedisTimeWindows plan(
            long from,
            long rangeEnd,
            long entries,
            long firstMillis,
            long lastMillis,
            int pageSize) {
        long plannedEnd = Math.min(rangeEnd, lastMillis);
        long width;
        if (entries <= 0 || lastMillis < firstMillis) {
            width = Long.MAX_VALUE;
        } else {
            double span = (double) lastMillis - firstMillis + 1;
            width = (long) Math.max(1, Math.min(Long.MAX_VALUE / 2, span * pageSize / entries));
        }
        return new RedisTimeWindows(from, plannedEnd, rangeEnd, width);
    }

    /**
     * The COUNT of a window's read: {@code pageSize} times {@link #MAX_PAGES_PER_WINDOW}; a reply
     * that holds this many entries may leave part of its window unread.
     */
    public static long maxEntries(int pageSize) {
        return (long) pageSize * MAX_PAGES_PER_WINDOW;
    }

    /** One window: its first and last millisecond, both inclusive. */
    public record Window(long from, long to) {}

    /** Whether a window is left to be asked for. */
    public boolean hasNext() {
        return next != Long.MIN_VALUE;
    }

    /**
     * The next window; the last one ends at the end of the range read.
     *
     * @throws IllegalStateException if there is none ({@link #hasNext()})
     */
    public Window next() {
        if (!hasNext()) {
            throw new IllegalStateException("No window left");
        }
        long start = next;
        long end = start > plannedEnd - width + 1 ? rangeEnd : start + width - 1;
        if (end >= plannedEnd) {
            end = rangeEnd;
        }
        next = end == rangeEnd ? Long.MIN_VALUE : end + 1;
        return new Window(start, end);
    }

    /** The width of a window, in ms ({@link Long#MAX_VALUE}: one window for the whole range). */
    public long width() {
        return width;
    }
}
