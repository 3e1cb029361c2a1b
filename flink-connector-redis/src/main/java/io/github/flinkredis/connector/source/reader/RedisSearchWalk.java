package io.github.flinkredis.connector.source.reader;

import io.github.flinkredis.connector.config.RedisConnectorOptions;
import io.github.flinkredis.connector.model.RedisGlob;
import io.github.flinkredis.connector.model.RedisText;
import io.github.flinkredis.connector.search.RedisSearchIndex;
import io.github.flinkredis.connector.search.RedisSearchIndexes;
import io.github.flinkredis.connector.search.RedisSearchKeyQuery;
import io.github.flinkredis.connector.source.reader.RedisNodeReplies.NodeUnavailableException;
import io.github.flinkredis.connector.source.reader.RedisScanProgress.Page;
import io.lettuce.core.RedisFuture;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The walk through the keys a RediSearch query selects on the node serving a split's shard, instead
 * of SCAN's ({@link RedisSearchKeyQuery}): segments of {@code FT.AGGREGATE ... LOAD 1 @__key SORTBY
 * 2 @__key ASC WITHCURSOR}, pages of {@code FT.CURSOR READ}, in byte order, the next page
 * prefetched with each page. Its pages' cursors are positions ({@link
 * RedisSearchKeyQuery#positionAfter}: after the last key of the page before), so that a restored
 * split resumes after the last key it emitted, on any node serving its shard. Keys outside the
 * split's key pattern are left out. When the walk starts on a node, and after its server cursor was
 * lost, {@code FT.INFO} checks that the index is still whole there.
 */
final class RedisSearchWalk {

    private static final Logger LOG = LoggerFactory.getLogger(RedisKeySplitReader.class);

    private final RedisSearchKeyQuery search;
    private final int scanCount;
    private final RedisNodeReplies replies;

    /**
     * @param scanCount keys per page ({@code FT.CURSOR READ ... COUNT}): the table's {@code
     *     scan.count}
     */
    RedisSearchWalk(RedisSearchKeyQuery search, int scanCount, RedisNodeReplies replies) {
        this.search = search;
        this.scanCount = scanCount;
        this.replies = replies;
    }

    /**
     * Reads the next page of the index's keys into {@code p}: the keys after the position {@code
     * p.page.nextCursor} that match the split's key pattern. A restored split's first page reaches
     * at least to the last key it had emitted, without the keys it had emitted. Sends the read of
     * the page after it, which goes out with the next batch.
     */
    void loadPage(RedisScanProgress p) throws IOException {
        String cursor = p.page.nextCursor;
        byte[] position = RedisSearchKeyQuery.keyOf(cursor);
        byte[] through = p.skipKeys == null ? null : lastOf(p.skipKeys);
        if (!p.searchChecked) {
            checkIndex(p);
        }
        List<byte[]> returned = new ArrayList<>();
        boolean ended;
        do {
            RedisSearchKeyQuery.Page page = readSearch(p, position);
            for (byte[] key : page.keys()) {
                byte[] before = p.lastSearchKey != null ? p.lastSearchKey : position;
                if (before != null && !RedisSearchKeyQuery.after(key, before)) {
                    throw new IOException(
                            String.format(
                                    "RediSearch index '%s' on Redis node %s returned key '%s'"
                                            + " after '%s', out of byte order: the scan cannot"
                                            + " tell where it is. Set option '%s' = 'none' to"
                                            + " read this table with SCAN.",
                                    search.index(),
                                    p.node,
                                    RedisText.show(key),
                                    RedisText.show(before),
                                    RedisConnectorOptions.SEARCH_INDEX.key()));
                }
                p.lastSearchKey = key;
                returned.add(key);
            }
            // a segment that returned nothing, or a first one that returned every match
            ended =
                    page.cursor() == 0
                            && (p.segmentKeys == 0
                                    || (p.segmentFromStart && p.segmentKeys == p.segmentTotal));
            if (page.cursor() == 0) {
                p.searchCursor = 0; // the segment ended: the next one starts after its last key
                position = p.lastSearchKey;
            }
        } while (through != null
                && !ended
                && (p.lastSearchKey == null
                        || !RedisSearchKeyQuery.after(p.lastSearchKey, through)));
        byte[] pattern = p.split.keyPattern().getBytes(StandardCharsets.UTF_8);
        List<byte[]> keys = new ArrayList<>(returned.size());
        for (byte[] key : RedisScanWalk.withoutEmitted(p, returned)) {
            if (RedisGlob.matches(pattern, key)) {
                keys.add(key);
            }
        }
        p.skipKeys = null;
        String next =
                returned.isEmpty()
                        ? cursor
                        : RedisSearchKeyQuery.positionAfter(returned.get(returned.size() - 1));
        p.page = new Page(cursor, keys, next, ended);
        p.position = 0;
        if (!ended) {
            p.prefetchedSearch = sendSearch(p, p.lastSearchKey);
        }
    }

