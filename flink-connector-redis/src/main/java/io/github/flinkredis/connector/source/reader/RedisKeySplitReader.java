package io.github.flinkredis.connector.source.reader;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.search.RedisSearchKeyQuery;
import io.github.flinkredis.connector.source.reader.RedisNodeReplies.NodeUnavailableException;
import io.github.flinkredis.connector.source.reader.RedisScanProgress.Batch;
import io.github.flinkredis.connector.source.split.RedisScanSplit;
import io.github.flinkredis.connector.types.RedisTypes;
import io.github.flinkredis.connector.types.spi.RedisMemberRead;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
import io.lettuce.core.protocol.ProtocolVersion;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.apache.flink.metrics.Counter;

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
 * that a checkpoint can be taken between any two members ({@link RedisMemberPages}).
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
 *
 * <p>This class coordinates: the SCAN walk is {@link RedisScanWalk}'s, the batches of keys in
 * flight {@link RedisKeyBatches}', the member pages {@link RedisMemberPages}', the recovery from an
 * unavailable node {@link RedisScanRecovery}'s.
 */
@Internal
public class RedisKeySplitReader implements SplitReader<RedisScanRecord, RedisScanSplit> {

    /** Bound on empty SCAN pages walked in one fetch, so that fetch() returns regularly. */
    private static final int MAX_EMPTY_PAGES_PER_FETCH = 64;

    private final RedisConnectionConfig connectionConfig;
    private final int batchSize;
    private final int maxBatchesInFlight;
    private final RedisScanLimit limit;

    private final ArrayDeque<RedisScanSplit> pendingSplits = new ArrayDeque<>();
    private final RedisShardConnections connections;
    private final RedisScanWalk walk;
    private final RedisKeyBatches batches;
    private final RedisMemberPages memberPages;
    private final RedisScanRecovery recovery;
    private RedisScanProgress current;

    /**
     * @param batchSize keys whose commands are sent in one pipelined write
     * @param maxBatchesInFlight batches sent before the replies of the oldest are awaited: while
     *     the reader turns one batch's replies into records, the node works on the next
     * @param limit the most records this reader produces (LIMIT pushdown), or {@code -1}
     * @param search the query whose keys the splits read instead of SCAN's, or null
     */
    public RedisKeySplitReader(
            RedisConnectionConfig connectionConfig,
            RedisReadSpec spec,
            int scanCount,
            int batchSize,
            int maxBatchesInFlight,
            long limit,
            @Nullable RedisSearchKeyQuery search,
            Counter wrongTypeCounter,
            Counter scanRestartCounter) {
        this.connectionConfig = connectionConfig;
        this.batchSize = batchSize;
        this.maxBatchesInFlight = maxBatchesInFlight;
        this.limit = new RedisScanLimit(limit);
        RedisTypeHandler type = RedisTypes.of(spec.dataType());
        RedisConnectionConfig readConfig = type.readConnection(connectionConfig);
        // RedisSearchKeyQuery reads replies in the RESP2 shape
        this.connections =
                new RedisShardConnections(
                        search == null
                                ? readConfig
                                : readConfig.withProtocolVersion(ProtocolVersion.RESP2));
        RedisNodeReplies replies = new RedisNodeReplies(connectionConfig, type, wrongTypeCounter);
        RedisMemberRead memberRead = type.memberRead(spec);
        this.batches =
                new RedisKeyBatches(
                        spec,
                        connections,
                        replies,
                        this.limit,
                        memberRead,
                        memberRead == null ? type.valueRead(spec) : null);
        this.memberPages = new RedisMemberPages(batches, replies, this.limit);
        this.walk =
                new RedisScanWalk(
                        connections,
                        spec,
                        scanCount,
                        replies,
                        scanRestartCounter,
                        type.keySource(spec),
                        search);
        this.recovery =
                new RedisScanRecovery(
                        connections, walk, connectionConfig.getCommandTimeout().toMillis());
    }

