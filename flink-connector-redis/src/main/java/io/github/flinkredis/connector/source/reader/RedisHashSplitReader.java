package io.github.flinkredis.connector.source.reader;

import io.github.flinkredis.connector.client.RedisClientFactory;
import io.github.flinkredis.connector.client.RedisNodeConnection;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.source.RedisReadSpec;
import io.github.flinkredis.connector.source.RedisRecord;
import io.github.flinkredis.connector.source.split.RedisScanSplit;
import io.lettuce.core.KeyScanArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * Reads {@link RedisScanSplit}s of hashes, one split at a time, on one connection.
 *
 * <p>Each {@link #fetch()} takes a page of keys from {@code SCAN cursor MATCH pattern COUNT n TYPE
 * hash} and, for at most {@code batchSize} of them, sends {@code HMGET key f1 f2 ...} (or {@code
 * HGETALL key} without a field list) and {@code PTTL key} when the TTL is selected, all in one
 * pipelined write, together with the SCAN of the following page; then it waits for every reply. A
 * query that needs only keys sends no per-key command at all.
 *
 * <p>A key deleted between SCAN and the fetch yields no record (PTTL -2, an empty HGETALL, or
 * EXISTS 0 for an HMGET answering only nils). A key whose type changed (WRONGTYPE) is skipped and
 * counted in {@code numKeysSkippedWrongType}.
 */
@Internal
public class RedisHashSplitReader implements SplitReader<RedisScanRecord, RedisScanSplit> {

    private static final Logger LOG = LoggerFactory.getLogger(RedisHashSplitReader.class);

    /** Bound on empty SCAN pages walked in one fetch, so that fetch() returns regularly. */
    private static final int MAX_EMPTY_PAGES_PER_FETCH = 64;

    private final RedisConnectionConfig connectionConfig;
    private final RedisReadSpec spec;
    private final int scanCount;
    private final int batchSize;
    private final long limit;
    private final Counter wrongTypeCounter;
    private final byte[][] fieldNames;
    private final long timeoutMillis;

    private final ArrayDeque<RedisScanSplit> pendingSplits = new ArrayDeque<>();
    private RedisNodeConnection connection;
    private ScanProgress current;
    private long produced;

