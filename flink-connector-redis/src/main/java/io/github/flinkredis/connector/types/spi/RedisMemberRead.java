package io.github.flinkredis.connector.types.spi;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.apache.flink.annotation.Internal;

/**
 * The paged read of one key's members (set members, list elements, sorted-set members, stream
 * entries, timeseries samples) for one table, as one data type reads them; built by {@link
 * RedisTypeHandler#memberRead} from the table's read spec. The reader that uses it keeps what is
 * the same for every type: the key being read, its position for checkpoints (a cursor and the
 * number of the cursor's page members already emitted, the skip), the member held back until the
 * next page shows whether it is the key's last, and the LIMIT.
 *
 * <p>A position's cursor means what the type makes of it (an SSCAN cursor, a list index, a rank, an
 * XRANGE start, a time); a key's first page is at {@link RedisMemberPaging#FIRST_CURSOR}. The page
 * at a cursor has the same members whenever it is read again (a restore reads it again and skips
 * what was emitted), as long as the key did not change.
 *
 * <p>Immutable and thread-safe; {@link #send} may be called for many keys at once.
 */
@Internal
public interface RedisMemberRead {

    /**
     * Sends the commands of the page of {@code key} at {@code cursor}, skipping its first {@code
     * skip} members, without flushing them.
     *
     * @param most the most members the caller still wants (a LIMIT), or -1 for no bound
     * @return the page asked for; its replies are awaited through {@link
     *     RedisMemberFetch#addFuturesTo} and read by {@link RedisMemberFetch#receive}
     */
    RedisMemberFetch send(
            RedisClusterAsyncCommands<byte[], byte[]> commands,
            byte[] key,
            String cursor,
            int skip,
            long most);
}
