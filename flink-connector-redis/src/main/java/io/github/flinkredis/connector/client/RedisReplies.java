package io.github.flinkredis.connector.client;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;

/**
 * Reading the untyped replies Lettuce gives for commands without an API of their own (ROLE, XINFO,
 * TS.INFO, ...): elements are {@code byte[]} (bulk strings with the byte-array codec), {@code
 * ByteBuffer}, numbers or nested lists.
 */
@Internal
public final class RedisReplies {

    private RedisReplies() {}

    /** An element as text: bytes decoded as UTF-8, anything else by {@link String#valueOf}. */
    public static String text(@Nullable Object value) {
        if (value instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        if (value instanceof ByteBuffer b) {
            return StandardCharsets.UTF_8.decode(b.duplicate()).toString();
        }
        return String.valueOf(value);
    }

    /**
     * The value after the element {@code name} in a flat {@code name, value, ...} reply (RESP2's
     * arrays of pairs, and RESP3 maps as Lettuce's output flattens them), or null if absent.
     */
    @Nullable
    public static Object field(List<?> reply, String name) {
        for (int i = 0; i + 1 < reply.size(); i += 2) {
            if (name.equals(text(reply.get(i)))) {
                return reply.get(i + 1);
            }
        }
        return null;
    }
}
