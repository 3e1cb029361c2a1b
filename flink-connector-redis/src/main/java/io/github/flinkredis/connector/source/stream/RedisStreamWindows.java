package io.github.flinkredis.connector.source.stream;

import static io.github.flinkredis.connector.source.stream.RedisStreamInfo.infoId;
import static io.github.flinkredis.connector.source.stream.RedisStreamInfo.infoLong;
import static io.github.flinkredis.connector.source.stream.RedisStreamInfo.replyOrNull;

import io.github.flinkredis.connector.model.RedisStreamEntryId;
import io.github.flinkredis.connector.model.RedisTimeWindows;
import io.github.flinkredis.connector.source.stream.RedisStreamGroup.WindowRead;
import io.github.flinkredis.connector.types.stream.RedisStreamRangeOutput;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import java.util.List;

/**
 * Catching up with a backlog: a stream read alone on its connection (no consumer group) whose XREAD
 * came back full asks for {@code XINFO STREAM} with its next XREAD; from its {@code length}, {@code
 * recorded-first-entry-id} and {@code last-generated-id}, the rest of the stream is planned as
 * {@linkplain RedisTimeWindows time windows} of about one XREAD's entries each, read with {@code
 * XRANGE key <from> <to> COUNT n}, {@link RedisTimeWindows#IN_FLIGHT} at once on the connection,
 * instead of one XREAD after the other. A window whose reply was full is read on from its last
 * entry; the last window reaches to the end of the stream ({@code +}); when it came back not full,
 * the read goes on with XREAD.
 */
final class RedisStreamWindows {

    private final int count;

    /** Whether the streams are read with a consumer group (then never in windows). */
    private final boolean consumerGroup;

    RedisStreamWindows(int count, boolean consumerGroup) {
        this.count = count;
        this.consumerGroup = consumerGroup;
    }

    /**
     * Sends the group's next read if it is a window's XRANGE ({@link RedisStreamGroup#xread}).
     *
     * @return whether it was
     */
    boolean sendWindow(RedisStreamGroup g) {
        RedisStreamCursor c = g.single();
        if (c == null || (!g.ahead.isEmpty() && g.ahead.peek().cursor() != c)) {
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
            RedisStreamGroup g, RedisStreamCursor c, String start, long to) {
        return RedisStreamRangeOutput.send(
                g.connection.commands(),
                c.key,
                start,
                to == Long.MAX_VALUE ? "+" : Long.toString(to),
                RedisTimeWindows.maxEntries(count));
    }

    /** Stops reading in windows: what is in flight is dropped, XREAD goes on after the last. */
    static void endWindows(RedisStreamGroup g) {
        for (RedisStreamCursor c : g.cursors.values()) {
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
    void planWindows(RedisStreamGroup g, int n) {
        RedisStreamCursor c = g.single();
        if (consumerGroup || c == null) {
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
            c.plan = g.connection.commands().xinfoStream(c.key);
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
}
