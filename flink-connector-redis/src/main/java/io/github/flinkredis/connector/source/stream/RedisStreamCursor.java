package io.github.flinkredis.connector.source.stream;

import io.github.flinkredis.connector.model.RedisRecord;
import io.github.flinkredis.connector.model.RedisStreamEntryId;
import io.github.flinkredis.connector.model.RedisText;
import io.github.flinkredis.connector.model.RedisTimeWindows;
import io.github.flinkredis.connector.types.stream.RedisStreamEntries;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.annotation.Nullable;

/**
 * One stream being read by a {@link RedisStreamSplitReader}: where its read goes on, where a
 * bounded read ends, its entries not acknowledged yet, its claiming position and its gauges.
 */
final class RedisStreamCursor {
    final String splitId;

    /** The key for messages ({@link RedisText#show}). */
    final String name;

    final byte[] key;
    final int slot;

    /** The last entry fetched (at or after the last one emitted). */
    RedisStreamEntryId last;

    @Nullable final RedisStreamEntryId stop;

    /**
     * Consumer groups: whether the consumer's pending entries (delivered before, not acknowledged)
     * are being read, after {@link #last}, before new ones ({@code >}).
     */
    boolean readingPending = true;

    /** Consumer groups: the pending entries are read after this ID. */
    RedisStreamEntryId pendingFrom = RedisStreamEntryId.MIN;

    /** Consumer groups: entries fetched and not acknowledged yet, in ID order. */
    final ArrayDeque<RedisStreamEntryId> unacked = new ArrayDeque<>();

    /** Consumer groups: entries to acknowledge without emitting them (emitted before). */
    final List<String> ackNow = new ArrayList<>();

    /**
     * Claiming: claimed entries to acknowledge, and confirm to the task thread when Redis did:
     * those of a completed checkpoint, and, after a restore, those its checkpoint holds.
     */
    final List<RedisStreamEntryId> ackClaimed = new ArrayList<>();

    /** Claiming: claimed entries emitted by this reader, not acknowledged yet. */
    final Set<RedisStreamEntryId> claimedUnacked = new HashSet<>();

    /**
     * Claiming: whether the next round lists the pending entries of the claim consumer at any idle
     * time (once, to emit those an earlier run claimed after its last checkpoint).
     */
    boolean claimOwnPending = true;

    /** Claiming: the next round lists pending entries from this ID on. */
    RedisStreamEntryId claimFrom = RedisStreamEntryId.MIN;

    /** The gauges of this stream. */
    final RedisStreamMetrics.Stream gauges;

    /** Entries fetched in ID order (not claimed ones) since the read started. */
    long fetched;

    /**
     * The lag gauge without a group: the number of entries the stream had added up to the entry
     * read when {@link #fetched} was {@link #anchorFetched}, or -1 while not known.
     */
    long anchorAdded = -1;

    long anchorFetched;

    /** The last entry read when {@link #anchorAdded} was taken. */
    RedisStreamEntryId anchorLast = RedisStreamEntryId.MIN;

    /** The XINFO in flight for the gauges, and {@link #last}, {@link #fetched} when sent. */
    @Nullable RedisFuture<List<Object>> info;

    RedisStreamEntryId infoLast = RedisStreamEntryId.MIN;
    long infoFetched;

    /** Consumer groups: the gap check sent with {@link #info} (see {@link RedisStreamGaps}). */
    @Nullable RedisFuture<List<Object>> gapCheck;

    /**
     * Catching up with a backlog in time windows (see {@link RedisStreamWindows}): the windows not
     * asked for yet; null when reading with XREAD.
     */
    @Nullable RedisTimeWindows windows;

    /** The {@code XINFO STREAM} sent with an XREAD that came back full, to plan windows. */
    @Nullable RedisFuture<List<Object>> plan;

    RedisStreamCursor(RedisStreamSplit split, int slot, RedisStreamMetrics metrics) {
        this.gauges = metrics.stream(split.splitId());
        this.splitId = split.splitId();
        this.name = RedisText.show(split.key());
        this.key = split.key();
        this.slot = slot;
        this.last = split.lastId();
        this.stop = split.stopId();
        this.ackClaimed.addAll(split.claimedIds());
        this.claimedUnacked.addAll(split.claimedIds());
    }

    /** The record of entry {@code id} of this stream: the requested {@code fields}, or all. */
    RedisStreamRecord record(
            StreamMessage<byte[], byte[]> message,
            RedisStreamEntryId id,
            boolean claimed,
            @Nullable byte[][] fields) {
        return new RedisStreamRecord(
                RedisStreamEntries.record(key, RedisRecord.TTL_NOT_FETCHED, message, fields),
                id,
                claimed);
    }

    /**
     * Whether a pending entry that XREADGROUP or XCLAIM returned is no longer in the stream: Redis
     * answers its ID with a nil body, which Lettuce gives as an empty one (an entry has at least
     * one field).
     */
    static boolean isDeleted(StreamMessage<byte[], byte[]> message) {
        return message.getBody() == null || message.getBody().isEmpty();
    }
}
