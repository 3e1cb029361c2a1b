package io.github.flinkredis.connector.model;

import java.io.Serializable;
import org.apache.flink.annotation.Internal;

/**
 * A Redis stream entry ID {@code <ms>-<seq>}: two unsigned 64-bit numbers, the milliseconds part
 * (the entry's time) and a sequence number within that millisecond. Ordered as Redis orders them.
 */
@Internal
public final class RedisStreamEntryId implements Comparable<RedisStreamEntryId>, Serializable {

    private static final long serialVersionUID = 1L;

    /** {@code 0-0}: below every entry ID (Redis never assigns it), the position before a stream. */
    public static final RedisStreamEntryId MIN = new RedisStreamEntryId(0, 0);

    private final long millis;
    private final long sequence;

    public RedisStreamEntryId(long millis, long sequence) {
        this.millis = millis;
        this.sequence = sequence;
    }

    /**
     * Parses {@code <ms>-<seq>}, or {@code <ms>} alone for {@code <ms>-0}.
     *
     * @throws IllegalArgumentException naming the text if it is not an entry ID
     */
    public static RedisStreamEntryId parse(String id) {
        // the common shape, as Redis writes IDs, without substrings; anything else below
        int n = id.length();
        int dash = id.indexOf('-');
        if (dash > 0 && dash < n - 1 && dash <= 18 && n - dash - 1 <= 18) {
            long millis = digits(id, 0, dash);
            long sequence = millis < 0 ? -1 : digits(id, dash + 1, n);
            if (sequence >= 0) {
                return new RedisStreamEntryId(millis, sequence);
            }
        }
        return parseText(id);
    }

    /** The decimal number of {@code s} from {@code from} to {@code to} (up to 18 digits), or -1. */
    private static long digits(String s, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static RedisStreamEntryId parseText(String id) {
        String s = id.trim();
        int dash = s.indexOf('-');
        try {
            if (dash < 0) {
                return new RedisStreamEntryId(Long.parseUnsignedLong(s), 0);
            }
            return new RedisStreamEntryId(
                    Long.parseUnsignedLong(s.substring(0, dash)),
                    Long.parseUnsignedLong(s.substring(dash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "'"
                            + id
                            + "' is not a stream entry ID (<milliseconds>-<sequence>, e.g."
                            + " 1700000000000-0)",
                    e);
        }
    }

    /** The first ID of millisecond {@code millis}: {@code <millis>-0}. */
    public static RedisStreamEntryId firstOf(long millis) {
        return new RedisStreamEntryId(millis, 0);
    }

    /** The milliseconds part: the entry's time since the epoch. */
    public long millis() {
        return millis;
    }

    /**
     * The ID right before this one ({@code 0-0} stays {@code 0-0}), so that an XREAD after it
     * returns this entry first.
     */
    public RedisStreamEntryId previous() {
        if (sequence != 0) {
            return new RedisStreamEntryId(millis, sequence - 1);
        }
        if (millis == 0) {
            return MIN;
        }
        return new RedisStreamEntryId(millis - 1, -1L); // -1 is the unsigned maximum
    }

    /** The ID right after this one, the first an XRANGE from it returns after this entry. */
    public RedisStreamEntryId next() {
        if (sequence != -1L) {
            return new RedisStreamEntryId(millis, sequence + 1);
        }
        return new RedisStreamEntryId(millis + 1, 0);
    }

    @Override
    public int compareTo(RedisStreamEntryId o) {
        int c = Long.compareUnsigned(millis, o.millis);
        return c != 0 ? c : Long.compareUnsigned(sequence, o.sequence);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RedisStreamEntryId
                && ((RedisStreamEntryId) o).millis == millis
                && ((RedisStreamEntryId) o).sequence == sequence;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(millis) * 31 + Long.hashCode(sequence);
    }

    /** {@code <ms>-<seq>}, as Redis writes it. */
    @Override
    public String toString() {
        return Long.toUnsignedString(millis) + "-" + Long.toUnsignedString(sequence);
    }
}