    /**
     * @param limit the most records this reader produces (LIMIT pushdown), or {@code -1}
     */
    public RedisHashSplitReader(
            RedisConnectionConfig connectionConfig,
            RedisReadSpec spec,
            int scanCount,
            int batchSize,
            long limit,
            Counter wrongTypeCounter) {
        this.connectionConfig = connectionConfig;
        this.spec = spec;
        this.scanCount = scanCount;
        this.batchSize = batchSize;
        this.limit = limit;
        this.wrongTypeCounter = wrongTypeCounter;
        this.timeoutMillis = connectionConfig.getCommandTimeout().toMillis();
        if (spec.fields() == null) {
            this.fieldNames = null;
        } else {
            this.fieldNames = new byte[spec.fields().size()][];
            for (int i = 0; i < fieldNames.length; i++) {
                fieldNames[i] = spec.fields().get(i).getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    @Override
    public RecordsWithSplitIds<RedisScanRecord> fetch() throws IOException {
        RecordsBySplits.Builder<RedisScanRecord> out = new RecordsBySplits.Builder<>();
        if (current == null) {
            RedisScanSplit next = pendingSplits.poll();
            if (next == null) {
                return out.build();
            }
            current = new ScanProgress(next);
        }
        if (limitReached() || current.split.isScanEnded()) {
            finishAll(out);
            return out.build();
        }
        if (current.pageExhausted()) {
            int pages = 0;
            do {
                if (current.scanFinished) {
                    out.addFinishedSplit(current.split.splitId());
                    current = null;
                    return out.build();
                }
                loadPage(current);
            } while (current.pageExhausted() && ++pages < MAX_EMPTY_PAGES_PER_FETCH);
            if (current.pageExhausted()) {
                return out.build();
            }
        }
        List<RedisScanRecord> records = fetchChunk(current);
        String splitId = current.split.splitId();
        if (current.pageExhausted() && !records.isEmpty()) {
            int last = records.size() - 1;
            String next = current.scanFinished ? RedisScanSplit.END_CURSOR : current.nextScanCursor;
            records.set(last, records.get(last).lastOfPage(next));
        }
        out.addAll(splitId, records);
        produced += records.size();
        if (current.pageExhausted() && current.scanFinished) {
            out.addFinishedSplit(splitId);
            current = null;
        } else if (limitReached()) {
            finishAll(out);
        }
        return out.build();
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

    private RedisNodeConnection connection() {
        if (connection == null) {
            connection = RedisClientFactory.connect(connectionConfig);
            connection.setAutoFlushCommands(false);
        }
        return connection;
    }

    private RedisFuture<KeyScanCursor<byte[]>> sendScan(String pattern, String cursor) {
        KeyScanArgs args =
                new KeyScanArgs().match(pattern).limit(scanCount).type(spec.dataType().value());
        return connection().async().scan(ScanCursor.of(cursor), args);
    }

    /** Reads the next SCAN page into {@code p} and sends the SCAN of the page after it. */
    private void loadPage(ScanProgress p) throws IOException {
        RedisFuture<KeyScanCursor<byte[]>> future = p.prefetchedScan;
        p.prefetchedScan = null;
        if (future == null) {
            future = sendScan(p.split.keyPattern(), p.nextScanCursor);
        }
        // sends this SCAN, or the prefetched one if no fetch has flushed it yet
        connection().flushCommands();
        KeyScanCursor<byte[]> result =
                await(future, "SCAN " + p.nextScanCursor + " MATCH " + p.split.keyPattern());
        p.pageCursor = p.nextScanCursor;
        p.nextScanCursor = result.getCursor();
        p.scanFinished = result.isFinished();
        List<byte[]> keys = result.getKeys();
        if (p.skipKeys != null) {
            if (p.pageCursor.equals(p.split.cursor())) {
                List<byte[]> remaining = new ArrayList<>(keys.size());
                for (byte[] key : keys) {
                    if (!p.skipKeys.contains(ByteBuffer.wrap(key))) {
                        remaining.add(key);
                    }
                }
                keys = remaining;
            }
            p.skipKeys = null;
        }
        p.page = keys;
        p.position = 0;
        if (!p.scanFinished) {
            // sent with the next pipelined batch: the SCAN round trip overlaps the fetch
            p.prefetchedScan = sendScan(p.split.keyPattern(), p.nextScanCursor);
        }
    }

    private List<RedisScanRecord> fetchChunk(ScanProgress p) throws IOException {
        int end = p.page.size();
        end = Math.min(end, p.position + batchSize);
        if (limit >= 0) {
            end = (int) Math.min(end, p.position + (limit - produced));
        }
        List<byte[]> keys = p.page.subList(p.position, end);
        p.position = end;
        List<RedisScanRecord> records = new ArrayList<>(keys.size());
        if (!spec.needsFetch()) {
            if (p.prefetchedScan != null) {
                connection().flushCommands();
            }
            for (byte[] key : keys) {
                records.add(
                        new RedisScanRecord(
                                new RedisRecord(
                                        key,
                                        new byte[0][],
                                        new byte[0][],
                                        RedisRecord.TTL_NOT_FETCHED),
                                p.pageCursor,
                                null));
            }
            return records;
        }

        RedisAsyncCommands<byte[], byte[]> async = connection().async();
        int n = keys.size();
        List<RedisFuture<List<KeyValue<byte[], byte[]>>>> hmget = null;
        List<RedisFuture<Map<byte[], byte[]>>> hgetall = null;
        List<RedisFuture<Long>> pttl = spec.fetchTtl() ? new ArrayList<>(n) : null;
        if (fieldNames == null) {
            hgetall = new ArrayList<>(n);
        } else if (fieldNames.length > 0) {
            hmget = new ArrayList<>(n);
        }
        for (byte[] key : keys) {
            if (hgetall != null) {
                hgetall.add(async.hgetall(key));
            } else if (hmget != null) {
                hmget.add(async.hmget(key, fieldNames));
            }
            if (pttl != null) {
                pttl.add(async.pttl(key));
            }
        }
        connection().flushCommands();
        List<RedisFuture<?>> all = new ArrayList<>();
        if (hgetall != null) {
            all.addAll(hgetall);
        }
        if (hmget != null) {
            all.addAll(hmget);
        }
        if (pttl != null) {
            all.addAll(pttl);
        }
        awaitAll(all);

        List<Integer> allNil = null;
        List<RedisRecord> fetched = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] key = keys.get(i);
            long ttl = RedisRecord.TTL_NOT_FETCHED;
            if (pttl != null) {
                Long t = result(pttl.get(i), key, "PTTL");
                if (t == null || t == -2) {
                    fetched.add(null); // deleted after SCAN
                    continue;
                }
                ttl = t;
            }
            byte[][] names;
            byte[][] values;
            if (hgetall != null) {
                Map<byte[], byte[]> map = result(hgetall.get(i), key, "HGETALL");
                if (map == null || map.isEmpty()) {
                    fetched.add(null); // wrong type, or deleted after SCAN
                    continue;
                }
                names = new byte[map.size()][];
                values = new byte[map.size()][];
                int j = 0;
                for (Map.Entry<byte[], byte[]> e : map.entrySet()) {
                    names[j] = e.getKey();
                    values[j++] = e.getValue();
                }
            } else if (hmget != null) {
                List<KeyValue<byte[], byte[]>> kvs = result(hmget.get(i), key, "HMGET");
                if (kvs == null) {
                    fetched.add(null);
                    continue;
                }
                names = fieldNames;
                values = new byte[fieldNames.length][];
                boolean anyValue = false;
                for (int j = 0; j < values.length; j++) {
                    KeyValue<byte[], byte[]> kv = kvs.get(j);
                    if (kv.hasValue()) {
                        values[j] = kv.getValue();
                        anyValue = true;
                    }
                }
                if (!anyValue && pttl == null) {
                    if (allNil == null) {
                        allNil = new ArrayList<>();
                    }
                    allNil.add(i);
                }
            } else {
                names = new byte[0][];
                values = new byte[0][];
            }
            fetched.add(new RedisRecord(key, names, values, ttl));
        }
        if (allNil != null) {
            dropDeleted(keys, fetched, allNil);
        }
        for (RedisRecord r : fetched) {
            if (r != null) {
                records.add(new RedisScanRecord(r, p.pageCursor, null));
            }
        }
        return records;
    }

    /** A hash answering only nils to HMGET may be gone: EXISTS tells, in one more round trip. */
    private void dropDeleted(List<byte[]> keys, List<RedisRecord> fetched, List<Integer> indices)
            throws IOException {
        List<RedisFuture<Long>> exists = new ArrayList<>(indices.size());
        for (int i : indices) {
            exists.add(connection().async().exists(keys.get(i)));
        }
        connection().flushCommands();
        awaitAll(new ArrayList<>(exists));
        for (int j = 0; j < indices.size(); j++) {
            int i = indices.get(j);
            Long e = result(exists.get(j), keys.get(i), "EXISTS");
            if (e == null || e == 0) {
                fetched.set(i, null);
            }
        }
    }

    private void awaitAll(List<RedisFuture<?>> futures) throws IOException {
        CompletableFuture<?>[] all = new CompletableFuture<?>[futures.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = futures.get(i).toCompletableFuture();
        }
        try {
            CompletableFuture.allOf(all)
                    .handle((v, e) -> null)
                    .get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException(
                    String.format(
                            "Redis at %s did not answer %d pipelined commands within %d ms"
                                    + " (option 'command.timeout')",
                            connectionConfig.endpoint(), all.length, timeoutMillis),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while waiting for Redis", e);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
    }

    /**
     * The reply of a completed command; {@code null} for a WRONGTYPE error (counted), an
     * IOException naming the key and command for any other error.
     */
    private <V> V result(RedisFuture<V> future, byte[] key, String command) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while reading from Redis", e);
        } catch (ExecutionException e) {
            String message = String.valueOf(e.getCause().getMessage());
            if (message.startsWith("WRONGTYPE")) {
                wrongTypeCounter.inc();
                LOG.debug(
                        "Skipping key '{}': its type changed after SCAN ({})",
                        new String(key, StandardCharsets.UTF_8),
                        message);
                return null;
            }
            throw new IOException(
                    String.format(
                            "%s of key '%s' failed on Redis at %s: %s",
                            command,
                            new String(key, StandardCharsets.UTF_8),
                            connectionConfig.endpoint(),
                            message),
                    e.getCause());
        }
    }

    private <V> V await(RedisFuture<V> future, String command) throws IOException {
        awaitAll(List.of(future));
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while reading from Redis", e);
        } catch (ExecutionException e) {
            throw new IOException(
                    String.format(
                            "%s failed on Redis at %s: %s",
                            command, connectionConfig.endpoint(), e.getCause().getMessage()),
                    e.getCause());
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
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    /** The reading position of the split being read. */
    private static final class ScanProgress {
        final RedisScanSplit split;
        String nextScanCursor;
        boolean scanFinished;
        String pageCursor;
        List<byte[]> page = List.of();
        int position;
        Set<ByteBuffer> skipKeys;
        RedisFuture<KeyScanCursor<byte[]>> prefetchedScan;

        ScanProgress(RedisScanSplit split) {
            this.split = split;
            this.nextScanCursor = split.cursor();
            if (!split.emittedKeys().isEmpty()) {
                skipKeys = new HashSet<>();
                for (byte[] key : split.emittedKeys()) {
                    skipKeys.add(ByteBuffer.wrap(key));
                }
            }
        }

        boolean pageExhausted() {
            return position >= page.size();
        }
    }
}
