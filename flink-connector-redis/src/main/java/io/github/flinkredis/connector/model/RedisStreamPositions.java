package io.github.flinkredis.connector.model;

import io.github.flinkredis.connector.config.StreamBoundedMode;
import io.github.flinkredis.connector.config.StreamStartupMode;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Where a {@link RedisStreamSource} starts and stops reading each stream: a startup mode and a
 * bounded mode with their timestamps or per-stream entry IDs, as the options {@code scan.startup.*}
 * and {@code scan.bounded.*} give them.
 *
 * <p>Positions are resolved once per stream, by the enumerator, when it discovers the stream; the
 * resolved positions travel in the split and in checkpoints, so a restored job never resolves them
 * again.
 */
@PublicEvolving
public final class RedisStreamPositions implements Serializable {

    private static final long serialVersionUID = 1L;

    private final StreamStartupMode startupMode;
    private final long startupTimestamp;
    private final Map<String, RedisStreamEntryId> startupIds;
    private final StreamBoundedMode boundedMode;
    private final long boundedTimestamp;
    private final Map<String, RedisStreamEntryId> boundedIds;

    private RedisStreamPositions(
            StreamStartupMode startupMode,
            long startupTimestamp,
            Map<String, RedisStreamEntryId> startupIds,
            StreamBoundedMode boundedMode,
            long boundedTimestamp,
            Map<String, RedisStreamEntryId> boundedIds) {
        this.startupMode = startupMode;
        this.startupTimestamp = startupTimestamp;
        this.startupIds = Map.copyOf(startupIds);
        this.boundedMode = boundedMode;
        this.boundedTimestamp = boundedTimestamp;
        this.boundedIds = Map.copyOf(boundedIds);
    }

    /** From the first entry of each stream, never stopping. */
    public static RedisStreamPositions earliestUnbounded() {
        return new RedisStreamPositions(
                StreamStartupMode.EARLIEST, 0, Map.of(), StreamBoundedMode.UNBOUNDED, 0, Map.of());
    }

    /**
     * The positions the options name.
     *
     * @param startupTimestamp epoch milliseconds, for {@link StreamStartupMode#TIMESTAMP}
     * @param startupIds per stream key, the first entry ID to read, for {@link
     *     StreamStartupMode#SPECIFIC_IDS}
     * @param boundedTimestamp epoch milliseconds, for {@link StreamBoundedMode#TIMESTAMP}
     * @param boundedIds per stream key, the first entry ID not to read, for {@link
     *     StreamBoundedMode#SPECIFIC_IDS}
     */
    public static RedisStreamPositions of(
            StreamStartupMode startupMode,
            long startupTimestamp,
            Map<String, RedisStreamEntryId> startupIds,
            StreamBoundedMode boundedMode,
            long boundedTimestamp,
            Map<String, RedisStreamEntryId> boundedIds) {
        return new RedisStreamPositions(
                startupMode,
                startupTimestamp,
                startupIds,
                boundedMode,
                boundedTimestamp,
                boundedIds);
    }

    /**
     * Parses per-stream entry IDs written {@code <key>:<id>;<key>:<id>}, e.g. {@code
     * orders:eu:1700000000000-0;orders:us:0-1}: each item splits at its last colon (keys may hold
     * colons, IDs do not).
     *
     * @throws IllegalArgumentException naming the option and the item that does not parse
     */
    public static Map<String, RedisStreamEntryId> parseIds(String option, String value) {
        Map<String, RedisStreamEntryId> ids = new LinkedHashMap<>();
        for (String item : value.split(";")) {
            if (item.isBlank()) {
                continue;
            }
            int colon = item.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(
                        String.format(
                                "Option '%s': '%s' is not <stream key>:<entry ID> (items are"
                                        + " separated by ';', e.g. 'orders:eu:1700000000000-0')",
                                option, item.trim()));
            }
            String key = item.substring(0, colon).trim();
            try {
                ids.put(key, RedisStreamEntryId.parse(item.substring(colon + 1)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        String.format("Option '%s', stream '%s': %s", option, key, e.getMessage()),
                        e);
            }
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException(
                    String.format(
                            "Option '%s' names no stream: expected <stream key>:<entry ID>;...",
                            option));
        }
        return ids;
    }

