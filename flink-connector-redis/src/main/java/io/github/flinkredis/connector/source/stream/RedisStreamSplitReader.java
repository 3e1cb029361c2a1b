package io.github.flinkredis.connector.source.stream;

import io.github.flinkredis.connector.client.RedisClientFactory;
import io.github.flinkredis.connector.client.SharedClientResources;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.StreamTrimmedPolicy;
import io.github.flinkredis.connector.model.RedisStreamConsumer;
import io.lettuce.core.Consumer;
import io.lettuce.core.cluster.SlotHash;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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

/**
 * Reads the streams assigned to one reader with {@code XREAD COUNT n BLOCK ms STREAMS key...
 * id...}.
 *
 * <p>The streams are grouped by hash slot (one group outside a cluster, where all keys go into one
 * XREAD); each group has its own connection, to the node serving its slot, and at most one XREAD on
 * it. {@link #fetch()} sends an XREAD for every idle group and returns as soon as one replies with
 * entries, or when {@link #wakeUp()} is called; replies not yet in stay pending into the next
 * fetch, so nothing is read twice. A stream added while its group's XREAD blocks joins the next
 * XREAD, within the block time.
 *
 * <p>A failed XREAD (a broken connection, a restarted server, a moved slot) closes the group's
 * connection; the group reconnects on the schedule of {@link
 * io.github.flinkredis.connector.client.RedisRetryPolicy} (50 ms doubling up to 1 s) and goes on
 * after the last entry it read, for as long as the reconnect window; then the fetch fails and Flink
 * restarts the job from its last checkpoint. All connections are {@link
 * io.github.flinkredis.connector.client.RedisPipeline}s ({@link RedisStreamConnections}).
 *
 * <p>This class coordinates: the reads of a group are {@link RedisStreamReads}' (with {@link
 * RedisStreamWindows} for a backlog), acknowledgements {@link RedisStreamAcknowledger}'s, claiming
 * {@link RedisStreamClaims}', gaps and gauges {@link RedisStreamGaps}'.
 */
@Internal
final class RedisStreamSplitReader implements SplitReader<RedisStreamRecord, RedisStreamSplit> {

    private final RedisStreamMetrics metrics;
    private final RedisStreamConnections connections;
    private final RedisStreamReads reads;
    private final RedisStreamGaps gaps;

    /** Consumer groups: the acknowledgements; else null. */
    @Nullable private final RedisStreamAcknowledger acknowledger;

    /** Claiming entries of other consumers: the claims; else null. */
    @Nullable private final RedisStreamClaims claims;

    private final Map<String, RedisStreamCursor> cursors = new HashMap<>();
    private final Map<Integer, RedisStreamGroup> groups = new LinkedHashMap<>();
    private final Set<String> finished = new HashSet<>();
    private volatile CompletableFuture<Void> wakeUp = new CompletableFuture<>();
    private boolean released;

    RedisStreamSplitReader(
            RedisConnectionConfig config,
            @Nullable List<String> fields,
            int count,
            long blockMillis,
            long reconnectWindowMillis,
            @Nullable RedisStreamConsumer consumer,
            RedisStreamAcks acks,
            StreamTrimmedPolicy trimmedPolicy,
            RedisStreamMetrics metrics) {
        this.metrics = metrics;
        Consumer<byte[]> groupConsumer =
                consumer == null
                        ? null
                        : Consumer.from(bytes(consumer.group()), bytes(consumer.consumer()));
        boolean claiming = consumer != null && consumer.claimMinIdle() != null;
        Consumer<byte[]> claimConsumer =
                claiming
                        ? Consumer.from(bytes(consumer.group()), bytes(consumer.claimConsumer()))
                        : null;
        long claimMinIdleMillis = claiming ? consumer.claimMinIdle().toMillis() : 0;
        byte[][] fieldBytes = fields == null ? null : toBytes(fields);
        SharedClientResources.acquire();
        boolean cluster;
        try {
            cluster = RedisClientFactory.isCluster(config);
        } catch (RuntimeException e) {
            SharedClientResources.release();
            throw e;
        }
        this.connections =
                new RedisStreamConnections(
                        config, cluster, Duration.ofMillis(reconnectWindowMillis));
        this.gaps =
                new RedisStreamGaps(config, consumer, trimmedPolicy, metrics, connections, cursors);
        this.reads =
                new RedisStreamReads(
                        config,
                        connections,
                        gaps,
                        metrics,
                        fieldBytes,
                        count,
                        blockMillis,
                        consumer,
                        groupConsumer,
                        cursors,
                        finished);
        this.acknowledger =
                consumer == null
                        ? null
                        : new RedisStreamAcknowledger(acks, connections, consumer, groupConsumer);
        this.claims =
                claiming
                        ? new RedisStreamClaims(
                                config,
                                connections,
                                consumer,
                                metrics,
                                count,
                                fieldBytes,
                                groupConsumer,
                                claimConsumer,
                                claimMinIdleMillis)
                        : null;
    }

