package io.github.flinkredis.connector.types.spi;

import io.lettuce.core.RedisFuture;
import java.io.IOException;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;

/**
 * How a page's replies are read, as the reader that sent them decides: errors named with the key,
 * the command and the node they came from.
 */
@Internal
public interface RedisMemberReplies {

    /**
     * The reply of a completed command of {@code key}.
     *
     * @return the reply; null when the key's type changed since it was found (a WRONGTYPE error,
     *     counted) or a series was deleted since
     * @throws IOException naming the key, the command and the node for any other error
     */
    @Nullable
    <V> V get(RedisFuture<V> reply, byte[] key, String command) throws IOException;

    /**
     * The failure of a reply of {@code command} for {@code key} that is not what the command
     * answers: its message is {@code "<command> of key '<key>' on Redis node <node> (of
     * <endpoint>)"} followed by {@code detail}.
     */
    IOException malformed(byte[] key, String command, String detail, RuntimeException cause);
}
