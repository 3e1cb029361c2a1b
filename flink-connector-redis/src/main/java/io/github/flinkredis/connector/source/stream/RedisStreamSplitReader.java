package io.github.flinkredis.connector.source.stream;

import io.github.flinkredis.connector.client.RedisClientFactory;
import io.github.flinkredis.connector.client.RedisClusterAccess;
import io.github.flinkredis.connector.client.RedisNodeConnection;
import io.github.flinkredis.connector.client.RedisReplies;
import io.github.flinkredis.connector.client.SharedClientResources;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.StreamTrimmedPolicy;
import io.github.flinkredis.connector.model.RedisRecord;
import io.github.flinkredis.connector.model.RedisStreamConsumer;
import io.github.flinkredis.connector.model.RedisStreamEntryId;
import io.github.flinkredis.connector.model.RedisText;
import io.github.flinkredis.connector.model.RedisTimeWindows;
import io.github.flinkredis.connector.types.stream.RedisStreamEntries;
import io.github.flinkredis.connector.types.stream.RedisStreamRangeOutput;
import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.XPendingArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.models.stream.PendingMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
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
import org.apache.flink.util.FlinkRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * connection; the group reconnects, with growing pauses, and goes on after the last entry it read,
 * for as long as the reconnect window; then the fetch fails and Flink restarts the job from its
 * last checkpoint.
 */
