package io.github.flinkredis.connector.source.stream;

import io.github.flinkredis.connector.client.RedisReplies;
import io.github.flinkredis.connector.model.RedisStreamEntryId;
import io.lettuce.core.RedisFuture;
import java.util.List;
import java.util.concurrent.ExecutionException;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reading the replies of {@code XINFO STREAM} and {@code XINFO GROUPS}, sent in the background. */
final class RedisStreamInfo {

    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamSplitReader.class);

    private RedisStreamInfo() {}

    /**
     * The reply of a command that has completed, or null if it failed (no such key, a dropped
     * connection, a timeout) or has not completed; logged at debug level.
     */
    @Nullable
    static <T> T replyOrNull(@Nullable RedisFuture<T> command) {
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

    /** The number named {@code name} in an XINFO reply, or -1 if absent or null. */
    static long infoLong(List<?> info, String name) {
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
    static RedisStreamEntryId infoId(List<?> info, String name) {
        Object v = RedisReplies.field(info, name);
        return v == null ? null : RedisStreamEntryId.parse(RedisReplies.text(v));
    }
}
