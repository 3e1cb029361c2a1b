package io.github.flinkredis.connector.source.stream;

import io.github.flinkredis.connector.model.RedisStreamConsumer;
import io.github.flinkredis.connector.model.RedisStreamEntryId;
import io.lettuce.core.Consumer;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The acknowledgements of a {@link RedisStreamSplitReader} reading with a consumer group: {@code
 * XACK key group id...} on the control connection for the entries of completed checkpoints, the
 * pending entries found emitted already, and the claimed entries, which the task thread learns of
 * once Redis answered.
 */
final class RedisStreamAcknowledger {

    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamSplitReader.class);

    private final RedisStreamAcks acks;
    private final RedisStreamConnections connections;
    private final RedisStreamConsumer consumer;
    private final Consumer<byte[]> groupConsumer;

    RedisStreamAcknowledger(
            RedisStreamAcks acks,
            RedisStreamConnections connections,
            RedisStreamConsumer consumer,
            Consumer<byte[]> groupConsumer) {
        this.acks = acks;
        this.connections = connections;
        this.consumer = consumer;
        this.groupConsumer = groupConsumer;
    }

    /**
     * Acknowledges ({@code XACK key group id...}) the entries emitted up to the positions of the
     * checkpoints completed since the last fetch, and the pending entries found emitted already. An
     * acknowledgement that fails is logged: the entry stays pending in Redis, and is read again
     * (and skipped, as emitted before) after a restore.
     *
     * @param cursors the streams being read, by split ID
     */
    void acknowledge(Map<String, RedisStreamCursor> cursors) {
        Map<String, RedisStreamAcks.Checkpointed> completed;
        while ((completed = acks.poll()) != null) {
            for (Map.Entry<String, RedisStreamAcks.Checkpointed> e : completed.entrySet()) {
                RedisStreamCursor c = cursors.get(e.getKey());
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
        for (RedisStreamCursor c : cursors.values()) {
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
    private void xack(RedisStreamCursor c, String[] ids, @Nullable Runnable done) {
        connections
                .controlCommands()
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
}
