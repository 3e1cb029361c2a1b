package io.github.flinkredis.connector.source.stream;

import io.github.flinkredis.connector.model.RedisStreamEntryId;
import io.github.flinkredis.connector.model.RedisText;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One stream of a {@link RedisStreamSource}: its key, the last entry ID emitted (the read goes on
 * after it: {@code XREAD ... STREAMS key <lastId>}) and, for a bounded read, the last entry ID to
 * read. Immutable; the split ID is the key as text ({@link RedisText#identifier}: its UTF-8 text,
 * distinct for keys that are not UTF-8).
 *
 * <p>A source that claims entries of other consumers of its consumer group also keeps the IDs of
 * the claimed entries it emitted and has not acknowledged yet: after a restore, those are
 * acknowledged, the others it owns emitted again.
 */
@Internal
public final class RedisStreamSplit implements SourceSplit {

    private final byte[] key;
    private final String splitId;
    private final RedisStreamEntryId lastId;
    @Nullable private final RedisStreamEntryId stopId;
    private final boolean resumed;
    private final List<RedisStreamEntryId> claimed;

    /**
     * @param lastId the entry the read continues after ({@link RedisStreamEntryId#MIN} for the
     *     stream's first entry)
     * @param stopId the last entry ID to read (inclusive), or null to read on forever
     */
    public RedisStreamSplit(
            byte[] key, RedisStreamEntryId lastId, @Nullable RedisStreamEntryId stopId) {
        this(key, lastId, stopId, false);
    }

    /**
     * @param resumed whether {@code lastId} is an entry this source emitted (a checkpointed
     *     position), rather than a start position
     */
    public RedisStreamSplit(
            byte[] key,
            RedisStreamEntryId lastId,
            @Nullable RedisStreamEntryId stopId,
            boolean resumed) {
        this(key, lastId, stopId, resumed, List.of());
    }

    /**
     * @param claimed the IDs of claimed entries emitted and not acknowledged yet, any order
     */
    public RedisStreamSplit(
            byte[] key,
            RedisStreamEntryId lastId,
            @Nullable RedisStreamEntryId stopId,
            boolean resumed,
            Collection<RedisStreamEntryId> claimed) {
        this.claimed = claimed.stream().sorted().distinct().toList();
        this.resumed = resumed;
        this.key = key.clone();
        this.splitId = RedisText.identifier(key);
        this.lastId = Objects.requireNonNull(lastId);
        this.stopId = stopId;
    }

    @Override
    public String splitId() {
        return splitId;
    }

    /** The stream's key, raw bytes. */
    public byte[] key() {
        return key.clone();
    }

    /** The last entry ID emitted: the read continues after it. */
    public RedisStreamEntryId lastId() {
        return lastId;
    }

    /** The last entry ID to read, or null for an unbounded read. */
    @Nullable
    public RedisStreamEntryId stopId() {
        return stopId;
    }

    /** Whether a bounded read has nothing left: its last ID is at or past the stop ID. */
    public boolean isFinished() {
        return stopId != null && lastId.compareTo(stopId) >= 0;
    }

    /**
     * This split continuing after {@code id}, an entry it emitted, with {@code claimed} as the
     * claimed entries emitted and not acknowledged.
     */
    public RedisStreamSplit after(RedisStreamEntryId id, Collection<RedisStreamEntryId> claimed) {
        return new RedisStreamSplit(key, id, stopId, true, claimed);
    }

    /** The claimed entries emitted and not acknowledged yet, in ID order. */
    public List<RedisStreamEntryId> claimedIds() {
        return claimed;
    }

    /** Whether {@link #lastId()} is an entry this source emitted, not a start position. */
    public boolean isResumed() {
        return resumed;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RedisStreamSplit)) {
            return false;
        }
        RedisStreamSplit that = (RedisStreamSplit) o;
        return Arrays.equals(key, that.key)
                && lastId.equals(that.lastId)
                && Objects.equals(stopId, that.stopId)
                && resumed == that.resumed
                && claimed.equals(that.claimed);
    }

    @Override
    public int hashCode() {
        return Objects.hash(splitId, lastId, stopId);
    }

    @Override
    public String toString() {
        return "RedisStreamSplit{key="
                + RedisText.show(key)
                + ", after="
                + lastId
                + (stopId == null ? "" : ", stopAt=" + stopId)
                + (claimed.isEmpty() ? "" : ", claimed=" + claimed)
                + "}";
    }
}
