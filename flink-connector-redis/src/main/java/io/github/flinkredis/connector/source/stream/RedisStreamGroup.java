package io.github.flinkredis.connector.source.stream;

import io.github.flinkredis.connector.client.RedisPipeline;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;

/** The streams of one hash slot, their pipeline and their XREAD in flight. */
final class RedisStreamGroup {
    final int slot;
    final Map<ByteBuffer, RedisStreamCursor> cursors = new LinkedHashMap<>();

    /** The group's own connection (its reads block), or null while it is down. */
    @Nullable RedisPipeline connection;

    @Nullable RedisFuture<List<StreamMessage<byte[], byte[]>>> xread;

    /** Consumer groups: whether {@link #xread} reads pending entries, and of which streams. */
    @Nullable List<RedisStreamCursor> pendingRead;

    /** When {@link #xread} is the XRANGE of a window: the window's last millisecond, else -1. */
    long xreadWindowTo = -1;

    /** A window whose reply was full: its last millisecond (read on from the last entry). */
    long windowLeftTo = -1;

    /** The XRANGE of windows asked for after {@link #xread}, oldest first. */
    final ArrayDeque<WindowRead> ahead = new ArrayDeque<>();

    /** When the group's reads began to fail ({@link System#nanoTime()}), or -1 while they work. */
    long failingSince = -1;

    /** Reconnections since the reads began to fail (the {@link RedisRetryPolicy} attempt). */
    int failures;

    /** When the next reconnection is due ({@link System#currentTimeMillis()}). */
    long retryAt;

    RedisStreamGroup(int slot) {
        this.slot = slot;
    }

    /** The group's one stream, or null if it has several. */
    @Nullable
    RedisStreamCursor single() {
        return cursors.size() == 1 ? cursors.values().iterator().next() : null;
    }

    /** The split IDs of the group's streams, for messages. */
    List<String> streamNames() {
        List<String> names = new ArrayList<>();
        for (RedisStreamCursor c : cursors.values()) {
            names.add(c.splitId);
        }
        return names;
    }

    /** The XRANGE of one window, sent, of one stream. */
    record WindowRead(
            RedisStreamCursor cursor,
            long to,
            RedisFuture<List<StreamMessage<byte[], byte[]>>> reply) {}
}
