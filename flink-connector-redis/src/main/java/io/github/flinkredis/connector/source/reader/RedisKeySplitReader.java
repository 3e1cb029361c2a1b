package io.github.flinkredis.connector.source.reader;

import io.github.flinkredis.connector.client.RedisNodeConnection;
import io.github.flinkredis.connector.client.RedisReplies;
import io.github.flinkredis.connector.client.RedisRole;
import io.github.flinkredis.connector.client.RedisTimeSeriesCommand;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisEndpoint;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.model.RedisRecord;
import io.github.flinkredis.connector.model.RedisText;
import io.github.flinkredis.connector.source.split.RedisScanSplit;
import io.github.flinkredis.connector.types.RedisTypes;
import io.github.flinkredis.connector.types.spi.RedisMemberFetch;
import io.github.flinkredis.connector.types.spi.RedisMemberPage;
import io.github.flinkredis.connector.types.spi.RedisMemberRead;
import io.github.flinkredis.connector.types.spi.RedisMemberReplies;
import io.github.flinkredis.connector.types.spi.RedisValueRead;
import io.lettuce.core.KeyScanArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolVersion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@link RedisScanSplit}s of every key-based data type (hash, json, string, set, list, zset),
 * one split at a time, on one connection per node.
 *
 * <p>Each {@link #fetch()} takes a page of keys from {@code SCAN cursor MATCH pattern COUNT n TYPE
 * t} on the node serving the split's shard and, for at most {@code batchSize} of them, sends the
 * per-key commands in one pipelined write to that node, together with the SCAN of the following
 * page: {@code HMGET key f1 f2 ...} (or {@code HGETALL key} without a field list) per hash, one
 * {@code MGET} per batch of strings (per hash slot on a cluster node), {@code JSON.GET key $.a $.b}
 * per JSON document, and {@code PTTL key} when the TTL is selected. {@code maxBatchesInFlight}
 * batches are sent before the oldest one's replies are awaited. A query that needs only keys sends
 * no per-key command at all, except {@code TYPE} for point reads.
 *
 * <p>Sets, lists and sorted sets yield a record per member: the first page of each key's members
 * ({@code SSCAN}, {@code LRANGE}, {@code ZRANGE}, see {@link RedisMemberRead}) goes with the batch;
 * a key with more becomes the open key, read a page per fetch, with its position in the records so
 * that a checkpoint can be taken between any two members.
 *
 * <p>A split with {@linkplain RedisScanSplit#pointKeys() point keys} (filter pushdown on the key)
 * reads those keys as its one page, without a SCAN.
 *
 * <p>A key deleted between SCAN and the fetch yields no record (PTTL -2, an empty HGETALL, EXISTS 0
 * for an HMGET answering only nils, a nil JSON.GET, TYPE none). A key whose type changed
 * (WRONGTYPE) is skipped and counted. In a cluster, a key whose slot moved (MOVED/ASK) is read
 * again through the cluster connection, which follows the redirect. A split restored onto a shard
 * now served by another node (a failover) starts its scan again on that node, since a SCAN cursor
 * means nothing to another node; this is counted in {@code numScanRestarts}.
 */
@Internal
public class RedisKeySplitReader implements SplitReader<RedisScanRecord, RedisScanSplit> {

    private static final Logger LOG = LoggerFactory.getLogger(RedisKeySplitReader.class);

    /** Bound on empty SCAN pages walked in one fetch, so that fetch() returns regularly. */
    private static final int MAX_EMPTY_PAGES_PER_FETCH = 64;

    private final RedisConnectionConfig connectionConfig;
    private final RedisReadSpec spec;
    private final int scanCount;
    private final int batchSize;
    private final int maxBatchesInFlight;
    private final long limit;
    private final Counter wrongTypeCounter;
    private final Counter scanRestartCounter;
    private final long timeoutMillis;

    /** The paged reads of a key's members (set, list, zset, stream, timeseries), or null. */
    private final RedisMemberRead memberPages;

    /** The read of each key's value (hash, json, string); null where members are read. */
    @Nullable private final RedisValueRead valueRead;

    private final ArrayDeque<RedisScanSplit> pendingSplits = new ArrayDeque<>();
    private final RedisShardConnections connections;
    private ScanProgress current;
    private long produced;

    /**
     * @param batchSize keys whose commands are sent in one pipelined write
     * @param maxBatchesInFlight batches sent before the replies of the oldest are awaited: while
     *     the reader turns one batch's replies into records, the node works on the next
     * @param limit the most records this reader produces (LIMIT pushdown), or {@code -1}
     */
    public RedisKeySplitReader(
            RedisConnectionConfig connectionConfig,
            RedisReadSpec spec,
            int scanCount,
            int batchSize,
            int maxBatchesInFlight,
            long limit,
            Counter wrongTypeCounter,
            Counter scanRestartCounter) {
        this.connectionConfig = connectionConfig;
        this.spec = spec;
        this.scanCount = scanCount;
        this.batchSize = batchSize;
        this.maxBatchesInFlight = maxBatchesInFlight;
        this.limit = limit;
        this.wrongTypeCounter = wrongTypeCounter;
        this.scanRestartCounter = scanRestartCounter;
        this.timeoutMillis = connectionConfig.getCommandTimeout().toMillis();
        // series are read over RESP2, where RedisTimeSeries sends a sample's value as its
        // shortest decimal text, parsed here from the bytes (RESP3: a double, which Lettuce
        // parses through a String per value, and Redis 7.0 writes with 17 digits)
        this.connections =
                new RedisShardConnections(
                        spec.dataType() == RedisDataType.TIMESERIES
                                ? connectionConfig.withProtocolVersion(ProtocolVersion.RESP2)
                                : connectionConfig);
        this.memberPages = RedisTypes.of(spec.dataType()).memberRead(spec);
        this.valueRead =
                memberPages == null ? RedisTypes.of(spec.dataType()).valueRead(spec) : null;
    }

    /** Consecutive fetches that failed because a node was unreachable. */
    private int unavailableRetries;

    /** When the first of these failures happened ({@link System#nanoTime()}). */
    private long unavailableSince;

    /** The message of the first of these failures. */
    private String firstUnavailability;

    /** Why the last attempt to reach the node again failed, or null. */
    private String lastReconnectFailure;

    private static final long MAX_RETRY_PAUSE_MILLIS = 1000;

    /**
     * Reads the next batch of records. A node that cannot be reached, or stops being what the scan
     * read from, is recovered from (see {@link #recover}); a connection that breaks before a
     * split's first command is answered is replaced, and the split started again. Attempts go on,
     * with pauses from 50 ms doubling up to 1 s, until the node has been unavailable for {@code
     * command.timeout}, after which the failure fails the job.
     */
    @Override
    public RecordsWithSplitIds<RedisScanRecord> fetch() throws IOException {
        try {
            RecordsWithSplitIds<RedisScanRecord> records = fetchOnce();
            unavailableRetries = 0;
            lastReconnectFailure = null;
            return records;
        } catch (NodeUnavailableException e) {
            long now = System.nanoTime();
            if (unavailableRetries++ == 0) {
                unavailableSince = now;
                firstUnavailability = e.getMessage();
            }
            if (now - unavailableSince > TimeUnit.MILLISECONDS.toNanos(timeoutMillis)) {
                throw new NodeUnavailableException(
                        String.format(
                                "%s. Redis could not be read again within %d ms (option"
                                        + " 'command.timeout'); the last attempt failed with: %s",
                                firstUnavailability, timeoutMillis, e.getMessage()));
            }
            if (current == null) {
                // the connection broke before the split's first command was answered: the split
                // is pending again (see start), and the next fetch starts it on a new connection
                LOG.warn("Could not start reading a split yet, will retry: {}", e.getMessage());
                pause(retryPauseMillis());
                return new RecordsBySplits.Builder<RedisScanRecord>().build();
            }
            try {
                recover(current, e);
            } catch (NodeUnavailableException again) {
                lastReconnectFailure = again.getMessage();
                LOG.warn("Could not recover yet, will retry: {}", again.getMessage());
                pause(retryPauseMillis());
            }
            return new RecordsBySplits.Builder<RedisScanRecord>().build();
        }
    }

    /** 50 ms doubling with each consecutive failure, up to 1 s. */
    private long retryPauseMillis() {
        return Math.min(MAX_RETRY_PAUSE_MILLIS, 50L << Math.min(unavailableRetries, 5));
    }

    private static void pause(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while waiting to reach Redis again", e);
        }
    }

    /**
     * After a connection to the split's node broke (a failover closes the clients of a demoted
     * primary): in a cluster, reconnects to the same node and goes on with the same cursor if the
     * node is still there (it still holds the shard's data and answers SCAN as a replica; per-key
     * reads are then redirected through the cluster connection). Otherwise, or when the Sentinels
     * now name another primary, starts the split's scan again on the node that serves the shard
     * now, since a SCAN cursor means nothing to another node. A scanned replica that changed
     * (another primary, its link went down or up) gets its scan started again, on the replica
     * chosen now, which may be the same.
     */
    private void recover(ScanProgress p, NodeUnavailableException cause) throws IOException {
        LOG.warn("Lost the connection to Redis node {}: {}", p.node, cause.getMessage());
        p.rewind();
        connections.forget(p.split, p.node);
        p.connection = null; // until a connection is found again
        boolean demoted = cause instanceof NodeDemotedException;
        boolean replicaChanged = cause instanceof ReplicaChangedException;
        RedisEndpoint node;
        RedisNodeConnection connection;
        try {
            if (demoted) {
                connections.refreshTopology(p.split);
            }
            node = p.split.firstSlot() >= 0 && !demoted ? p.node : connections.currentNode(p.split);
            if (demoted && !replicaChanged && node.equals(p.node)) {
                throw cause; // the topology does not show the new primary yet
            }
            connection = connections.connection(p.split, node);
        } catch (RuntimeException unreachable) {
            if (p.split.firstSlot() < 0) {
                throw new NodeUnavailableException(unreachable.getMessage());
            }
            LOG.warn("Redis node {} is unreachable: {}", p.node, unreachable.getMessage());
            connections.refreshTopology(p.split);
            node = connections.currentNode(p.split);
            if (node.equals(p.node)) {
                throw cause;
            }
            connection = connections.connection(p.split, node);
        }
        if (!replicaChanged && node.equals(p.node) && runId(connection, node).equals(p.runId)) {
            p.connection = connection;
            return;
        }
        noteScanRestart(p.split, node, p.node.toString());
        current = scanOn(p.split, node, connection, false);
    }

    /** Counts and logs that a split's scan starts again on {@code node}. */
    private void noteScanRestart(RedisScanSplit split, RedisEndpoint node, String previous) {
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
    private ScanProgress scanOn(
            RedisScanSplit split,
            RedisEndpoint node,
            RedisNodeConnection connection,
            boolean resume)
            throws IOException {
        ScanProgress progress = new ScanProgress(split, node, connection, resume);
        progress.runId = runId(connection, node);
        return progress;
    }

    /**
     * The node's run id (INFO server): it changes when the server restarts, which voids a SCAN
     * cursor even at the same address.
     */
    private String runId(RedisNodeConnection connection, RedisEndpoint node) throws IOException {
        RedisFuture<String> info = connection.async().info("server");
        connection.flushCommands();
        String text;
        try {
            text = await(info, "INFO server", node);
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

    private RecordsWithSplitIds<RedisScanRecord> fetchOnce() throws IOException {
        RecordsBySplits.Builder<RedisScanRecord> out = new RecordsBySplits.Builder<>();
        if (current == null) {
            RedisScanSplit next = pendingSplits.poll();
            if (next == null) {
                return out.build();
            }
            try {
                current = start(next);
            } catch (NodeUnavailableException e) {
                pendingSplits.addFirst(next); // started again by the next fetch
                throw e;
            }
        }
        if (limitReached() || current.split.isScanEnded()) {
            finishAll(out);
            return out.build();
        }
        ScanProgress p = current;
        if (p.connection == null) {
            throw new NodeUnavailableException(
                    String.format(
                            "Redis node %s (of %s) is not connected again yet%s",
                            p.node,
                            connectionConfig.endpoint(),
                            lastReconnectFailure == null ? "" : ": " + lastReconnectFailure));
        }
        fill(p);
        Batch batch = p.inFlight.peekFirst();
        if (batch == null) {
            if (p.finished()) {
                out.addFinishedSplit(p.split.splitId());
                current = null;
            }
            return out.build(); // only empty SCAN pages so far: fetch() is called again
        }
        List<RedisScanRecord> records;
        boolean batchDone;
        if (memberPages != null) {
            records = receiveMembers(p, batch);
            batchDone = p.open == null && batch.nextKey >= batch.keys.size();
        } else {
            records = receive(p, batch);
            batchDone = true;
        }
        if (batchDone) {
            p.inFlight.pollFirst();
        }
        String splitId = p.split.splitId();
        if (batchDone && batch.endsPage() && !records.isEmpty()) {
            int last = records.size() - 1;
            String next = batch.page.last ? RedisScanSplit.END_CURSOR : batch.page.nextCursor;
            records.set(last, records.get(last).lastOfPage(next));
        }
        out.addAll(splitId, records);
        produced += records.size();
        if (p.finished()) {
            out.addFinishedSplit(splitId);
            current = null;
        } else if (limitReached()) {
            finishAll(out);
        }
        return out.build();
    }

    /**
     * Sends batches until {@code maxBatchesInFlight} are in flight, reading SCAN pages as needed
     * (at most {@link #MAX_EMPTY_PAGES_PER_FETCH} of them), and flushes them to the node.
     */
    private void fill(ScanProgress p) throws IOException {
        int pages = 0;
        while (p.inFlight.size() < maxBatchesInFlight) {
            long room = limit < 0 ? batchSize : limit - produced - p.keysInFlight();
            if (room <= 0) {
                break;
            }
            if (p.position < p.page.keys.size()) {
                int end =
                        (int) Math.min(p.page.keys.size(), p.position + Math.min(room, batchSize));
                Batch batch = new Batch(p.page, p.position, end);
                if (memberPages != null) {
                    for (byte[] key : batch.keys) {
                        boolean resume = p.resumeKey != null && Arrays.equals(key, p.resumeKey);
                        batch.fetches.add(
                                send(
                                        key,
                                        p.connection.async(),
                                        false,
                                        resume ? p.resumeCursor : RedisScanSplit.INITIAL_CURSOR,
                                        resume ? p.resumeSkip : 0));
                        if (resume) {
                            p.resumeKey = null;
                        }
                    }
                } else if (spec.needsFetch() || p.split.pointKeys() != null) {
                    boolean checkType = p.split.pointKeys() != null && readsNoValue();
                    for (byte[] key : batch.keys) {
                        KeyFetch f = send(key, p.connection.async(), false);
                        if (checkType) {
                            // no SCAN TYPE filter and no value read tells a point key's type
                            f.type = p.connection.async().type(key);
                        }
                        batch.fetches.add(f);
                    }
                    if (valueRead.readsValue() && valueRead.readsInBatches()) {
                        sendBatch(p, batch);
                    }
                }
                p.inFlight.addLast(batch);
                p.position = end;
            } else if (p.page.last || pages++ >= MAX_EMPTY_PAGES_PER_FETCH) {
                break;
            } else {
                loadPage(p);
            }
        }
        p.connection.flushCommands();
    }

    /**
     * Finds the node serving the split's shard and decides where its scan resumes.
     *
     * @throws NodeUnavailableException if the connection broke before the node answered (it is
     *     closed, so that the next attempt opens another)
     */
    private ScanProgress start(RedisScanSplit split) throws IOException {
        if (split.isScanEnded()) {
            return new ScanProgress(split, null, null, false);
        }
        RedisEndpoint node = connections.currentNode(split);
        RedisNodeConnection connection = connections.connection(split, node);
        boolean sameNode = node.toString().equals(split.nodeAddress());
        ScanProgress progress;
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

    private boolean limitReached() {
        return limit >= 0 && produced >= limit;
    }

    private void finishAll(RecordsBySplits.Builder<RedisScanRecord> out) {
        if (current != null) {
            out.addFinishedSplit(current.split.splitId());
            current = null;
        }
        for (RedisScanSplit s : pendingSplits) {
            out.addFinishedSplit(s.splitId());
        }
        pendingSplits.clear();
    }

    /**
     * Sends {@code SCAN cursor ...} and, right after it on the same connection, {@code ROLE}: the
     * role tells whether the node was still the primary it was when the scan started, since a
     * primary demoted by a failover may reload its data set, which voids the cursor.
     */
    private RedisFuture<KeyScanCursor<byte[]>> sendScan(ScanProgress p, String cursor) {
        KeyScanArgs args =
                new KeyScanArgs()
                        .match(p.split.keyPattern())
                        .limit(scanCount)
                        .type(spec.dataType().scanType());
        RedisFuture<KeyScanCursor<byte[]>> scan =
                p.connection.async().scan(ScanCursor.of(cursor), args);
        p.pendingRole = p.roleCheck ? p.connection.async().role() : null;
        return scan;
    }

    private void checkRole(ScanProgress p, RedisFuture<List<Object>> roleFuture)
            throws IOException {
        if (roleFuture == null) {
            return;
        }
        List<Object> role;
        try {
            role = await(roleFuture, "ROLE", p.node);
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
                            p.node, connectionConfig.endpoint(), now));
        } else if (start.isReplica()
                && (!Objects.equals(start.upstream(), now.upstream())
                        || !Objects.equals(start.linkState(), now.linkState()))) {
            throw new ReplicaChangedException(
                    String.format(
                            "Redis replica %s (of %s) changed from %s to %s: it may have loaded"
                                    + " a new data set from its primary",
                            p.node, connectionConfig.endpoint(), start, now));
        }
    }

    /**
     * Reads the SCAN page after {@code p.page} into {@code p} and sends the SCAN of the page after
     * it, which goes out with the next batch.
     */
    private void loadPage(ScanProgress p) throws IOException {
        if (spec.labelFilter() != null) {
            p.page =
                    new Page(
                            RedisScanSplit.INITIAL_CURSOR,
                            withoutEmitted(p, seriesOfLabelFilter(p)),
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
        p.connection.flushCommands();
        KeyScanCursor<byte[]> result =
                await(future, "SCAN " + cursor + " MATCH " + p.split.keyPattern(), p.node);
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
     * A timeseries read chosen by labels: the keys {@code TS.QUERYINDEX <filter>...} answers on the
     * split's node, which also match the split's key pattern (or are among its point keys), in byte
     * order: the split's one page.
     */
    private List<byte[]> seriesOfLabelFilter(ScanProgress p) throws IOException {
        CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE);
        for (String expression : spec.labelFilter()) {
            args.add(expression);
        }
        RedisFuture<List<Object>> future =
                p.connection
                        .async()
                        .dispatch(
                                RedisTimeSeriesCommand.TS_QUERYINDEX,
                                new ArrayOutput<>(ByteArrayCodec.INSTANCE),
                                args);
        p.connection.flushCommands();
        List<Object> reply =
                await(future, "TS.QUERYINDEX " + String.join(" ", spec.labelFilter()), p.node);
        Set<ByteBuffer> pointKeys = null;
        if (p.split.pointKeys() != null) {
            pointKeys = new HashSet<>();
            for (byte[] key : p.split.pointKeys()) {
                pointKeys.add(ByteBuffer.wrap(key));
            }
        }
        byte[] pattern = p.split.keyPattern().getBytes(StandardCharsets.UTF_8);
        List<byte[]> keys = new ArrayList<>();
        for (Object o : reply) {
            byte[] key =
                    o instanceof byte[] b
                            ? b
                            : RedisReplies.text(o).getBytes(StandardCharsets.UTF_8);
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
    private static List<byte[]> withoutEmitted(ScanProgress p, List<byte[]> keys) {
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

    /** Waits for the replies of a batch and turns them into records. */
    private List<RedisScanRecord> receive(ScanProgress p, Batch batch) throws IOException {
        List<byte[]> keys = batch.keys;
        String node = p.node.toString();
        String pageCursor = batch.page.cursor;
        List<RedisScanRecord> records = new ArrayList<>(keys.size());
        if (batch.fetches.isEmpty()) {
            // keys found by SCAN ... TYPE, of which nothing is read
            for (byte[] key : keys) {
                records.add(
                        new RedisScanRecord(
                                new RedisRecord(
                                        key,
                                        new byte[0][],
                                        new byte[0][],
                                        RedisRecord.TTL_NOT_FETCHED),
                                node,
                                pageCursor,
                                null));
            }
            return records;
        }

        int n = keys.size();
        List<KeyFetch> fetches = batch.fetches;
        awaitAll(futuresOf(fetches), p.node);
        followMoved(p, fetches);

        List<Integer> allNil = null;
        List<RedisRecord> fetched = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            KeyFetch f = fetches.get(i);
            RedisRecord record = f.toRecord(p.node);
            fetched.add(record);
            if (record != null && f.allNil) {
                if (allNil == null) {
                    allNil = new ArrayList<>();
                }
                allNil.add(i);
            }
        }
        if (allNil != null) {
            dropDeleted(p, keys, fetched, allNil);
        }
        for (RedisRecord r : fetched) {
            if (r != null) {
                records.add(new RedisScanRecord(r, node, pageCursor, null));
            }
        }
        return records;
    }

    /**
     * Sends the commands of keys whose slot moved to another node (resharding: MOVED or ASK) again
     * through the cluster connection, which follows the redirect, and waits for their replies.
     */
    private void followMoved(ScanProgress p, List<KeyFetch> fetches) throws IOException {
        List<KeyFetch> moved = null;
        for (KeyFetch f : fetches) {
            if (f.moved()) {
                if (moved == null) {
                    moved = new ArrayList<>();
                }
                moved.add(f);
            }
        }
        if (moved != null) {
            for (KeyFetch f : moved) {
                f.replaceWith(resend(f));
            }
            awaitAll(futuresOf(moved), p.node);
        }
    }

    /** The commands of {@code f} again, through the cluster connection. */
    private KeyFetch resend(KeyFetch f) {
        RedisClusterAsyncCommands<byte[], byte[]> cluster = connections.cluster().async();
        KeyFetch again =
                f.members == null
                        ? send(f.key, cluster, true)
                        : send(f.key, cluster, true, f.members.cursor(), f.members.skip());
        if (f.members != null) {
            again.members.continueFrom(f.members);
        }
        if (f.type != null) {
            again.type = cluster.type(f.key);
        }
        return again;
    }

    /**
     * Whether no value is read per key (a query on keys, perhaps with their TTL): then nothing
     * tells a point-read key's type or existence but a TYPE command.
     */
    private boolean readsNoValue() {
        return valueRead != null && !valueRead.readsValue();
    }

    /** The records this reader may still produce under its LIMIT, or -1 without one. */
    private long remaining() {
        return limit < 0 ? -1 : Math.max(0, limit - produced);
    }

    /**
     * Turns the replies of a batch of set, list or zset keys into records, key by key from {@code
     * batch.nextKey}: the first page of each key came with the batch. A key with more pages becomes
     * the {@linkplain ScanProgress#open open key}: this returns after its first page, with the next
     * page sent, and each later call returns one more page of it, until its last; then the batch's
     * other keys follow.
     */
    private List<RedisScanRecord> receiveMembers(ScanProgress p, Batch batch) throws IOException {
        // records are only returned, and the position only advanced, if the whole call succeeds:
        // after a failure, reading goes on from where the last returned records left off
        int startKey = batch.nextKey;
        OpenKey startOpen = p.open;
        try {
            return readMembers(p, batch);
        } catch (IOException | RuntimeException e) {
            batch.nextKey = startKey;
            p.open = startOpen;
            throw e;
        }
    }

    private List<RedisScanRecord> readMembers(ScanProgress p, Batch batch) throws IOException {
        List<RedisScanRecord> records = new ArrayList<>();
        if (p.open != null) {
            OpenKey open = p.open;
            List<KeyFetch> next = List.of(open.next);
            awaitAll(futuresOf(next), p.node);
            followMoved(p, next);
            if (!emitPage(p, batch, open.next, open.ttl, open, records)) {
                return records;
            }
            batch.nextKey++;
        } else if (batch.nextKey == 0) {
            awaitAll(futuresOf(batch.fetches), p.node);
            followMoved(p, batch.fetches);
        }
        for (; batch.nextKey < batch.keys.size(); batch.nextKey++) {
            if (limit >= 0 && produced + records.size() >= limit) {
                break;
            }
            KeyFetch f = batch.fetches.get(batch.nextKey);
            long ttl = RedisRecord.TTL_NOT_FETCHED;
            if (f.pttl != null) {
                Long t = result(f.pttl, f.key, "PTTL", p.node);
                if (t == null || t == -2) {
                    continue; // deleted after SCAN
                }
                ttl = t;
            }
            if (!emitPage(p, batch, f, ttl, null, records)) {
                return records;
            }
        }
        return records;
    }

    /**
     * Adds the records of the member page that {@code f} read to {@code records}. Returns whether
     * that was the key's last page; if not, the key is left open with its next page sent.
     *
     * <p>The last member of a page that is not the key's last is held back until the next page
     * arrives: if that page is the last and empty (a list or sorted set whose size is a multiple of
     * the page size, a final empty SSCAN page, a key deleted or retyped meanwhile), the held member
     * is the key's last record, which marks the key as emitted in the split's state.
     *
     * @param open the open key whose page this is (with the member it holds back), or null
     */
    private boolean emitPage(
            ScanProgress p,
            Batch batch,
            KeyFetch f,
            long ttl,
            OpenKey open,
            List<RedisScanRecord> records)
            throws IOException {
        String node = p.node.toString();
        String pageCursor = batch.page.cursor;
        Held holding = open == null ? null : open.held;
        RedisRecord held = holding == null ? null : holding.record;
        MemberReplies replies = new MemberReplies(p.node);
        RedisMemberPage page = f.members.receive(replies, ttl);
        if (page == null) {
            // its type changed (WRONGTYPE): counted; what was read of it is all it has
            if (held != null) {
                records.add(new RedisScanRecord(held, node, pageCursor, null));
            }
            p.open = null;
            return true;
        }
        int n = page.size();
        if (held != null) {
            if (n == 0 && !page.isLast()) {
                // an empty page in the middle (SSCAN): go on holding
                sendNextPage(p, f, page, ttl, holding, records, 0, replies);
                return false;
            }
            if (n == 0) {
                records.add(new RedisScanRecord(held, node, pageCursor, null));
                p.open = null;
                return true;
            }
            records.add(RedisScanRecord.ofOpenKey(held, node, pageCursor, holding.next, 0));
        }
        long room = limit < 0 ? Long.MAX_VALUE : limit - produced - records.size();
        if (n > room || (n == room && !page.isLast())) {
            // the LIMIT ends the read inside this key: no further page
            for (int i = 0; i < room; i++) {
                records.add(
                        RedisScanRecord.ofOpenKey(
                                page.record(i),
                                node,
                                pageCursor,
                                page.cursor(),
                                page.skipAfter(i)));
            }
            p.open = null;
            return true;
        }
        int emitted = Math.max(0, n - 1); // the last is the key's last, or held back
        if (!page.isLast()) {
            // the next page goes out first, so that Redis serves it while this one's records
            // are built
            Held last =
                    n == 0
                            ? null
                            : new Held(
                                    page.record(n - 1),
                                    page.nextCursor(),
                                    page.cursor(),
                                    page.skipBefore(n - 1));
            sendNextPage(p, f, page, ttl, last, records, emitted, replies);
        }
        for (int i = 0; i < emitted; i++) {
            records.add(
                    RedisScanRecord.ofOpenKey(
                            page.record(i), node, pageCursor, page.cursor(), page.skipAfter(i)));
        }
        if (!page.isLast()) {
            return false;
        }
        if (n > 0) {
            records.add(new RedisScanRecord(page.record(n - 1), node, pageCursor, null));
        }
        p.open = null;
        return true;
    }

    /**
     * Sends the page of {@code f}'s key that follows {@code page} and leaves the key open, holding
     * back the member that {@code holding} holds (if any); {@code coming} records of the page
     * before are still to be added to {@code records} (they count against the LIMIT). Which page
     * comes next is the data type's business ({@link RedisMemberFetch#sendNext}): a series read
     * without a LIMIT, for one, reads on in time windows, several asked for at once.
     */
    private void sendNextPage(
            ScanProgress p,
            KeyFetch f,
            RedisMemberPage page,
            long ttl,
            @Nullable Held holding,
            List<RedisScanRecord> records,
            int coming,
            RedisMemberReplies replies)
            throws IOException {
        long most = limit < 0 ? -1 : limit - produced - records.size() - coming;
        KeyFetch next = new KeyFetch(f.key);
        next.members = f.members.sendNext(p.connection.async(), page, most, replies);
        p.connection.flushCommands();
        p.open = new OpenKey(next, ttl, holding);
    }

    /** The replies of a key's member page, read from {@code node}. */
    private final class MemberReplies implements RedisMemberReplies {
        private final RedisEndpoint node;

        MemberReplies(RedisEndpoint node) {
            this.node = node;
        }

        @Override
        public <V> V get(RedisFuture<V> reply, byte[] key, String command) throws IOException {
            return result(reply, key, command, node);
        }

        @Override
        public IOException malformed(
                byte[] key, String command, String detail, RuntimeException cause) {
            return failure(
                    String.format(
                            "%s of key '%s' on Redis node %s (of %s)%s",
                            command,
                            RedisText.show(key),
                            node,
                            connectionConfig.endpoint(),
                            detail),
                    cause);
        }
    }

    private static boolean anyMoved(List<RedisFuture<?>> futures) {
        for (RedisFuture<?> f : futures) {
            if (isMoved(f)) {
                return true;
            }
        }
        return false;
    }

    /** A key whose members are being read, page by page. */
    private static final class OpenKey {
        /** The commands of its next page, sent. */
        final KeyFetch next;

        final long ttl;

        /** The last member read, held back until the next page shows whether it is the last. */
        @Nullable final Held held;

        OpenKey(KeyFetch next, long ttl, @Nullable Held held) {
            this.next = next;
            this.ttl = ttl;
            this.held = held;
        }
    }

    /** A member held back, and where it is. */
    private static final class Held {
        final RedisRecord record;

        /** Where the members after it start (the next page's cursor). */
        final String next;

        /** The cursor of its page and the members of that page before it. */
        final String cursor;

        final int skip;

        Held(RedisRecord record, String next, String cursor, int skip) {
            this.record = record;
            this.next = next;
            this.cursor = cursor;
            this.skip = skip;
        }
    }

    private static List<RedisFuture<?>> futuresOf(List<KeyFetch> fetches) {
        List<RedisFuture<?>> all = new ArrayList<>(fetches.size() * 2);
        for (KeyFetch f : fetches) {
            f.addFuturesTo(all);
        }
        return all;
    }

    /**
     * Sends the per-key commands of {@code key}: the read of its value ({@link RedisValueRead}),
     * PTTL when the TTL is selected. With {@code alone}, a value read in batches (strings: MGET,
     * see {@link #sendBatch}) is read with the key's own command.
     */
    private KeyFetch send(
            byte[] key, RedisClusterAsyncCommands<byte[], byte[]> commands, boolean alone) {
        return send(key, commands, alone, RedisScanSplit.INITIAL_CURSOR, 0);
    }

    /**
     * {@link #send(byte[], RedisClusterAsyncCommands, boolean)}; for a set, list or zset, the
     * commands of the page of its members at {@code memberCursor}, skipping {@code memberSkip}.
     */
    private KeyFetch send(
            byte[] key,
            RedisClusterAsyncCommands<byte[], byte[]> commands,
            boolean alone,
            String memberCursor,
            int memberSkip) {
        KeyFetch f = new KeyFetch(key);
        if (memberPages != null) {
            f.members = memberPages.send(commands, key, memberCursor, memberSkip, remaining());
        } else if (valueRead.readsValue() && (alone || !valueRead.readsInBatches())) {
            f.value = valueRead.send(commands, key);
        }
        if (spec.fetchTtl()) {
            f.pttl = commands.pttl(key);
        }
        return f;
    }

    /**
     * Reads the values of a batch of keys with multi-key commands (strings: MGET), per hash slot on
     * a cluster node (a multi-key command must stay in one slot).
     */
    private void sendBatch(ScanProgress p, Batch batch) {
        int n = batch.keys.size();
        RedisFuture<?>[] futures = new RedisFuture<?>[n];
        int[] indexes = new int[n];
        valueRead.sendBatch(
                p.connection.async(), batch.keys, p.split.firstSlot() >= 0, futures, indexes);
        for (int i = 0; i < n; i++) {
            KeyFetch f = batch.fetches.get(i);
            f.value = futures[i];
            f.valueIndex = indexes[i];
        }
    }

    /** The commands sent for one key and their replies. */
    private final class KeyFetch {
        final byte[] key;
        RedisFuture<Long> pttl;

        /**
         * The read of the key's value ({@link RedisValueRead#send}), or the multi-key command of
         * its batch or slot group ({@link RedisValueRead#sendBatch}); null where none is read.
         */
        RedisFuture<?> value;

        /** The key's position in {@link #value}'s reply when that reads a batch, else -1. */
        int valueIndex = -1;

        /** A page of a set's, list's, zset's, stream's or series' members. */
        RedisMemberFetch members;

        /** TYPE of a point-read key of which no value is read. */
        RedisFuture<String> type;

        boolean allNil;

        KeyFetch(byte[] key) {
            this.key = key;
        }

        void addFuturesTo(List<RedisFuture<?>> all) {
            if (value != null && valueIndex <= 0) {
                all.add(value); // a batch's command once, with its first key
            }
            if (members != null) {
                members.addFuturesTo(all);
            }
            if (type != null) {
                all.add(type);
            }
            if (pttl != null) {
                all.add(pttl);
            }
        }

        boolean moved() {
            return isMoved(value)
                    || isMoved(pttl)
                    || isMoved(type)
                    || (members != null && anyMoved(members.futures()));
        }

        void replaceWith(KeyFetch other) {
            value = other.value;
            valueIndex = other.valueIndex;
            pttl = other.pttl;
            members = other.members;
            type = other.type;
        }

        /** The record for this key, or null if the key is gone or has another type. */
        RedisRecord toRecord(RedisEndpoint node) throws IOException {
            if (type != null) {
                String t = result(type, key, "TYPE", node);
                if (!spec.dataType().scanType().equalsIgnoreCase(t)) {
                    if (!"none".equals(t)) {
                        wrongTypeCounter.inc(); // a point key of another type
                    }
                    return null;
                }
            }
            long ttl = RedisRecord.TTL_NOT_FETCHED;
            if (pttl != null) {
                Long t = result(pttl, key, "PTTL", node);
                if (t == null || t == -2) {
                    return null; // deleted after SCAN
                }
                ttl = t;
            }
            if (value == null) {
                return RedisValueRead.keyOnly(key, ttl);
            }
            String command = valueIndex < 0 ? valueRead.command() : valueRead.batchCommand();
            RedisRecord record =
                    valueRead.record(key, result(value, key, command, node), valueIndex, ttl);
            // without PTTL, a reply that cannot tell a missing key (HMGET: nils only): EXISTS
            allNil = record != null && pttl == null && valueRead.mayBeMissing(record);
            return record;
        }
    }

    private static boolean isMoved(RedisFuture<?> future) {
        if (future == null || !future.isDone()) {
            return false;
        }
        try {
            future.get();
            return false;
        } catch (ExecutionException e) {
            String m = String.valueOf(e.getCause().getMessage());
            return m.startsWith("MOVED") || m.startsWith("ASK");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Drops the records of keys that EXISTS says are gone, in one more round trip. */
    private void dropDeleted(
            ScanProgress p, List<byte[]> keys, List<RedisRecord> fetched, List<Integer> indices)
            throws IOException {
        List<RedisFuture<Long>> exists = new ArrayList<>(indices.size());
        for (int i : indices) {
            exists.add(p.connection.async().exists(keys.get(i)));
        }
        p.connection.flushCommands();
        awaitAll(new ArrayList<>(exists), p.node);
        for (int j = 0; j < indices.size(); j++) {
            int i = indices.get(j);
            if (isMoved(exists.get(j))) {
                continue; // the key lives on another node now: it exists
            }
            Long e = result(exists.get(j), keys.get(i), "EXISTS", p.node);
            if (e == null || e == 0) {
                fetched.set(i, null);
            }
        }
    }

    /**
     * Waits until every command has its reply (or error), within {@code command.timeout}. The
     * futures are awaited from the last: replies on one connection arrive in the order the commands
     * were sent, so once the last is done the others are too, and waiting costs no dependent stage
     * per command.
     */
    private void awaitAll(List<RedisFuture<?>> futures, RedisEndpoint node) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        try {
            for (int i = futures.size() - 1; i >= 0; i--) {
                RedisFuture<?> future = futures.get(i);
                if (future.isDone()) {
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !future.await(left, TimeUnit.NANOSECONDS)) {
                    throw failure(
                            String.format(
                                    "Redis node %s (of %s) did not answer %d pipelined commands"
                                            + " within %d ms (option 'command.timeout')",
                                    node,
                                    connectionConfig.endpoint(),
                                    futures.size(),
                                    timeoutMillis),
                            new TimeoutException());
                }
            }
        } catch (InterruptedException | RedisCommandInterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while waiting for Redis", e);
        }
    }

    /**
     * The reply of a completed command; {@code null} for a WRONGTYPE error (counted), an
     * IOException naming the key, command and node for any other error.
     */
    private <V> V result(RedisFuture<V> future, byte[] key, String command, RedisEndpoint node)
            throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while reading from Redis", e);
        } catch (ExecutionException e) {
            String message = String.valueOf(e.getCause().getMessage());
            if (message.contains("TSDB: the key does not exist")) {
                // a series deleted between SCAN and TS.RANGE: no rows, as for the other types
                return null;
            }
            // RedisJSON 2.0 says "Existing key has wrong Redis type", RedisTimeSeries "ERR
            // WRONGTYPE ..." or "the key is not a TSDB key"
            if (message.startsWith("WRONGTYPE")
                    || message.startsWith("ERR WRONGTYPE")
                    || message.contains("wrong Redis type")
                    || message.contains("not a TSDB key")) {
                wrongTypeCounter.inc();
                LOG.debug(
                        "Skipping key '{}': its type changed after SCAN ({})",
                        RedisText.show(key),
                        message);
                return null;
            }
            throw failure(
                    String.format(
                            "%s of key '%s' failed on Redis node %s (of %s): %s",
                            command,
                            RedisText.show(key),
                            node,
                            connectionConfig.endpoint(),
                            message),
                    e.getCause());
        }
    }

    private <V> V await(RedisFuture<V> future, String command, RedisEndpoint node)
            throws IOException {
        awaitAll(List.of(future), node);
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while reading from Redis", e);
        } catch (ExecutionException e) {
            throw failure(
                    String.format(
                            "%s failed on Redis node %s (of %s): %s",
                            command, node, connectionConfig.endpoint(), e.getCause().getMessage()),
                    e.getCause());
        }
    }

    /**
     * An IOException whose message says everything. The Redis failure is logged, not chained:
     * Flink's SQL client shows only the last "Caused by" of an error, which must be this message. A
     * failure of the connection rather than of the command is a {@link NodeUnavailableException},
     * which the reader may recover from.
     */
    private static IOException failure(String message, Throwable redisFailure) {
        LOG.warn(message, redisFailure);
        return redisFailure instanceof RedisCommandExecutionException
                ? new IOException(message)
                : new NodeUnavailableException(message);
    }

    /** A node could not be reached or dropped the connection. */
    private static class NodeUnavailableException extends IOException {
        private static final long serialVersionUID = 1L;

        NodeUnavailableException(String message) {
            super(message);
        }
    }

    /** The scanned node was a primary and is not any more: its SCAN cursor may be void. */
    private static class NodeDemotedException extends NodeUnavailableException {
        private static final long serialVersionUID = 1L;

        NodeDemotedException(String message) {
            super(message);
        }
    }

    /**
     * The scanned replica replicates another primary now, or its link to its primary went down or
     * came up: it may have loaded a new data set, which voids its SCAN cursor.
     */
    private static final class ReplicaChangedException extends NodeDemotedException {
        private static final long serialVersionUID = 1L;

        ReplicaChangedException(String message) {
            super(message);
        }
    }

    @Override
    public void handleSplitsChanges(SplitsChange<RedisScanSplit> splitsChanges) {
        if (!(splitsChanges instanceof SplitsAddition)) {
            throw new UnsupportedOperationException(
                    "Unsupported split change: " + splitsChanges.getClass().getSimpleName());
        }
        pendingSplits.addAll(splitsChanges.splits());
    }

    @Override
    public void wakeUp() {
        // fetch() never blocks longer than one command timeout; nothing to interrupt
    }

    @Override
    public void close() throws Exception {
        connections.close();
    }

    /** The reading position of the split being read. */
    private static final class ScanProgress {
        final RedisScanSplit split;
        final RedisEndpoint node;
        RedisNodeConnection connection;

        /** The SCAN page being sent; before the first SCAN, an empty page ending at the start. */
        Page page;

        /** Index in {@link #page} of the next key to send. */
        int position;

        /** Batches sent and not received yet, oldest first. */
        final ArrayDeque<Batch> inFlight = new ArrayDeque<>();

        Set<ByteBuffer> skipKeys;

        /** The set, list or zset key whose pages are being read, or null. */
        OpenKey open;

        /**
         * A key whose members are read from a position rather than from the start (a restored
         * split's open key, or the open key after a reconnect), with that position.
         */
        byte[] resumeKey;

        String resumeCursor;
        int resumeSkip;

        RedisFuture<KeyScanCursor<byte[]>> prefetchedScan;
        RedisFuture<List<Object>> prefetchedRole;
        RedisFuture<List<Object>> pendingRole;

        /** The node's role when the scan started on it (a replica's as long as it is one). */
        RedisRole startRole;

        /** The node's run id when the scan started on it. */
        String runId = "";

        /** Whether ROLE is sent with each SCAN (off for ACL users that may not run it). */
        boolean roleCheck = true;

        /**
         * @param resume whether the split's cursor and emitted keys apply (same node)
         */
        ScanProgress(
                RedisScanSplit split,
                RedisEndpoint node,
                RedisNodeConnection connection,
                boolean resume) {
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
        }
    }

    /** The keys of one SCAN reply, with the cursor that asked for them and the one it returned. */
    private static final class Page {
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
    private final class Batch {
        final Page page;
        final int start;
        final List<byte[]> keys;
        final List<KeyFetch> fetches;

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
