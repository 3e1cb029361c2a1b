package io.github.flinkredis.connector.source.reader;

import io.github.flinkredis.connector.client.RedisPipeline;
import io.github.flinkredis.connector.client.RedisRole;
import io.github.flinkredis.connector.config.RedisConnectorOptions;
import io.github.flinkredis.connector.config.RedisEndpoint;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.model.RedisText;
import io.github.flinkredis.connector.search.RedisSearchIndex;
import io.github.flinkredis.connector.search.RedisSearchIndexes;
import io.github.flinkredis.connector.search.RedisSearchKeyQuery;
import io.github.flinkredis.connector.source.reader.RedisNodeReplies.NodeDemotedException;
import io.github.flinkredis.connector.source.reader.RedisNodeReplies.NodeUnavailableException;
import io.github.flinkredis.connector.source.reader.RedisNodeReplies.ReplicaChangedException;
import io.github.flinkredis.connector.source.reader.RedisScanProgress.Page;
import io.github.flinkredis.connector.source.split.RedisScanSplit;
import io.github.flinkredis.connector.types.spi.RedisKeySource;
import io.lettuce.core.KeyScanArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanCursor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import javax.annotation.Nullable;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The walk through the keys of a split on the node serving its shard: {@code SCAN cursor MATCH
 * pattern COUNT n TYPE t}, the next page prefetched with each page, and {@code ROLE} after each
 * SCAN on the same connection, which tells whether the node is still what it was when the scan
 * started; the node's run id ({@code INFO server}) when the scan starts on it. A split with point
 * keys has them as its one page, and a read whose data type lists its keys otherwise ({@link
 * RedisKeySource}) has those as its one page.
 *
 * <p>A split whose filters were pushed into a RediSearch index walks the keys the index answers
 * instead ({@link RedisSearchKeyQuery}: segments of {@code FT.AGGREGATE ... LOAD 1 @__key SORTBY
 * 2 @__key ASC WITHCURSOR}, pages of {@code FT.CURSOR READ}), in byte order. Its pages' cursors are
 * positions ({@link RedisSearchKeyQuery#positionAfter}: after the last key of the page before), so
 * that a restored split resumes after the last key it emitted, on any node serving its shard.
 */
final class RedisScanWalk {

    private static final Logger LOG = LoggerFactory.getLogger(RedisKeySplitReader.class);

    private final RedisShardConnections connections;
    private final RedisReadSpec spec;
    private final int scanCount;
    private final RedisNodeReplies replies;
    private final Counter scanRestartCounter;

    /** The keys of a split when not found by SCAN (timeseries: by labels), or null. */
    @Nullable private final RedisKeySource keySource;

    /** The query whose keys the splits read instead of SCAN's, or null. */
    @Nullable private final RedisSearchKeyQuery search;

    RedisScanWalk(
            RedisShardConnections connections,
            RedisReadSpec spec,
            int scanCount,
            RedisNodeReplies replies,
            Counter scanRestartCounter,
            @Nullable RedisKeySource keySource,
            @Nullable RedisSearchKeyQuery search) {
        this.connections = connections;
        this.spec = spec;
        this.scanCount = scanCount;
        this.replies = replies;
        this.scanRestartCounter = scanRestartCounter;
        this.keySource = keySource;
        this.search = search;
    }

    /**
     * Finds the node serving the split's shard and decides where its scan resumes.
     *
     * @throws NodeUnavailableException if the connection broke before the node answered (it is
     *     closed, so that the next attempt opens another)
     */
    RedisScanProgress start(RedisScanSplit split) throws IOException {
        if (split.isScanEnded()) {
            return new RedisScanProgress(split, null, null, false);
        }
        RedisEndpoint node = connections.currentNode(split);
        RedisPipeline connection = connections.connection(split, node);
        boolean sameNode = node.toString().equals(split.nodeAddress());
        RedisScanProgress progress;
        try {
            progress = scanOn(split, node, connection, sameNode);
        } catch (NodeUnavailableException e) {
            connections.forget(split, node);
            throw e;
        }
        if (!sameNode && !split.isAtStart()) {
            noteScanRestart(split, node, split.nodeAddress());
        }
        return progress;
    }

    /** Counts and logs that a split's scan starts again on {@code node}. */
    void noteScanRestart(RedisScanSplit split, RedisEndpoint node, String previous) {
        scanRestartCounter.inc();
        LOG.warn(
                "The shard of split {} is now served by {} (before: {}, or the same server"
                        + " restarted): its scan starts again, so keys already emitted from this"
                        + " shard may be emitted again.",
                split.splitId(),
                node,
                previous);
    }

    /** A reading position on {@code node}, which remembers the node's run id. */
    RedisScanProgress scanOn(
            RedisScanSplit split, RedisEndpoint node, RedisPipeline connection, boolean resume)
            throws IOException {
        RedisScanProgress progress = new RedisScanProgress(split, node, connection, resume);
        progress.runId = runId(connection);
        return progress;
    }

    /**
     * The node's run id (INFO server): it changes when the server restarts, which voids a SCAN
     * cursor even at the same address.
     */
    String runId(RedisPipeline connection) throws IOException {
        RedisFuture<String> info = connection.commands().info("server");
        connection.flush();
        String text;
        try {
            text = replies.await(info, "INFO server", connection);
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("NOPERM")) {
                return ""; // an ACL user without INFO: a restart is noticed by the role check
            }
            throw e;
        }
        for (String line : text.split("\r?\n")) {
            if (line.startsWith("run_id:")) {
                return line.substring("run_id:".length()).trim();
            }
        }
        return "";
    }

    /**
     * Sends {@code SCAN cursor ...} and, right after it on the same connection, {@code ROLE}: the
     * role tells whether the node was still the primary it was when the scan started, since a
     * primary demoted by a failover may reload its data set, which voids the cursor.
     */
    private RedisFuture<KeyScanCursor<byte[]>> sendScan(RedisScanProgress p, String cursor) {
        KeyScanArgs args =
                new KeyScanArgs()
                        .match(p.split.keyPattern())
                        .limit(scanCount)
                        .type(spec.dataType().scanType());
        RedisFuture<KeyScanCursor<byte[]>> scan =
                p.connection.commands().scan(ScanCursor.of(cursor), args);
        p.pendingRole = p.roleCheck ? p.connection.commands().role() : null;
        return scan;
    }

    private void checkRole(RedisScanProgress p, RedisFuture<List<Object>> roleFuture)
            throws IOException {
        if (roleFuture == null) {
            return;
        }
        List<Object> role;
        try {
            role = replies.await(roleFuture, "ROLE", p.connection);
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("NOPERM")) {
                throw e;
            }
            // an ACL user without ROLE: scans go on, but a failover is noticed only when the
            // connection breaks
            LOG.warn("Not checking the role of Redis node {}: {}", p.node, e.getMessage());
            p.roleCheck = false;
            return;
        }
        RedisRole now = RedisRole.parse(role);
        RedisRole start = p.startRole;
        if (start == null || (start.isReplica() && now.isPrimary())) {
            // a replica promoted to primary keeps its data set, so the cursor stays valid
            p.startRole = now;
        } else if (start.isPrimary() && !now.isPrimary()) {
            throw new NodeDemotedException(
                    String.format(
                            "Redis node %s (of %s) is no longer a primary (role %s)",
                            p.node, replies.endpoint(), now));
        } else if (start.isReplica()
                && (!Objects.equals(start.upstream(), now.upstream())
                        || !Objects.equals(start.linkState(), now.linkState()))) {
            throw new ReplicaChangedException(
                    String.format(
                            "Redis replica %s (of %s) changed from %s to %s: it may have loaded"
                                    + " a new data set from its primary",
                            p.node, replies.endpoint(), start, now));
        }
    }

    /**
     * Reads the SCAN page after {@code p.page} into {@code p} and sends the SCAN of the page after
     * it, which goes out with the next batch.
     */
    void loadPage(RedisScanProgress p) throws IOException {
        if (search != null) {
            loadSearchPage(p);
            return;
        }
        if (keySource != null) {
            p.page =
                    new Page(
                            RedisScanSplit.INITIAL_CURSOR,
                            withoutEmitted(p, keysOfSource(p)),
                            RedisScanSplit.INITIAL_CURSOR,
                            true);
            p.position = 0;
            return;
        }
        if (p.split.pointKeys() != null) {
            // a point read: the split's keys are the one page, without a SCAN
            p.page =
                    new Page(
                            RedisScanSplit.INITIAL_CURSOR,
                            withoutEmitted(p, p.split.pointKeys()),
                            RedisScanSplit.INITIAL_CURSOR,
                            true);
            p.position = 0;
            return;
        }
        RedisFuture<KeyScanCursor<byte[]>> future = p.prefetchedScan;
        RedisFuture<List<Object>> role = p.prefetchedRole;
        p.prefetchedScan = null;
        p.prefetchedRole = null;
        String cursor = p.page.nextCursor;
        if (future == null) {
            future = sendScan(p, cursor);
            role = p.pendingRole;
        }
        // sends this SCAN, or the prefetched one if no batch has flushed it yet
        p.connection.flush();
        KeyScanCursor<byte[]> result =
                replies.await(
                        future, "SCAN " + cursor + " MATCH " + p.split.keyPattern(), p.connection);
        checkRole(p, role);
        List<byte[]> keys =
                cursor.equals(p.split.cursor())
                        ? withoutEmitted(p, result.getKeys())
                        : result.getKeys();
        p.skipKeys = null;
        p.page = new Page(cursor, keys, result.getCursor(), result.isFinished());
        p.position = 0;
        if (!p.page.last) {
            p.prefetchedScan = sendScan(p, p.page.nextCursor);
            p.prefetchedRole = p.pendingRole;
        }
    }

    /**
     * The keys the {@link #keySource} answers on the split's node (timeseries: {@code TS.QUERYINDEX
     * <filter>...}), which also match the split's key pattern (or are among its point keys), in
     * byte order: the split's one page.
     */
    private List<byte[]> keysOfSource(RedisScanProgress p) throws IOException {
        RedisFuture<List<Object>> future = keySource.send(p.connection.commands());
        p.connection.flush();
        List<Object> reply = replies.await(future, keySource.command(), p.connection);
        Set<ByteBuffer> pointKeys = null;
        if (p.split.pointKeys() != null) {
            pointKeys = new HashSet<>();
            for (byte[] key : p.split.pointKeys()) {
                pointKeys.add(ByteBuffer.wrap(key));
            }
        }
        byte[] pattern = p.split.keyPattern().getBytes(StandardCharsets.UTF_8);
        List<byte[]> keys = new ArrayList<>();
        for (byte[] key : keySource.keys(reply)) {
            if (pointKeys != null
                    ? pointKeys.contains(ByteBuffer.wrap(key))
                    : RedisGlob.matches(pattern, key)) {
                keys.add(key);
            }
        }
        keys.sort(Arrays::compareUnsigned);
        return keys;
    }

    /**
     * Reads the next page of the index's keys into {@code p}: the keys after the position {@code
     * p.page.nextCursor} that match the split's key pattern. A restored split's first page reaches
     * at least to the last key it had emitted, without the keys it had emitted. Sends the read of
     * the page after it, which goes out with the next batch.
     */
    private void loadSearchPage(RedisScanProgress p) throws IOException {
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
        for (byte[] key : withoutEmitted(p, returned)) {
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

    /**
     * The keys of the page the split's checkpoint was taken in, without those it had emitted
     * already (a restored split resumes mid-page).
     */
    private static List<byte[]> withoutEmitted(RedisScanProgress p, List<byte[]> keys) {
        if (p.skipKeys == null) {
            return keys;
        }
        List<byte[]> remaining = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            if (!p.skipKeys.contains(ByteBuffer.wrap(key))) {
                remaining.add(key);
            }
        }
        return remaining;
    }
}