    public StreamStartupMode startupMode() {
        return startupMode;
    }

    public StreamBoundedMode boundedMode() {
        return boundedMode;
    }

    /** Whether the source ends once each stream reached its stop position. */
    public boolean isBounded() {
        return boundedMode != StreamBoundedMode.UNBOUNDED;
    }

    /**
     * The ID the first read of {@code key} starts after (an XREAD position: exclusive).
     *
     * @param atJobStart whether the stream was found when the job started; a stream discovered
     *     later starts at its first entry
     * @param lastEntry the stream's last entry ID now (null if empty or missing), asked only for
     *     {@link StreamStartupMode#LATEST}
     */
    @Internal
    public RedisStreamEntryId startAfter(
            byte[] key, boolean atJobStart, Supplier<RedisStreamEntryId> lastEntry) {
        if (!atJobStart) {
            return RedisStreamEntryId.MIN;
        }
        switch (startupMode) {
            case LATEST:
                RedisStreamEntryId last = lastEntry.get();
                return last == null ? RedisStreamEntryId.MIN : last;
            case TIMESTAMP:
                return RedisStreamEntryId.firstOf(startupTimestamp).previous();
            case SPECIFIC_IDS:
                RedisStreamEntryId id = startupIds.get(RedisText.identifier(key));
                return id == null ? RedisStreamEntryId.MIN : id.previous();
            default:
                return RedisStreamEntryId.MIN;
        }
    }

    /**
     * The last ID to read of {@code key} (inclusive), or null to read on forever.
     *
     * @param lastEntry the stream's last entry ID now (null if empty or missing), asked only for
     *     {@link StreamBoundedMode#LATEST} and unlisted streams of {@link
     *     StreamBoundedMode#SPECIFIC_IDS}
     */
    @Nullable
    @Internal
    public RedisStreamEntryId stopAt(byte[] key, Supplier<RedisStreamEntryId> lastEntry) {
        switch (boundedMode) {
            case LATEST:
                return orMin(lastEntry.get());
            case TIMESTAMP:
                return RedisStreamEntryId.firstOf(boundedTimestamp).previous();
            case SPECIFIC_IDS:
                RedisStreamEntryId id = boundedIds.get(RedisText.identifier(key));
                return id == null ? orMin(lastEntry.get()) : id.previous();
            default:
                return null;
        }
    }

    private static RedisStreamEntryId orMin(@Nullable RedisStreamEntryId id) {
        return id == null ? RedisStreamEntryId.MIN : id;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RedisStreamPositions)) {
            return false;
        }
        RedisStreamPositions that = (RedisStreamPositions) o;
        return startupMode == that.startupMode
                && startupTimestamp == that.startupTimestamp
                && startupIds.equals(that.startupIds)
                && boundedMode == that.boundedMode
                && boundedTimestamp == that.boundedTimestamp
                && boundedIds.equals(that.boundedIds);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                startupMode,
                startupTimestamp,
                startupIds,
                boundedMode,
                boundedTimestamp,
                boundedIds);
    }

    @Override
    public String toString() {
        return "startup="
                + startupMode
                + (startupMode == StreamStartupMode.TIMESTAMP ? "@" + startupTimestamp : "")
                + (startupMode == StreamStartupMode.SPECIFIC_IDS ? startupIds : "")
                + ", bounded="
                + boundedMode
                + (boundedMode == StreamBoundedMode.TIMESTAMP ? "@" + boundedTimestamp : "")
                + (boundedMode == StreamBoundedMode.SPECIFIC_IDS ? boundedIds : "");
    }
}
