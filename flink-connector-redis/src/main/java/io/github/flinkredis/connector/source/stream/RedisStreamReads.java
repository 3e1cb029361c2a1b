package io.github.flinkredis.connector.source.stream;

import io.github.flinkredis.connector.client.RedisRetryPolicy;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.model.RedisStreamConsumer;
import io.github.flinkredis.connector.model.RedisStreamEntryId;
import io.lettuce.core.Consumer;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.annotation.Nullable;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reads of a group of streams ({@link RedisStreamGroup}, one hash slot) on its connection:
 * {@code XREAD} (or a window's {@code XRANGE}, see {@link RedisStreamWindows}), or {@code
 * XREADGROUP} with a consumer group, sent, and its reply turned into records; a failed read closes
 * the group's connection, which is opened again on the schedule of {@link RedisRetryPolicy} (50 ms
 * doubling up to 1 s), for as long as the reconnect window.
 */
final class RedisStreamReads {

    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamSplitReader.class);

    private final RedisConnectionConfig config;
    private final RedisStreamConnections connections;
    private final RedisStreamWindows windows;
    private final RedisStreamGaps gaps;
    private final RedisStreamMetrics metrics;
    @Nullable private final byte[][] fields;
    private final int count;
    private final long blockMillis;
    @Nullable private final RedisStreamConsumer consumer;

    /** Consumer groups: the group and consumer names as sent; else null. */
    @Nullable private final Consumer<byte[]> groupConsumer;

    /** The streams being read, by split ID, and the splits finished (the reader's). */
    private final Map<String, RedisStreamCursor> cursors;

    private final Set<String> finished;

    RedisStreamReads(
            RedisConnectionConfig config,
            RedisStreamConnections connections,
            RedisStreamGaps gaps,
            RedisStreamMetrics metrics,
            @Nullable byte[][] fields,
            int count,
            long blockMillis,
            @Nullable RedisStreamConsumer consumer,
            @Nullable Consumer<byte[]> groupConsumer,
            Map<String, RedisStreamCursor> cursors,
            Set<String> finished) {
        this.config = config;
        this.connections = connections;
        this.windows = new RedisStreamWindows(count, consumer != null);
        this.gaps = gaps;
        this.metrics = metrics;
        this.fields = fields;
        this.count = count;
        this.blockMillis = blockMillis;
        this.consumer = consumer;
        this.groupConsumer = groupConsumer;
        this.cursors = cursors;
        this.finished = finished;
    }

    /** {@code XREAD COUNT n BLOCK ms STREAMS key... id...} for the group's streams. */
    void send(RedisStreamGroup g) throws IOException {
        if (g.connection == null) {
            try {
                g.connection = connections.connect(g.slot);
            } catch (RuntimeException e) {
                failed(g, e);
                return;
            }
        }
        if (consumer != null) {
            sendGroupRead(g);
            return;
        }
        if (windows.sendWindow(g)) {
            g.connection.flush();
            return;
        }
        List<XReadArgs.StreamOffset<byte[]>> offsets = new ArrayList<>(g.cursors.size());
        for (RedisStreamCursor c : g.cursors.values()) {
            offsets.add(XReadArgs.StreamOffset.from(c.key, c.last.toString()));
        }
        g.xread =
                g.connection
                        .commands()
                        .xread(XReadArgs.Builder.count(count).block(blockMillis), array(offsets));
        g.connection.flush();
    }

    @SuppressWarnings("unchecked")
    private static XReadArgs.StreamOffset<byte[]>[] array(
            List<XReadArgs.StreamOffset<byte[]>> offsets) {
        return offsets.toArray(new XReadArgs.StreamOffset[0]);
    }

    /**
     * {@code XREADGROUP GROUP g c COUNT n STREAMS key... <last fetched>...} for the streams still
     * reading their pending entries (it does not block), else {@code XREADGROUP GROUP g c COUNT n
     * BLOCK ms STREAMS key... >...} for new ones.
     */
    private void sendGroupRead(RedisStreamGroup g) {
        List<RedisStreamCursor> pending = new ArrayList<>();
        for (RedisStreamCursor c : g.cursors.values()) {
            if (c.readingPending) {
                pending.add(c);
            }
        }
        List<XReadArgs.StreamOffset<byte[]>> offsets = new ArrayList<>();
        XReadArgs args = XReadArgs.Builder.count(count);
        if (!pending.isEmpty()) {
            for (RedisStreamCursor c : pending) {
                offsets.add(XReadArgs.StreamOffset.from(c.key, c.pendingFrom.toString()));
            }
            g.pendingRead = pending;
        } else {
            for (RedisStreamCursor c : g.cursors.values()) {
                offsets.add(XReadArgs.StreamOffset.lastConsumed(c.key));
            }
            args.block(blockMillis);
            g.pendingRead = null;
        }
        g.xread = g.connection.commands().xreadgroup(groupConsumer, args, array(offsets));
        g.connection.flush();
    }

    /** Takes in the group's completed read: its entries are added to {@code records}. */
    void collect(RedisStreamGroup g, RecordsBySplits.Builder<RedisStreamRecord> records)
            throws IOException {
        List<StreamMessage<byte[], byte[]>> reply;
        try {
            reply = g.xread.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } catch (ExecutionException e) {
            g.xread = null;
            failed(g, e.getCause());
            return;
        }
        g.xread = null;
        g.failingSince = -1;
        g.failures = 0;
        if (reply == null) {
            return; // BLOCK timed out
        }
        List<RedisStreamCursor> pendingRead = g.pendingRead;
        g.pendingRead = null;
        Set<RedisStreamCursor> withPending = new HashSet<>();
        Map<RedisStreamCursor, List<String>> pendingLost =
                take(g, reply, pendingRead, withPending, records);
        if (pendingRead != null) {
            for (RedisStreamCursor p : pendingRead) {
                // no pending entry after the last one fetched: read new entries from now on
                p.readingPending = withPending.contains(p);
            }
        }
        if (pendingLost != null) {
            reportLost(pendingLost);
        }
        windows.planWindows(g, reply.size());
        g.connection.flush();
    }

    /**
     * Adds the entries of {@code reply} to {@code records}, up to each stream's stop. A read of
     * pending entries notes the streams that had some in {@code withPending}, and acknowledges
     * those emitted before or deleted since.
     *
     * @return the pending entries lost per stream (the last entry emitted, then the lost IDs), or
     *     null if none
     */
    @Nullable
    private Map<RedisStreamCursor, List<String>> take(
            RedisStreamGroup g,
            List<StreamMessage<byte[], byte[]>> reply,
            @Nullable List<RedisStreamCursor> pendingRead,
            Set<RedisStreamCursor> withPending,
            RecordsBySplits.Builder<RedisStreamRecord> records) {
        Map<RedisStreamCursor, List<String>> pendingLost = null;
        byte[] stream = null;
        RedisStreamCursor c = null;
        for (StreamMessage<byte[], byte[]> message : reply) {
            if (message.getStream() != stream) {
                // the entries of one stream share its key's array
                stream = message.getStream();
                c = g.cursors.get(ByteBuffer.wrap(stream));
            }
            if (c == null) {
                continue; // finished while this XREAD was in flight
            }
            RedisStreamEntryId id = RedisStreamEntryId.parse(message.getId());
            if (pendingRead != null) {
                withPending.add(c);
                c.pendingFrom = id;
                if (id.compareTo(c.last) <= 0 || RedisStreamCursor.isDeleted(message)) {
                    // emitted before the checkpoint this job restored (its XACK was lost), or
                    // deleted from the stream since it was delivered
                    c.ackNow.add(message.getId());
                    if (id.compareTo(c.last) > 0) {
                        if (pendingLost == null) {
                            pendingLost = new LinkedHashMap<>();
                        }
                        // the last entry emitted, then the lost IDs
                        pendingLost
                                .computeIfAbsent(
                                        c, k -> new ArrayList<>(List.of(k.last.toString())))
                                .add(message.getId());
                    }
                    continue;
                }
            } else if (consumer == null && id.compareTo(c.last) <= 0) {
                continue;
            }
            if (c.stop != null && id.compareTo(c.stop) > 0) {
                finish(g, c);
                c = null; // the stream's later entries are past its stop too
                continue;
            }
            if (id.compareTo(c.last) > 0) {
                c.last = id;
            }
            if (consumer != null) {
                c.unacked.add(id);
            }
            c.fetched++;
            records.add(c.splitId, c.record(message, id, false, fields));
            if (c.stop != null && id.compareTo(c.stop) >= 0) {
                finish(g, c);
                c = null;
            }
        }
        return pendingLost;
    }

    /** A gap for each stream whose pending entries were trimmed or deleted before read again. */
    private void reportLost(Map<RedisStreamCursor, List<String>> pendingLost) {
        for (Map.Entry<RedisStreamCursor, List<String>> e : pendingLost.entrySet()) {
            List<String> ids = e.getValue().subList(1, e.getValue().size());
            gaps.lost(
                    String.format(
                            "Stream '%s' (%s) lost %d entries delivered to consumer '%s' of"
                                    + " group '%s' after %s, the last entry emitted: they were"
                                    + " trimmed (MAXLEN, XTRIM) or deleted (XDEL) before they"
                                    + " could be read again (%s%s)",
                            e.getKey().name,
                            config.endpoint(),
                            ids.size(),
                            consumer.consumer(),
                            consumer.group(),
                            e.getValue().get(0),
                            String.join(", ", ids.subList(0, Math.min(5, ids.size()))),
                            ids.size() > 5 ? ", ..." : ""));
        }
    }

    private void finish(RedisStreamGroup g, RedisStreamCursor c) {
        g.cursors.remove(ByteBuffer.wrap(c.key));
        cursors.remove(c.splitId);
        metrics.removed(c.splitId);
        finished.add(c.splitId);
    }

    /**
     * A group's XREAD or connect failed: close its connection and retry after a pause, or give up
     * once it has failed for longer than the reconnect window.
     */
    private void failed(RedisStreamGroup g, Throwable cause) throws IOException {
        g.pendingRead = null;
        RedisStreamWindows.endWindows(g);
        for (RedisStreamCursor c : g.cursors.values()) {
            // entries delivered to the consumer in a reply that was lost are pending in Redis
            c.readingPending = true;
            c.pendingFrom = c.last;
        }
        if (g.connection != null) {
            g.connection.close();
            g.connection = null;
        }
        if (g.failingSince < 0) {
            g.failingSince = System.nanoTime();
        }
        RedisRetryPolicy policy = connections.retryPolicy();
        int attempt = ++g.failures;
        if (!policy.allows(attempt, g.failingSince)) {
            throw new IOException(
                    String.format(
                            "Reading streams %s at %s failed for %d ms: %s",
                            g.streamNames(),
                            config.endpoint(),
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - g.failingSince),
                            cause),
                    cause);
        }
        connections.refreshTopology();
        long pause = policy.pauseMillis(attempt);
        LOG.warn(
                "XREAD of streams {} at {} failed; reconnecting in {} ms: {}",
                g.streamNames(),
                config.endpoint(),
                pause,
                cause.toString());
        // scheduled, not slept: the other groups go on meanwhile
        g.retryAt = System.currentTimeMillis() + pause;
    }
}