    /**
     * The next page of the index's keys: of the open segment (the prefetched read, or {@code
     * FT.CURSOR READ}), or of a segment starting after {@code position}. A cursor the server no
     * longer has (idle longer than its {@code CURSOR_MAX_IDLE}) is replaced by a segment starting
     * after the last key received.
     */
    private RedisSearchKeyQuery.Page readSearch(RedisScanProgress p, @Nullable byte[] position)
            throws IOException {
        boolean segmentStart = p.searchCursor == 0;
        RedisFuture<List<Object>> future = p.prefetchedSearch;
        p.prefetchedSearch = null;
        if (future == null) {
            future = sendSearch(p, position);
        }
        p.connection.flush();
        List<Object> reply;
        try {
            reply = replies.await(future, searchCommand(segmentStart), p.connection);
        } catch (NodeUnavailableException e) {
            throw e;
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            if (!segmentStart && RedisSearchKeyQuery.isCursorGone(e)) {
                LOG.info(
                        "The cursor of RediSearch index '{}' on Redis node {} is gone (idle"
                                + " longer than CURSOR_MAX_IDLE, or the index was dropped); the"
                                + " split {} reads on after key '{}'.",
                        search.index(),
                        p.node,
                        p.split.splitId(),
                        p.lastSearchKey == null ? "" : RedisText.show(p.lastSearchKey));
                p.searchCursor = 0;
                // the index may have been dropped and created again since: check it again
                checkIndex(p);
                return readSearch(p, p.lastSearchKey != null ? p.lastSearchKey : position);
            }
            if (isNoSuchIndex(message)) {
                throw indexGone(p);
            }
            if (message.contains("MOVED")) {
                throw new IOException(
                        String.format(
                                "RediSearch index '%s' is not on Redis node %s (of %s): without"
                                        + " the search coordinator, a Redis Cluster keeps an"
                                        + " index on the one shard that owns the slot of its"
                                        + " name, indexing that shard's keys only, so it cannot"
                                        + " select the keys of every shard (%s).",
                                search.index(), p.node, replies.endpoint(), message));
            }
            throw e;
        }
        RedisSearchKeyQuery.Page page;
        try {
            page = RedisSearchKeyQuery.page(reply);
        } catch (RuntimeException e) {
            throw new IOException(
                    String.format(
                            "%s on Redis node %s: %s",
                            searchCommand(segmentStart), p.node, e.getMessage()));
        }
        if (segmentStart) {
            p.segmentKeys = 0;
            p.segmentTotal = page.total();
        }
        p.segmentKeys += page.keys().size();
        p.searchCursor = page.cursor();
        return page;
    }

    /** Sends the read of the open segment's next page, or the start of a segment (not flushed). */
    private RedisFuture<List<Object>> sendSearch(RedisScanProgress p, @Nullable byte[] position)
            throws IOException {
        if (p.searchCursor != 0) {
            return search.sendRead(p.connection.commands(), p.searchCursor, scanCount);
        }
        p.segmentFromStart = position == null;
        try {
            return search.sendSegment(p.connection.commands(), position, scanCount);
        } catch (IllegalArgumentException e) {
            throw new IOException(
                    e.getMessage()
                            + String.format(
                                    ": the read through RediSearch index '%s' cannot go on after"
                                            + " it. Set option '%s' = 'none' to read this table"
                                            + " with SCAN.",
                                    search.index(), RedisConnectorOptions.SEARCH_INDEX.key()));
        }
    }

    private String searchCommand(boolean segmentStart) {
        return segmentStart ? search.toString() : "FT.CURSOR READ " + search.index();
    }

    /**
     * {@code FT.INFO}: the index must still be whole on this node (no document it failed to index,
     * done indexing), else the query would leave keys of the table out.
     */
    private void checkIndex(RedisScanProgress p) throws IOException {
        RedisFuture<List<Object>> info =
                RedisSearchIndexes.sendInfo(p.connection.commands(), search.index());
        p.connection.flush();
        List<Object> reply;
        try {
            reply = replies.await(info, "FT.INFO " + search.index(), p.connection);
        } catch (NodeUnavailableException e) {
            throw e;
        } catch (IOException e) {
            if (isNoSuchIndex(String.valueOf(e.getMessage()))) {
                throw indexGone(p);
            }
            throw e;
        }
        String why =
                RedisSearchIndexes.whyIncomplete(RedisSearchIndex.parse(search.index(), reply));
        if (why != null) {
            throw new IOException(
                    String.format(
                            "The table cannot be read through RediSearch on Redis node %s (of"
                                    + " %s): %s. Set option '%s' = 'none' to read it with SCAN.",
                            p.node,
                            replies.endpoint(),
                            why,
                            RedisConnectorOptions.SEARCH_INDEX.key()));
        }
        p.searchChecked = true;
    }

    /** The failure of a read through an index that is not on the split's node (any more). */
    private IOException indexGone(RedisScanProgress p) {
        return new IOException(
                String.format(
                        "RediSearch index '%s' does not exist on Redis node %s (of %s): it was"
                                + " dropped after the query was planned, which chose it (option"
                                + " '%s'). Set option '%s' = 'none' to read this table with SCAN,"
                                + " or create the index again.",
                        search.index(),
                        p.node,
                        replies.endpoint(),
                        RedisConnectorOptions.SEARCH_INDEX.key(),
                        RedisConnectorOptions.SEARCH_INDEX.key()));
    }

    /** Whether an error says the index does not exist (the wording changed across versions). */
    static boolean isNoSuchIndex(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("no such index") || m.contains("unknown index name");
    }

    /** The greatest of {@code keys} in byte order. */
    private static byte[] lastOf(Set<ByteBuffer> keys) {
        byte[] last = null;
        for (ByteBuffer key : keys) {
            byte[] bytes = new byte[key.remaining()];
            key.duplicate().get(bytes);
            if (last == null || Arrays.compareUnsigned(bytes, last) > 0) {
                last = bytes;
            }
        }
        return last;
    }
}