    /**
     * Reads the next batch of records. A node that cannot be reached, or stops being what the scan
     * read from, is recovered from (see {@link RedisScanRecovery}); a connection that breaks before
     * a split's first command is answered is replaced, and the split started again. Attempts go on,
     * with pauses from 50 ms doubling up to 1 s, until the node has been unavailable for {@code
     * command.timeout}, after which the failure fails the job.
     */
    @Override
    public RecordsWithSplitIds<RedisScanRecord> fetch() throws IOException {
        try {
            RecordsWithSplitIds<RedisScanRecord> records = fetchOnce();
            recovery.succeeded();
            return records;
        } catch (NodeUnavailableException e) {
            current = recovery.onUnavailable(current, e);
            return new RecordsBySplits.Builder<RedisScanRecord>().build();
        }
    }

    private RecordsWithSplitIds<RedisScanRecord> fetchOnce() throws IOException {
        RecordsBySplits.Builder<RedisScanRecord> out = new RecordsBySplits.Builder<>();
        if (current == null) {
            RedisScanSplit next = pendingSplits.poll();
            if (next == null) {
                return out.build();
            }
            try {
                current = walk.start(next);
            } catch (NodeUnavailableException e) {
                pendingSplits.addFirst(next); // started again by the next fetch
                throw e;
            }
        }
        if (limit.reached() || current.split.isScanEnded()) {
            finishAll(out);
            return out.build();
        }
        RedisScanProgress p = current;
        if (p.connection == null) {
            String failure = recovery.lastReconnectFailure();
            throw new NodeUnavailableException(
                    String.format(
                            "Redis node %s (of %s) is not connected again yet%s",
                            p.node,
                            connectionConfig.endpoint(),
                            failure == null ? "" : ": " + failure));
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
        if (batches.readsMembers()) {
            records = memberPages.receive(p, batch);
            batchDone = p.open == null && batch.nextKey >= batch.keys.size();
        } else {
            records = batches.receive(p, batch);
            batchDone = true;
        }
        if (batchDone) {
            p.inFlight.pollFirst();
        }
        emit(out, p, batch, batchDone, records);
        return out.build();
    }

    /** Adds {@code records} of {@code batch} to {@code out}, and finishes what is done. */
    private void emit(
            RecordsBySplits.Builder<RedisScanRecord> out,
            RedisScanProgress p,
            Batch batch,
            boolean batchDone,
            List<RedisScanRecord> records) {
        String splitId = p.split.splitId();
        if (batchDone && batch.endsPage() && !records.isEmpty()) {
            int last = records.size() - 1;
            String next = batch.page.last ? RedisScanSplit.END_CURSOR : batch.page.nextCursor;
            records.set(last, records.get(last).lastOfPage(next));
        }
        out.addAll(splitId, records);
        limit.produced += records.size();
        if (p.finished()) {
            out.addFinishedSplit(splitId);
            current = null;
        } else if (limit.reached()) {
            finishAll(out);
        }
    }

    /**
     * Sends batches until {@code maxBatchesInFlight} are in flight, reading SCAN pages as needed
     * (at most {@link #MAX_EMPTY_PAGES_PER_FETCH} of them), and flushes them to the node.
     */
    private void fill(RedisScanProgress p) throws IOException {
        int pages = 0;
        while (p.inFlight.size() < maxBatchesInFlight) {
            long room =
                    limit.limit < 0 ? batchSize : limit.limit - limit.produced - p.keysInFlight();
            if (room <= 0) {
                break;
            }
            if (p.position < p.page.keys.size()) {
                int end =
                        (int) Math.min(p.page.keys.size(), p.position + Math.min(room, batchSize));
                Batch batch = new Batch(p.page, p.position, end);
                batches.send(p, batch);
                p.inFlight.addLast(batch);
                p.position = end;
            } else if (p.page.last || pages++ >= MAX_EMPTY_PAGES_PER_FETCH) {
                break;
            } else {
                walk.loadPage(p);
            }
        }
        p.connection.flush();
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
}
