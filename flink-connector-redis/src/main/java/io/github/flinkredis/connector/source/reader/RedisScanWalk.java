package io.github.flinkredis.connector.source.reader;

import io.github.flinkredis.connector.client.RedisPipeline;
import io.github.flinkredis.connector.client.RedisRole;
import io.github.flinkredis.connector.config.RedisEndpoint;
import io.github.flinkredis.connector.model.RedisGlob;
import io.github.flinkredis.connector.model.RedisReadSpec;
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
 * instead ({@link RedisSearchWalk}).
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

    /** The walk through the keys a RediSearch query selects, instead of SCAN's, or null. */
    @Nullable private final RedisSearchWalk searchWalk;

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
        this.searchWalk = search == null ? null : new RedisSearchWalk(search, scanCount, replies);
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
        if (searchWalk != null) {
            searchWalk.loadPage(p);
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
     * The keys of the page the split's checkpoint was taken in, without those it had emitted
     * already (a restored split resumes mid-page).
     */
    static List<byte[]> withoutEmitted(RedisScanProgress p, List<byte[]> keys) {
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