    private static byte[][] toBytes(List<String> names) {
        byte[][] bytes = new byte[names.size()][];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = names.get(i).getBytes(StandardCharsets.UTF_8);
        }
        return bytes;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public RecordsWithSplitIds<RedisStreamRecord> fetch() throws IOException {
        RecordsBySplits.Builder<RedisStreamRecord> records = new RecordsBySplits.Builder<>();
        if (acknowledger != null) {
            acknowledger.acknowledge(cursors);
        }
        gaps.refreshGauges();
        boolean claimed = false;
        if (claims != null
                && !cursors.isEmpty()
                && System.currentTimeMillis() >= claims.nextClaimAt()) {
            claimed = claims.claim(cursors, records);
        }
        if (finished.isEmpty()) {
            read(records, claimed);
        }
        for (String splitId : finished) {
            records.addFinishedSplit(splitId);
        }
        finished.clear();
        return records.build();
    }

    /**
     * Sends a read for every idle group and waits until one replies, a group's retry is due (or a
     * claim round, or at once when {@code claimed}), or {@link #wakeUp()} is called; then takes in
     * the replies that came, and sends those groups' next reads.
     */
    private void read(RecordsBySplits.Builder<RedisStreamRecord> records, boolean claimed)
            throws IOException {
        CompletableFuture<Void> woken = wakeUp;
        long now = System.currentTimeMillis();
        long nextRetry = claimed ? now : Long.MAX_VALUE;
        if (claims != null && !cursors.isEmpty()) {
            nextRetry = Math.min(nextRetry, claims.nextClaimAt());
        }
        List<CompletableFuture<?>> replies = new ArrayList<>();
        for (RedisStreamGroup g : groups.values()) {
            if (g.xread == null && !g.cursors.isEmpty()) {
                if (g.retryAt > now) {
                    nextRetry = Math.min(nextRetry, g.retryAt);
                    continue;
                }
                reads.send(g);
            }
            if (g.xread != null) {
                replies.add(g.xread.toCompletableFuture());
            } else if (!g.cursors.isEmpty()) {
                // the connect in send() failed: retry after its pause
                nextRetry = Math.min(nextRetry, Math.max(g.retryAt, now + 1));
            }
        }
        replies.add(woken);
        await(replies, nextRetry == Long.MAX_VALUE ? -1 : Math.max(0, nextRetry - now));
        if (woken.isDone()) {
            wakeUp = new CompletableFuture<>();
        }
        for (RedisStreamGroup g : groups.values()) {
            if (g.xread != null && g.xread.isDone()) {
                reads.collect(g, records);
                if (g.xread == null && g.failingSince < 0 && !g.cursors.isEmpty()) {
                    // the next read goes out now, so that Redis answers it while these
                    // entries are handed over and emitted
                    reads.send(g);
                }
            }
        }
    }

    private static void await(List<CompletableFuture<?>> replies, long timeoutMillis)
            throws IOException {
        CompletableFuture<Object> any =
                CompletableFuture.anyOf(replies.toArray(new CompletableFuture<?>[0]));
        try {
            if (timeoutMillis < 0) {
                any.get();
            } else {
                any.get(timeoutMillis, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while waiting for XREAD", e);
        } catch (ExecutionException | TimeoutException e) {
            // a failed XREAD is handled with its group; a timeout is a pause that ended
        }
    }

    @Override
    public void handleSplitsChanges(SplitsChange<RedisStreamSplit> splitsChanges) {
        if (!(splitsChanges instanceof SplitsAddition)) {
            throw new UnsupportedOperationException(
                    "Unsupported splits change " + splitsChanges.getClass().getSimpleName());
        }
        for (RedisStreamSplit split : splitsChanges.splits()) {
            if (split.isFinished()) {
                finished.add(split.splitId());
                continue;
            }
            byte[] key = split.key();
            RedisStreamCursor c =
                    new RedisStreamCursor(
                            split, connections.cluster() ? SlotHash.getSlot(key) : -1, metrics);
            gaps.checkTrimmed(c, split.isResumed());
            cursors.put(c.splitId, c);
            groups.computeIfAbsent(c.slot, RedisStreamGroup::new)
                    .cursors
                    .put(ByteBuffer.wrap(key), c);
        }
    }

    @Override
    public void wakeUp() {
        wakeUp.complete(null);
    }

    @Override
    public void close() {
        for (RedisStreamGroup g : groups.values()) {
            if (g.connection != null) {
                g.connection.close();
                g.connection = null;
            }
        }
        connections.close();
        if (!released) {
            released = true;
            SharedClientResources.release();
        }
    }
}