@Internal
final class RedisStreamSplitReader implements SplitReader<RedisStreamRecord, RedisStreamSplit> {

    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamSplitReader.class);

    private static final long MAX_PAUSE_MILLIS = 2_000;

    /** How often the lag and pending gauges are refreshed. */
    private static final long GAUGE_INTERVAL_MILLIS = 1_000;

    private final RedisConnectionConfig config;
    @Nullable private final byte[][] fields;
    private final int count;
    private final long blockMillis;
    private final long reconnectWindowMillis;
    private final boolean cluster;
    @Nullable private final RedisStreamConsumer consumer;

    /** Consumer groups: the group and consumer names as sent; else null. */
    @Nullable private final Consumer<byte[]> groupConsumer;

    /** Claiming entries of other consumers: the consumer owning claimed entries; else null. */
    @Nullable private final Consumer<byte[]> claimConsumer;

    /** Claiming: the idle time after which other consumers' entries are claimed, in ms. */
    private final long claimMinIdleMillis;

    /** Claiming: when the next round of XPENDING and XCLAIM goes out (epoch ms). */
    private long nextClaimAt;

    private final RedisStreamAcks acks;
    private final StreamTrimmedPolicy trimmedPolicy;
    private final RedisStreamMetrics metrics;

    /** When the next round of XINFO for the lag and pending gauges goes out (epoch ms). */
    private long nextInfoAt;

    private final Map<String, Cursor> cursors = new HashMap<>();
    private final Map<Integer, Group> groups = new LinkedHashMap<>();
    private final Set<String> finished = new HashSet<>();
    private volatile CompletableFuture<Void> wakeUp = new CompletableFuture<>();
    @Nullable private RedisClusterAccess topology;
    @Nullable private RedisNodeConnection controlConnection;
    private boolean released;

    /** One stream being read: where its read goes on, and where a bounded read ends. */
    private static final class Cursor {
        final String splitId;

        /** The key for messages ({@link RedisText#show}). */
        final String name;

        final byte[] key;
        final int slot;

        /** The last entry fetched (at or after the last one emitted). */
        RedisStreamEntryId last;

        @Nullable final RedisStreamEntryId stop;

        /**
         * Consumer groups: whether the consumer's pending entries (delivered before, not
         * acknowledged) are being read, after {@link #last}, before new ones ({@code >}).
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
         * Claiming: whether the next round lists the pending entries of the claim consumer at any
         * idle time (once, to emit those an earlier run claimed after its last checkpoint).
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

        /** Consumer groups: the gap check sent with {@link #info} ({@link #GROUP_GAP_SCRIPT}). */
        @Nullable RedisFuture<List<Object>> gapCheck;

        /**
         * Catching up with a backlog in time windows (see {@link #send}): the windows not asked for
         * yet; null when reading with XREAD.
         */
        @Nullable RedisTimeWindows windows;

        /** The {@code XINFO STREAM} sent with an XREAD that came back full, to plan windows. */
        @Nullable RedisFuture<List<Object>> plan;

        Cursor(RedisStreamSplit split, int slot, RedisStreamMetrics metrics) {
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
    }

    /** The streams of one hash slot, their connection and their XREAD in flight. */
    private static final class Group {
        final int slot;
        final Map<ByteBuffer, Cursor> cursors = new LinkedHashMap<>();
        @Nullable RedisNodeConnection connection;
        @Nullable RedisFuture<List<StreamMessage<byte[], byte[]>>> xread;

        /** Consumer groups: whether {@link #xread} reads pending entries, and of which streams. */
        @Nullable List<Cursor> pendingRead;

        /**
         * When {@link #xread} is the XRANGE of a window: the window's last millisecond, else -1.
         */
        long xreadWindowTo = -1;

        /** A window whose reply was full: its last millisecond (read on from the last entry). */
        long windowLeftTo = -1;

        /** The XRANGE of windows asked for after {@link #xread}, oldest first. */
        final ArrayDeque<WindowRead> ahead = new ArrayDeque<>();

        long failingSince = -1;
        long retryAt;
        long pause = 50;

        Group(int slot) {
            this.slot = slot;
        }
    }

    /** The XRANGE of one window, sent, of one stream. */
    private record WindowRead(
            Cursor cursor, long to, RedisFuture<List<StreamMessage<byte[], byte[]>>> reply) {}

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
        this.trimmedPolicy = trimmedPolicy;
        this.metrics = metrics;
        this.consumer = consumer;
        this.groupConsumer =
                consumer == null
                        ? null
                        : Consumer.from(bytes(consumer.group()), bytes(consumer.consumer()));
        boolean claiming = consumer != null && consumer.claimMinIdle() != null;
        this.claimConsumer =
                claiming
                        ? Consumer.from(bytes(consumer.group()), bytes(consumer.claimConsumer()))
                        : null;
        this.claimMinIdleMillis = claiming ? consumer.claimMinIdle().toMillis() : 0;
        this.acks = acks;
        this.config = config;
        this.fields = fields == null ? null : toBytes(fields);
        this.count = count;
        this.blockMillis = blockMillis;
        this.reconnectWindowMillis = reconnectWindowMillis;
        SharedClientResources.acquire();
        try {
            this.cluster = RedisClientFactory.isCluster(config);
        } catch (RuntimeException e) {
            SharedClientResources.release();
            throw e;
        }
    }

    private static byte[][] toBytes(List<String> names) {
        byte[][] bytes = new byte[names.size()][];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = names.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        return bytes;
    }

    @Override
    public RecordsWithSplitIds<RedisStreamRecord> fetch() throws IOException {
        RecordsBySplits.Builder<RedisStreamRecord> records = new RecordsBySplits.Builder<>();
        if (consumer != null) {
            acknowledge();
        }
        refreshGauges();
        boolean claimed = false;
        if (claimConsumer != null
                && !cursors.isEmpty()
                && System.currentTimeMillis() >= nextClaimAt) {
            claimed = claim(records);
        }
        if (finished.isEmpty()) {
            CompletableFuture<Void> woken = wakeUp;
            long now = System.currentTimeMillis();
            long nextRetry = claimed ? now : Long.MAX_VALUE;
            if (claimConsumer != null && !cursors.isEmpty()) {
                nextRetry = Math.min(nextRetry, nextClaimAt);
            }
            List<CompletableFuture<?>> replies = new ArrayList<>();
            for (Group g : groups.values()) {
                if (g.xread == null && !g.cursors.isEmpty()) {
                    if (g.retryAt > now) {
                        nextRetry = Math.min(nextRetry, g.retryAt);
                        continue;
                    }
                    send(g);
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
            for (Group g : groups.values()) {
                if (g.xread != null && g.xread.isDone()) {
                    collect(g, records);
                    if (g.xread == null && g.failingSince < 0 && !g.cursors.isEmpty()) {
                        // the next read goes out now, so that Redis answers it while these
                        // entries are handed over and emitted
                        send(g);
                    }
                }
            }
        }
        for (String splitId : finished) {
            records.addFinishedSplit(splitId);
        }
        finished.clear();
        return records.build();
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

    /**
     * A round of claiming for every stream: {@code XPENDING key group IDLE ms <from> + n} lists
     * entries pending for at least the claim threshold (the first round of a stream lists those of
     * the claim consumer instead, at any idle time, to emit again what an earlier run claimed and
     * did not checkpoint); those owned by this source's consumer, or claimed and emitted by this
     * reader and waiting for their checkpoint, are left alone; the rest are claimed with {@code
     * XCLAIM key group <consumer>-claimed ms id...} and added to {@code records}. Entries deleted
     * from the stream while pending are acknowledged instead. A stream with more pending entries
     * than a page goes on in the next fetch.
     *
     * @return whether entries were claimed
     */
    private boolean claim(RecordsBySplits.Builder<RedisStreamRecord> records) throws IOException {
        boolean more = false;
        boolean claimedAny = false;
        for (Cursor c : cursors.values()) {
            XPendingArgs<byte[]> args =
                    XPendingArgs.Builder.xpending(
                            groupConsumer.getGroup(),
                            Range.create(c.claimFrom.toString(), "+"),
                            Limit.from(count));
            long minIdle = claimMinIdleMillis;
            if (c.claimOwnPending) {
                args.consumer(claimConsumer);
                minIdle = 0;
            } else {
                args.idle(claimMinIdleMillis);
            }
            List<PendingMessage> pending = control(controlCommands().xpending(c.key, args), c);
            if (pending == null) {
                continue; // the stream is gone, or not reachable: the next round tries again
            }
            List<String> ids = new ArrayList<>();
            for (PendingMessage p : pending) {
                RedisStreamEntryId id = RedisStreamEntryId.parse(p.getId());
                if (!consumer.consumer().equals(p.getConsumer())
                        && !c.claimedUnacked.contains(id)) {
                    ids.add(p.getId());
                }
            }
            if (pending.size() == count) {
                more = true;
                c.claimFrom =
                        RedisStreamEntryId.parse(pending.get(pending.size() - 1).getId()).next();
            } else {
                c.claimFrom = RedisStreamEntryId.MIN;
                c.claimOwnPending = false;
            }
            if (ids.isEmpty()) {
                continue;
            }
            List<StreamMessage<byte[], byte[]>> messages =
                    control(
                            controlCommands()
                                    .xclaim(
                                            c.key,
                                            claimConsumer,
                                            XClaimArgs.Builder.minIdleTime(minIdle),
                                            ids.toArray(new String[0])),
                            c);
            if (messages == null) {
                continue;
            }
            for (StreamMessage<byte[], byte[]> message : messages) {
                if (message == null || message.getId() == null) {
                    continue;
                }
                RedisStreamEntryId id = RedisStreamEntryId.parse(message.getId());
                if (isDeleted(message)) {
                    c.ackNow.add(message.getId()); // deleted while pending (Redis before 7.0)
                    continue;
                }
                c.claimedUnacked.add(id);
                claimedAny = true;
                metrics.claims().inc();
                records.add(c.splitId, record(c, message, id, true));
            }
        }
        nextClaimAt = System.currentTimeMillis() + (more ? 0 : claimMinIdleMillis);
        return claimedAny;
    }

    /**
     * The reply of a command on the control connection about stream {@code c}, or null (logged) if
     * it failed or timed out.
     */
    @Nullable
    private <V> V control(RedisFuture<V> command, Cursor c) throws IOException {
        try {
            return command.get(config.getCommandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while claiming entries of " + c.name, e);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn(
                    "Claiming pending entries of stream {} in group {} failed; the next round"
                            + " tries again: {}",
                    c.name,
                    consumer.group(),
                    e.toString());
            return null;
        }
    }

    /** {@code XREAD COUNT n BLOCK ms STREAMS key... id...} for the group's streams. */
    private void send(Group g) throws IOException {
        if (g.connection == null) {
            try {
                g.connection = connect(g.slot);
            } catch (RuntimeException e) {
                failed(g, e);
                return;
            }
        }
        if (consumer != null) {
            sendGroupRead(g);
            return;
        }
        if (sendWindow(g)) {
            return;
        }
        List<XReadArgs.StreamOffset<byte[]>> offsets = new ArrayList<>(g.cursors.size());
        for (Cursor c : g.cursors.values()) {
            offsets.add(XReadArgs.StreamOffset.from(c.key, c.last.toString()));
        }
        g.xread =
                g.connection
                        .async()
                        .xread(XReadArgs.Builder.count(count).block(blockMillis), array(offsets));
    }

    /**
     * Catching up with a backlog: a stream read alone on its connection (no consumer group) whose
     * XREAD came back full asks for {@code XINFO STREAM} with its next XREAD; from its {@code
     * length}, {@code recorded-first-entry-id} and {@code last-generated-id}, the rest of the
     * stream is planned as {@linkplain RedisTimeWindows time windows} of about one XREAD's entries
     * each, read with {@code XRANGE key <from> <to> COUNT n}, {@link RedisTimeWindows#IN_FLIGHT} at
     * once on the connection, instead of one XREAD after the other. A window whose reply was full
     * is read on from its last entry; the last window reaches to the end of the stream ({@code +});
     * when it came back not full, the read goes on with XREAD.
     *
     * @return whether the group's next read is a window's XRANGE ({@link Group#xread})
     */
    private boolean sendWindow(Group g) {
        Cursor c = g.cursors.size() == 1 ? g.cursors.values().iterator().next() : null;
        if (c == null || (!g.ahead.isEmpty() && g.ahead.peek().cursor != c)) {
            endWindows(g);
            return false;
        }
        if (g.windowLeftTo >= 0) {
            g.xread = sendXrange(g, c, "(" + c.last, g.windowLeftTo);
            g.xreadWindowTo = g.windowLeftTo;
            g.windowLeftTo = -1;
        } else if (!g.ahead.isEmpty()) {
            WindowRead w = g.ahead.poll();
            g.xread = w.reply();
            g.xreadWindowTo = w.to();
        } else if (c.windows != null && c.windows.hasNext()) {
            // the first window starts right after the last entry read
            RedisTimeWindows.Window w = c.windows.next();
            g.xread = sendXrange(g, c, "(" + c.last, w.to());
            g.xreadWindowTo = w.to();
        } else {
            c.windows = null;
            g.xreadWindowTo = -1;
            return false;
        }
        while (c.windows != null
                && c.windows.hasNext()
                && g.ahead.size() < RedisTimeWindows.IN_FLIGHT - 1) {
            RedisTimeWindows.Window w = c.windows.next();
            g.ahead.add(
                    new WindowRead(c, w.to(), sendXrange(g, c, Long.toString(w.from()), w.to())));
        }
        return true;
    }

    /** {@code XRANGE key <start> <to> COUNT n}, {@code to} in ms ({@code +} for the end). */
    private RedisFuture<List<StreamMessage<byte[], byte[]>>> sendXrange(
            Group g, Cursor c, String start, long to) {
        return RedisStreamRangeOutput.send(
                g.connection.async(),
                c.key,
                start,
                to == Long.MAX_VALUE ? "+" : Long.toString(to),
                RedisTimeWindows.maxEntries(count));
    }

    /** Stops reading in windows: what is in flight is dropped, XREAD goes on after the last. */
    private static void endWindows(Group g) {
        for (Cursor c : g.cursors.values()) {
            c.windows = null;
            c.plan = null;
        }
        g.ahead.clear();
        g.windowLeftTo = -1;
        g.xreadWindowTo = -1;
    }

    /**
     * After a reply of {@code n} entries for the group's one stream: a full XREAD asks for {@code
     * XINFO STREAM} to plan windows (see {@link #sendWindow}), which are planned once it came back
     * with the next full XREAD; a full window is read on from its last entry.
     */
    private void planWindows(Group g, int n) {
        Cursor c = g.cursors.size() == 1 ? g.cursors.values().iterator().next() : null;
        if (consumer != null || c == null) {
            return;
        }
        if (g.xreadWindowTo >= 0) {
            if (n >= RedisTimeWindows.maxEntries(count)) {
                g.windowLeftTo = g.xreadWindowTo;
            }
            g.xreadWindowTo = -1;
            return;
        }
        if (n < count || c.windows != null) {
            c.plan = null;
            return;
        }
        if (c.plan == null) {
            c.plan = g.connection.async().xinfoStream(c.key);
            return;
        }
        List<Object> info = replyOrNull(c.plan);
        c.plan = null;
        if (info == null) {
            return; // failed (the next full XREAD asks again)
        }
        RedisStreamEntryId first = infoId(info, "recorded-first-entry-id");
        RedisStreamEntryId lastGenerated = infoId(info, "last-generated-id");
        long length = infoLong(info, "length");
        c.windows =
                RedisTimeWindows.plan(
                        c.last.millis(),
                        Long.MAX_VALUE,
                        first == null || lastGenerated == null ? -1 : length,
                        first == null ? 0 : first.millis(),
                        lastGenerated == null ? 0 : lastGenerated.millis(),
                        count);
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
    private void sendGroupRead(Group g) {
        List<Cursor> pending = new ArrayList<>();
        for (Cursor c : g.cursors.values()) {
            if (c.readingPending) {
                pending.add(c);
            }
        }
        List<XReadArgs.StreamOffset<byte[]>> offsets = new ArrayList<>();
        XReadArgs args = XReadArgs.Builder.count(count);
        if (!pending.isEmpty()) {
            for (Cursor c : pending) {
                offsets.add(XReadArgs.StreamOffset.from(c.key, c.pendingFrom.toString()));
            }
            g.pendingRead = pending;
        } else {
            for (Cursor c : g.cursors.values()) {
                offsets.add(XReadArgs.StreamOffset.lastConsumed(c.key));
            }
            args.block(blockMillis);
            g.pendingRead = null;
        }
        g.xread = g.connection.async().xreadgroup(groupConsumer, args, array(offsets));
    }

    /**
     * The connection acknowledgements and checks go on: not a group's, where they would wait behind
     * its blocking XREAD, but the cluster connection (routed by key) or a second connection to the
     * server.
     */
    private RedisClusterAsyncCommands<byte[], byte[]> controlCommands() {
        if (cluster) {
            return topology().async();
        }
        if (controlConnection == null) {
            controlConnection = RedisClientFactory.connect(config);
        }
        return controlConnection.async();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Acknowledges ({@code XACK key group id...}) the entries emitted up to the positions of the
     * checkpoints completed since the last fetch, and the pending entries found emitted already. An
     * acknowledgement that fails is logged: the entry stays pending in Redis, and is read again
     * (and skipped, as emitted before) after a restore.
     */
    private void acknowledge() {
        Map<String, RedisStreamAcks.Checkpointed> completed;
        while ((completed = acks.poll()) != null) {
            for (Map.Entry<String, RedisStreamAcks.Checkpointed> e : completed.entrySet()) {
                Cursor c = cursors.get(e.getKey());
                if (c == null) {
                    continue;
                }
                RedisStreamEntryId upTo = e.getValue().lastEmitted();
                while (!c.unacked.isEmpty() && c.unacked.peekFirst().compareTo(upTo) <= 0) {
                    c.ackNow.add(c.unacked.pollFirst().toString());
                }
                c.claimedUnacked.removeAll(e.getValue().claimed());
                c.ackClaimed.addAll(e.getValue().claimed());
            }
        }
        for (Cursor c : cursors.values()) {
            if (!c.ackNow.isEmpty()) {
                xack(c, c.ackNow.toArray(new String[0]), null);
                c.ackNow.clear();
            }
            if (!c.ackClaimed.isEmpty()) {
                List<RedisStreamEntryId> claimed = List.copyOf(c.ackClaimed);
                c.ackClaimed.clear();
                String[] ids = new String[claimed.size()];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = claimed.get(i).toString();
                }
                xack(c, ids, () -> acks.acknowledged(c.splitId, claimed));
            }
        }
    }

    /**
     * {@code XACK key group id...} on the control connection; then {@code done}, if Redis answered.
     * A failed acknowledgement is logged: the entries stay pending, and are read again (and
     * skipped, as emitted before) after a restore.
     */
    private void xack(Cursor c, String[] ids, @Nullable Runnable done) {
        controlCommands()
                .xack(c.key, groupConsumer.getGroup(), ids)
                .whenComplete(
                        (n, error) -> {
                            if (error != null) {
                                LOG.warn(
                                        "XACK of {} entries of stream {} in group {}"
                                                + " failed; they stay pending",
                                        ids.length,
                                        c.name,
                                        consumer.group(),
                                        error);
                            } else if (done != null) {
                                done.run();
                            }
                        });
    }

    /** A connection to the standalone server, or to the cluster primary serving {@code slot}. */
    private RedisNodeConnection connect(int slot) {
        if (slot < 0) {
            return RedisClientFactory.connect(config);
        }
        return RedisClientFactory.connectNode(
                config, topology().primaryServing(slot, config.endpoint()));
    }

    /** The cluster connection: the topology, and commands routed by key. */
    private RedisClusterAccess topology() {
        if (topology == null) {
            topology = RedisClientFactory.connectCluster(config);
        }
        return topology;
    }

    private void collect(Group g, RecordsBySplits.Builder<RedisStreamRecord> records)
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
        g.pause = 50;
        if (reply == null) {
            return; // BLOCK timed out
        }
        List<Cursor> pendingRead = g.pendingRead;
        g.pendingRead = null;
        Set<Cursor> withPending = new HashSet<>();
        Map<Cursor, List<String>> pendingLost = null;
        byte[] stream = null;
        Cursor c = null;
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
                if (id.compareTo(c.last) <= 0 || isDeleted(message)) {
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
            records.add(c.splitId, record(c, message, id, false));
            if (c.stop != null && id.compareTo(c.stop) >= 0) {
                finish(g, c);
                c = null;
            }
        }
        if (pendingRead != null) {
            for (Cursor p : pendingRead) {
                // no pending entry after the last one fetched: read new entries from now on
                p.readingPending = withPending.contains(p);
            }
        }
        if (pendingLost != null) {
            for (Map.Entry<Cursor, List<String>> e : pendingLost.entrySet()) {
                List<String> ids = e.getValue().subList(1, e.getValue().size());
                lost(
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
        planWindows(g, reply.size());
    }

    /**
     * Whether a pending entry that XREADGROUP or XCLAIM returned is no longer in the stream: Redis
     * answers its ID with a nil body, which Lettuce gives as an empty one (an entry has at least
     * one field).
     */
    private static boolean isDeleted(StreamMessage<byte[], byte[]> message) {
        return message.getBody() == null || message.getBody().isEmpty();
    }

    /** The record of entry {@code id} of stream {@code c}: the requested fields, or all. */
    private RedisStreamRecord record(
            Cursor c,
            StreamMessage<byte[], byte[]> message,
            RedisStreamEntryId id,
            boolean claimed) {
        return new RedisStreamRecord(
                RedisStreamEntries.record(c.key, RedisRecord.TTL_NOT_FETCHED, message, fields),
                id,
                claimed);
    }

    private void finish(Group g, Cursor c) {
        g.cursors.remove(ByteBuffer.wrap(c.key));
        cursors.remove(c.splitId);
        metrics.removed(c.splitId);
        finished.add(c.splitId);
    }

    /**
     * A group's XREAD or connect failed: close its connection and retry after a pause, or give up
     * once it has failed for longer than the reconnect window.
     */
    private void failed(Group g, Throwable cause) throws IOException {
        g.pendingRead = null;
        endWindows(g);
        for (Cursor c : g.cursors.values()) {
            // entries delivered to the consumer in a reply that was lost are pending in Redis
            c.readingPending = true;
            c.pendingFrom = c.last;
        }
        if (g.connection != null) {
            g.connection.close();
            g.connection = null;
        }
        long now = System.currentTimeMillis();
        if (g.failingSince < 0) {
            g.failingSince = now;
        }
        if (now - g.failingSince > reconnectWindowMillis) {
            throw new IOException(
                    String.format(
                            "Reading streams %s at %s failed for %d ms: %s",
                            streamNames(g), config.endpoint(), now - g.failingSince, cause),
                    cause);
        }
        if (cluster && topology != null) {
            topology.refreshTopology();
        }
        LOG.warn(
                "XREAD of streams {} at {} failed; reconnecting in {} ms: {}",
                streamNames(g),
                config.endpoint(),
                g.pause,
                cause.toString());
        g.retryAt = now + g.pause;
        g.pause = Math.min(MAX_PAUSE_MILLIS, g.pause * 2);
    }

    private static List<String> streamNames(Group g) {
        List<String> names = new ArrayList<>();
        for (Cursor c : g.cursors.values()) {
            names.add(c.splitId);
        }
        return names;
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
            Cursor c = new Cursor(split, cluster ? SlotHash.getSlot(key) : -1, metrics);
            checkTrimmed(c, split.isResumed());
            cursors.put(c.splitId, c);
            groups.computeIfAbsent(c.slot, Group::new).cursors.put(ByteBuffer.wrap(key), c);
        }
    }

    /**
     * Whether entries after the position a stream's read goes on from were deleted before they were
     * read, by {@code XINFO STREAM} (Redis 7.0 and later): its {@code max-deleted-entry-id} above
     * the position (entries removed with XDEL), or, for a position restored from a checkpoint, its
     * {@code first-entry} above it (the stream was trimmed past the last entry emitted, with MAXLEN
     * or XTRIM, so entries after it may be gone unread). Then, by {@code
     * scan.stream.trimmed-policy}, fails, or warns, counts the gap ({@code numStreamGaps}) and goes
     * on with the oldest entry left. Not for a read from the first entry, nor for a consumer group,
     * whose position Redis keeps.
     */
    private void checkTrimmed(Cursor c, boolean resumed) {
        if (consumer != null) {
            checkGroupTrimmed(c);
            return;
        }
        if (c.last.equals(RedisStreamEntryId.MIN)) {
            return;
        }
        List<Object> info;
        try {
            info =
                    controlCommands()
                            .xinfoStream(c.key)
                            .get(config.getCommandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // no such key (yet), or a server before 7.0: nothing to compare with
            LOG.debug("XINFO STREAM {} for the gap check: {}", c.name, e.toString());
            return;
        }
        RedisStreamEntryId deleted = infoId(info, "max-deleted-entry-id");
        RedisStreamEntryId first = infoId(info, "recorded-first-entry-id");
        String gap;
        if (deleted != null && deleted.compareTo(c.last) > 0) {
            gap =
                    String.format(
                            "entries up to %s were deleted (XDEL) before they were read", deleted);
        } else if (resumed && first != null && first.compareTo(c.last) > 0) {
            gap =
                    String.format(
                            "the stream was trimmed (MAXLEN, XTRIM) past it: its first entry is"
                                    + " now %s",
                            first);
        } else {
            return;
        }
        lost(
                String.format(
                        "Stream '%s' (%s) lost entries after %s, where the read goes on: %s",
                        c.name, config.endpoint(), c.last, gap));
    }

    /** Consumer groups: the gap check ({@link #sendGroupGapCheck}) when a stream's read starts. */
    private void checkGroupTrimmed(Cursor c) {
        List<Object> reply;
        try {
            reply =
                    sendGroupGapCheck(c)
                            .get(config.getCommandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // no such key (yet), a server before 7.0, a user without EVAL: nothing to check
            LOG.debug("The group gap check of stream {}: {}", c.name, e.toString());
            return;
        }
        groupGap(c, reply);
    }

    /**
     * A gap: counted in {@code numStreamGaps}; by {@code scan.stream.trimmed-policy}, fails the
     * read or warns.
     */
    private void lost(String message) {
        metrics.gaps().inc();
        if (trimmedPolicy == StreamTrimmedPolicy.FAIL) {
            throw new FlinkRuntimeException(
                    message
                            + ". Set 'scan.stream.trimmed-policy' = 'continue' to go on with the"
                            + " oldest entry left.");
        }
        LOG.warn("{}; going on with the oldest entry left", message);
    }

    /**
     * About once a second: takes in the XINFO replies of the last round into the streams' gauges
     * and sends the next round, on the control connection: {@code XINFO GROUPS key} with a consumer
     * group, else {@code XINFO STREAM key}. A failed XINFO leaves the gauges as they were.
     */
    private void refreshGauges() {
        long now = System.currentTimeMillis();
        if (now < nextInfoAt || cursors.isEmpty()) {
            return;
        }
        nextInfoAt = now + GAUGE_INTERVAL_MILLIS;
        for (Cursor c : cursors.values()) {
            if (c.info != null) {
                if (!c.info.isDone() || (c.gapCheck != null && !c.gapCheck.isDone())) {
                    continue;
                }
                List<Object> reply = replyOrNull(c.info);
                if (consumer != null) {
                    groupGap(c, replyOrNull(c.gapCheck));
                }
                if (reply != null) {
                    if (consumer != null) {
                        List<?> group = ourGroup(reply);
                        if (group != null) {
                            c.gauges.lag = infoLong(group, "lag");
                            c.gauges.pending = infoLong(group, "pending");
                        }
                    } else {
                        streamGauges(c, reply);
                    }
                }
            }
            c.infoLast = c.last;
            c.infoFetched = c.fetched;
            c.info =
                    consumer != null
                            ? controlCommands().xinfoGroups(c.key)
                            : controlCommands().xinfoStream(c.key);
            if (consumer != null) {
                c.gapCheck = sendGroupGapCheck(c);
            }
        }
    }

    /**
     * The reply of a command that has completed, or null if it failed (no such key, a dropped
     * connection, a timeout) or has not completed; logged at debug level.
     */
    @Nullable
    private static <T> T replyOrNull(@Nullable RedisFuture<T> command) {
        if (command == null || !command.isDone()) {
            return null;
        }
        try {
            return command.get();
        } catch (ExecutionException e) {
            LOG.debug("A stream's XINFO failed; its gauges or checks wait for the next round", e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** This source's group in an {@code XINFO GROUPS} reply, or null. */
    @Nullable
    private List<?> ourGroup(List<Object> groupsReply) {
        for (Object g : groupsReply) {
            if (g instanceof List<?> info
                    && consumer.group()
                            .equals(RedisReplies.text(RedisReplies.field(info, "name")))) {
                return info;
            }
        }
        return null;
    }

    /**
     * Consumer groups: finds the entries trimmed or deleted before the group read them, and counts
     * them as read, in one script (atomic, Redis 7.0 and later). From {@code XINFO STREAM} ({@code
     * entries-added}, {@code length}, {@code recorded-first-entry-id}, {@code last-generated-id})
     * and the group's {@code XINFO GROUPS} entry ({@code entries-read}, {@code last-delivered-id}):
     * the entries added after the group's last read one number {@code entries-added -
     * entries-read}; when the group has read the stream's last entry none of them is in the stream,
     * and when its position is before the stream's first entry all {@code length} entries are; the
     * rest were lost to the group. Those it then counts as read with {@code XGROUP SETID key group
     * <last-delivered-id> ENTRIESREAD <n>} (the position stays), so that each gap is found once, by
     * one of the group's readers, and the group's {@code lag} is right again. Returns {@code [lost,
     * last-delivered-id]}, or {@code [-1]} where it cannot tell (no such stream or group, {@code
     * entries-read} unknown, the group between the stream's first and last entries).
     */
    private static final String GROUP_GAP_SCRIPT =
            "local function field(t, name)\n"
                    + "  for i = 1, #t, 2 do if t[i] == name then return t[i + 1] end end\n"
                    + "  return nil\n"
                    + "end\n"
                    + "local function less(a, b)\n"
                    + "  local am, as = string.match(a, '^(%d+)-(%d+)$')\n"
                    + "  local bm, bs = string.match(b, '^(%d+)-(%d+)$')\n"
                    + "  if #am ~= #bm then return #am < #bm end\n"
                    + "  if am ~= bm then return am < bm end\n"
                    + "  if #as ~= #bs then return #as < #bs end\n"
                    + "  return as < bs\n"
                    + "end\n"
                    + "local stream = redis.call('XINFO', 'STREAM', KEYS[1])\n"
                    + "local added = field(stream, 'entries-added')\n"
                    + "local length = field(stream, 'length')\n"
                    + "local first = field(stream, 'recorded-first-entry-id')\n"
                    + "local generated = field(stream, 'last-generated-id')\n"
                    + "if not added or not first or not generated then return {-1} end\n"
                    + "local group = nil\n"
                    + "for _, g in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do\n"
                    + "  if field(g, 'name') == ARGV[1] then group = g end\n"
                    + "end\n"
                    + "if not group then return {-1} end\n"
                    + "local read = field(group, 'entries-read')\n"
                    + "local delivered = field(group, 'last-delivered-id')\n"
                    + "if type(read) ~= 'number' or not delivered then return {-1} end\n"
                    + "local left\n"
                    + "if delivered == generated or length == 0 then left = 0\n"
                    + "elseif less(delivered, first) then left = length\n"
                    + "else return {-1} end\n"
                    + "local lost = added - read - left\n"
                    + "if lost > 0 then\n"
                    + "  redis.call('XGROUP', 'SETID', KEYS[1], ARGV[1], delivered,"
                    + " 'ENTRIESREAD', added - left)\n"
                    + "end\n"
                    + "return {lost, delivered}\n";

    /** Sends {@link #GROUP_GAP_SCRIPT} for stream {@code c} on the control connection. */
    private RedisFuture<List<Object>> sendGroupGapCheck(Cursor c) {
        return controlCommands()
                .eval(
                        GROUP_GAP_SCRIPT,
                        ScriptOutputType.MULTI,
                        new byte[][] {c.key},
                        bytes(consumer.group()));
    }

    /** A gap, by {@code scan.stream.trimmed-policy}, if the group gap check found one. */
    private void groupGap(Cursor c, @Nullable List<Object> reply) {
        if (reply == null || reply.size() < 2 || !(reply.get(0) instanceof Long lostEntries)) {
            return;
        }
        if (lostEntries > 0) {
            lost(
                    String.format(
                            "Stream '%s' (%s) lost %d entries that group '%s' never read: they"
                                    + " were trimmed (MAXLEN, XTRIM) or deleted (XDEL) before it"
                                    + " reached them; the group has read up to %s",
                            c.name,
                            config.endpoint(),
                            lostEntries,
                            consumer.group(),
                            RedisReplies.text(reply.get(1))));
        }
    }

    /**
     * The lag from an {@code XINFO STREAM} reply (Redis 7.0+, which counts {@code entries-added}):
     * once the number of entries up to the one read is known, the lag is the entries added since.
     * It is known when the read had read the stream's {@code last-generated-id} as the XINFO was
     * sent, or had read nothing yet (the entries trimmed or deleted before count as read).
     *
     * <p>At such a moment, a running read also checks that it read every entry added since the last
     * one: fewer means entries were trimmed (MAXLEN, XTRIM) or deleted (XDEL) before the read
     * reached them, a gap handled by {@code scan.stream.trimmed-policy} (see {@link #lost}). A read
     * that never catches up with the stream is not checked.
     */
    private void streamGauges(Cursor c, List<Object> info) {
        long added = infoLong(info, "entries-added");
        RedisStreamEntryId lastGenerated = infoId(info, "last-generated-id");
        if (added < 0 || lastGenerated == null) {
            return;
        }
        if (c.infoLast.compareTo(lastGenerated) >= 0) {
            long missed =
                    c.anchorAdded < 0
                            ? 0
                            : (added - c.anchorAdded) - (c.infoFetched - c.anchorFetched);
            RedisStreamEntryId since = c.anchorLast;
            c.anchorAdded = added;
            c.anchorFetched = c.infoFetched;
            c.anchorLast = c.infoLast;
            if (missed > 0) {
                c.gauges.lag = 0;
                lost(
                        String.format(
                                "Stream '%s' (%s) lost %d entries added after %s: they were"
                                        + " trimmed (MAXLEN, XTRIM) or deleted (XDEL) before the"
                                        + " read reached them; it read up to %s",
                                c.name, config.endpoint(), missed, since, c.infoLast));
            }
        } else if (c.anchorAdded < 0
                && c.infoFetched == 0
                && c.infoLast.equals(RedisStreamEntryId.MIN)) {
            c.anchorAdded = added - Math.max(0, infoLong(info, "length"));
            c.anchorFetched = 0;
            c.anchorLast = RedisStreamEntryId.MIN;
        }
        if (c.anchorAdded >= 0) {
            c.gauges.lag = Math.max(0, added - c.anchorAdded - (c.infoFetched - c.anchorFetched));
        }
    }

    /** The number named {@code name} in an XINFO reply, or -1 if absent or null. */
    private static long infoLong(List<?> info, String name) {
        Object v = RedisReplies.field(info, name);
        if (v instanceof Number n) {
            return n.longValue();
        }
        try {
            return v == null ? -1 : Long.parseLong(RedisReplies.text(v));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The entry ID named {@code name} in an {@code XINFO STREAM} reply, or null. */
    @Nullable
    private static RedisStreamEntryId infoId(List<?> info, String name) {
        Object v = RedisReplies.field(info, name);
        return v == null ? null : RedisStreamEntryId.parse(RedisReplies.text(v));
    }

    @Override
    public void wakeUp() {
        wakeUp.complete(null);
    }

    @Override
    public void close() {
        for (Group g : groups.values()) {
            if (g.connection != null) {
                g.connection.close();
                g.connection = null;
            }
        }
        if (topology != null) {
            topology.close();
            topology = null;
        }
        if (controlConnection != null) {
            controlConnection.close();
            controlConnection = null;
        }
        if (!released) {
            released = true;
            SharedClientResources.release();
        }
    }
}
