package io.github.flinkredis.connector.types.spi;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;

/**
 * One page of a key's members asked for: the commands sent (one or two per page, such as {@code
 * ZCOUNT} and {@code ZRANGE}, or {@code TS.RANGE} and {@code TS.INFO}), and, once their replies
 * arrived, the {@link RedisMemberPage} they make. Each data type has its own kind; one is used for
 * one page, by one thread.
 */
@Internal
public abstract class RedisMemberFetch {

    private final RedisMemberRead read;
    private final byte[] key;
    private final String cursor;
    private final int skip;

    /**
     * @param read the read that sent this page (it sends the next one)
     * @param cursor the position of the page (see {@link RedisMemberRead})
     * @param skip the members of the page at {@code cursor} skipped
     */
    protected RedisMemberFetch(RedisMemberRead read, byte[] key, String cursor, int skip) {
        this.read = read;
        this.key = key;
        this.cursor = cursor;
        this.skip = skip;
    }

    /** The key whose members these are. */
    public final byte[] key() {
        return key;
    }

    /** The cursor this page was asked for at. */
    public final String cursor() {
        return cursor;
    }

    /** The members of the page at {@link #cursor()} skipped. */
    public final int skip() {
        return skip;
    }

    /**
     * Adds the futures of the commands sent (none when nothing needed to be read) to {@code all}.
     */
    public abstract void addFuturesTo(List<RedisFuture<?>> all);

    /** The futures of the commands sent. */
    public final List<RedisFuture<?>> futures() {
        List<RedisFuture<?>> all = new ArrayList<>(2);
        addFuturesTo(all);
        return all;
    }

    /**
     * The page the replies make, once they all arrived; its records are built when asked for.
     *
     * @param ttl the key's remaining time to live in ms, or {@code RedisRecord.TTL_NOT_FETCHED}
     * @return the page; null when a reply says the key's type changed (see {@link
     *     RedisMemberReplies#get}): what was read of the key is all it has
     * @throws IOException for a failed command or a reply of another shape than the command's
     */
    @Nullable
    public abstract RedisMemberPage receive(RedisMemberReplies replies, long ttl)
            throws IOException;

    /**
     * Sends the commands of the key's page after {@code page}, the page this fetch received, which
     * is not the key's last. By default, the page at {@link RedisMemberPage#nextCursor()}; a type
     * may ask for more pages ahead at once (the time windows of a series).
     *
     * @param most the most members the caller still wants after {@code page}, or -1
     * @throws IOException for a failed or malformed reply needed to plan the read
     */
    public RedisMemberFetch sendNext(
            RedisClusterAsyncCommands<byte[], byte[]> commands,
            RedisMemberPage page,
            long most,
            RedisMemberReplies replies)
            throws IOException {
        return read.send(commands, key, page.nextCursor(), 0, most);
    }

    /**
     * Takes over what {@code moved}, a fetch of the same page sent to a node that no longer serves
     * the key, planned for the pages after it; this fetch is that page sent again. Nothing by
     * default.
     */
    public void continueFrom(RedisMemberFetch moved) {}
}
