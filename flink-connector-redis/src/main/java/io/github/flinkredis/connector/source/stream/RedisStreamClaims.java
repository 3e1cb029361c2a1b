package io.github.flinkredis.connector.source.stream;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.model.RedisStreamConsumer;
import io.github.flinkredis.connector.model.RedisStreamEntryId;
import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.XPendingArgs;
import io.lettuce.core.models.stream.PendingMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.annotation.Nullable;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claiming the entries other consumers of the group left pending ({@code
 * scan.stream.claim-min-idle}): rounds of {@code XPENDING} and {@code XCLAIM} on the control
 * connection, one per claim interval (at once again while a stream has more pending entries than a
 * page).
 */
final class RedisStreamClaims {

    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamSplitReader.class);

    private final RedisConnectionConfig config;
    private final RedisStreamConnections connections;
    private final RedisStreamConsumer consumer;
    private final RedisStreamMetrics metrics;
    private final int count;
    @Nullable private final byte[][] fields;

    /** The group and this source's consumer. */
    private final Consumer<byte[]> groupConsumer;

    /** The consumer owning claimed entries. */
    private final Consumer<byte[]> claimConsumer;

    /** The idle time after which other consumers' entries are claimed, in ms. */
    private final long claimMinIdleMillis;

    /** When the next round of XPENDING and XCLAIM goes out (epoch ms). */
    private long nextClaimAt;

    RedisStreamClaims(
            RedisConnectionConfig config,
            RedisStreamConnections connections,
            RedisStreamConsumer consumer,
            RedisStreamMetrics metrics,
            int count,
            @Nullable byte[][] fields,
            Consumer<byte[]> groupConsumer,
            Consumer<byte[]> claimConsumer,
            long claimMinIdleMillis) {
        this.config = config;
        this.connections = connections;
        this.consumer = consumer;
        this.metrics = metrics;
        this.count = count;
        this.fields = fields;
        this.groupConsumer = groupConsumer;
        this.claimConsumer = claimConsumer;
        this.claimMinIdleMillis = claimMinIdleMillis;
    }

    /** When the next round goes out (epoch ms). */
    long nextClaimAt() {
        return nextClaimAt;
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
    boolean claim(
            Map<String, RedisStreamCursor> cursors,
            RecordsBySplits.Builder<RedisStreamRecord> records)
            throws IOException {
        boolean more = false;
        boolean claimedAny = false;
        for (RedisStreamCursor c : cursors.values()) {
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
            List<PendingMessage> pending =
                    control(connections.controlCommands().xpending(c.key, args), c);
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
            claimedAny |= claimEntries(c, ids, minIdle, records);
        }
        nextClaimAt = System.currentTimeMillis() + (more ? 0 : claimMinIdleMillis);
        return claimedAny;
    }

    /**
     * {@code XCLAIM key group <consumer>-claimed ms id...}: the entries claimed are added to {@code
     * records}; those deleted while pending are acknowledged instead.
     *
     * @return whether entries were claimed
     */
    private boolean claimEntries(
            RedisStreamCursor c,
            List<String> ids,
            long minIdle,
            RecordsBySplits.Builder<RedisStreamRecord> records)
            throws IOException {
        List<StreamMessage<byte[], byte[]>> messages =
                control(
                        connections
                                .controlCommands()
                                .xclaim(
                                        c.key,
                                        claimConsumer,
                                        XClaimArgs.Builder.minIdleTime(minIdle),
                                        ids.toArray(new String[0])),
                        c);
        if (messages == null) {
            return false;
        }
        boolean claimedAny = false;
        for (StreamMessage<byte[], byte[]> message : messages) {
            if (message == null || message.getId() == null) {
                continue;
            }
            RedisStreamEntryId id = RedisStreamEntryId.parse(message.getId());
            if (RedisStreamCursor.isDeleted(message)) {
                c.ackNow.add(message.getId()); // deleted while pending (Redis before 7.0)
                continue;
            }
            c.claimedUnacked.add(id);
            claimedAny = true;
            metrics.claims().inc();
            records.add(c.splitId, c.record(message, id, true, fields));
        }
        return claimedAny;
    }

    /**
     * The reply of a command on the control connection about stream {@code c}, or null (logged) if
     * it failed or timed out.
     */
    @Nullable
    private <V> V control(RedisFuture<V> command, RedisStreamCursor c) throws IOException {
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
}
