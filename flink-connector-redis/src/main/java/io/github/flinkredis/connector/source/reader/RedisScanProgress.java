package io.github.flinkredis.connector.source.reader;

import io.github.flinkredis.connector.client.RedisPipeline;
import io.github.flinkredis.connector.client.RedisRole;
import io.github.flinkredis.connector.config.RedisEndpoint;
import io.github.flinkredis.connector.source.split.RedisScanSplit;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisFuture;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The reading position of the split being read by a {@link RedisKeySplitReader}: the node and
 * connection it is read on, the SCAN page being sent, the batches in flight, the open key and the
 * position a restored split resumes from.
 */
final class RedisScanProgress {
    final RedisScanSplit split;
    final RedisEndpoint node;
    RedisPipeline connection;

    /** The SCAN page being sent; before the first SCAN, an empty page ending at the start. */
    Page page;

    /** Index in {@link #page} of the next key to send. */
    int position;

    /** Batches sent and not received yet, oldest first. */
    final ArrayDeque<Batch> inFlight = new ArrayDeque<>();

    Set<ByteBuffer> skipKeys;

    /** The set, list or zset key whose pages are being read, or null. */
    RedisOpenKey open;

    /**
     * A key whose members are read from a position rather than from the start (a restored split's
     * open key, or the open key after a reconnect), with that position.
     */
    byte[] resumeKey;

    String resumeCursor;
    int resumeSkip;

    RedisFuture<KeyScanCursor<byte[]>> prefetchedScan;
    RedisFuture<List<Object>> prefetchedRole;
    RedisFuture<List<Object>> pendingRole;

    /**
     * For a split read through a RediSearch index: the server cursor of the open segment, or 0
     * where the next page starts a segment ({@link RedisSearchWalk}).
     */
    long searchCursor;

    /** Keys the open segment has returned so far. */
    long segmentKeys;

    /**
     * Whether the open segment is the query's first from its start (no FILTER), whose keys are then
     * every key the query matches if they are as many as its {@code total}.
     */
    boolean segmentFromStart;

    /** The documents the query matched when the open segment started. */
    long segmentTotal;

    /** The last key the index returned, or null before the first. */
    byte[] lastSearchKey;

    /** Whether the index's health was checked on this node ({@code FT.INFO}). */
    boolean searchChecked;

    /** The next page of the index's keys, sent with the batch after the page before. */
    RedisFuture<List<Object>> prefetchedSearch;

    /** The node's role when the scan started on it (a replica's as long as it is one). */
    RedisRole startRole;

    /** The node's run id when the scan started on it. */
    String runId = "";

    /** Whether ROLE is sent with each SCAN (off for ACL users that may not run it). */
    boolean roleCheck = true;

    /**
     * @param resume whether the split's cursor and emitted keys apply (same node)
     */
    RedisScanProgress(
            RedisScanSplit split, RedisEndpoint node, RedisPipeline connection, boolean resume) {
        this.split = split;
        this.node = node;
        this.connection = connection;
        this.page =
                new Page(
                        null,
                        List.of(),
                        resume ? split.cursor() : RedisScanSplit.INITIAL_CURSOR,
                        false);
        if (resume && !split.emittedKeys().isEmpty()) {
            skipKeys = new HashSet<>();
            for (byte[] key : split.emittedKeys()) {
                skipKeys.add(ByteBuffer.wrap(key));
            }
        }
        if (resume && split.openKey() != null) {
            resumeKey = split.openKey();
            resumeCursor = split.memberCursor();
            resumeSkip = split.memberSkip();
        }
    }

    /** Keys of the batches in flight. */
    int keysInFlight() {
        int keys = 0;
        for (Batch batch : inFlight) {
            keys += batch.keys.size();
        }
        return keys;
    }

    /** Whether every key of the scan was received. */
    boolean finished() {
        return page.last && position >= page.keys.size() && inFlight.isEmpty();
    }

    /**
     * Forgets the batches in flight and the prefetched SCAN, so that reading goes on from the
     * oldest key not received yet.
     */
    void rewind() {
        Batch oldest = inFlight.peekFirst();
        if (oldest != null) {
            page = oldest.page;
            position = oldest.start + oldest.nextKey;
        }
        if (open != null) {
            // the open key goes on from its member held back, or the page after the last one
            resumeKey = open.next.key;
            resumeCursor = open.held != null ? open.held.cursor : open.next.members.cursor();
            resumeSkip = open.held != null ? open.held.skip : open.next.members.skip();
            open = null;
        }
        inFlight.clear();
        prefetchedScan = null;
        prefetchedRole = null;
        // a prefetched FT.CURSOR READ may have moved the server cursor past keys not received:
        // the next page starts a segment after the last key of the page going on
        prefetchedSearch = null;
        searchCursor = 0;
        lastSearchKey = null;
    }

    /** The keys of one SCAN reply, with the cursor that asked for them and the one it returned. */
    static final class Page {
        final String cursor;
        final List<byte[]> keys;
        final String nextCursor;

        /** Whether this is the scan's last page (the returned cursor is 0). */
        final boolean last;

        Page(String cursor, List<byte[]> keys, String nextCursor, boolean last) {
            this.cursor = cursor;
            this.keys = keys;
            this.nextCursor = nextCursor;
            this.last = last;
        }
    }

    /** Keys {@code [start, end)} of a page, whose commands were sent in one pipelined write. */
    static final class Batch {
        final Page page;
        final int start;
        final List<byte[]> keys;
        final List<RedisKeyFetch> fetches;

        /** For set, list and zset keys: the index of the first key whose records are not out. */
        int nextKey;

        Batch(Page page, int start, int end) {
            this.page = page;
            this.start = start;
            this.keys = page.keys.subList(start, end);
            this.fetches = new ArrayList<>(keys.size());
        }

        boolean endsPage() {
            return start + keys.size() == page.keys.size();
        }
    }
}
