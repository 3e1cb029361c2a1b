package io.github.flinkredis.connector.types.spi;

import io.github.flinkredis.connector.model.RedisRecord;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.Serializable;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;

/**
 * The point read of one member of a key, for a data type whose lookups give the key and a member (a
 * sorted set: {@code ZSCORE key member}, and {@code ZRANK key member} where the rank is selected):
 * at most two commands and the decoding of their replies into a {@link RedisRecord}. Built once per
 * lookup function ({@link RedisTypeHandler#memberLookup}) from the parts the lookup reads.
 *
 * <p>What stays with the caller, as for {@link RedisValueRead}: {@code PTTL key} when the TTL is
 * selected, {@code EXISTS key} where a record's parts are all null, and what an error reply means.
 *
 * <p>The methods are called per lookup: an implementation allocates nothing beyond the commands and
 * the record.
 */
@Internal
public interface RedisMemberLookup extends Serializable {

    /** The command {@link #send} sends, for messages: e.g. {@code ZSCORE}. */
    String command();

    /** The command {@link #sendSecond} sends, for messages: e.g. {@code ZRANK}. */
    String secondCommand();

    /** Sends the command that reads {@code member} of {@code key}. */
    RedisFuture<?> send(
            RedisClusterAsyncCommands<byte[], byte[]> commands, byte[] key, byte[] member);

    /** Sends the second command the read needs (a sorted-set member's rank), or none: null. */
    @Nullable
    RedisFuture<?> sendSecond(
            RedisClusterAsyncCommands<byte[], byte[]> commands, byte[] key, byte[] member);

    /**
     * The record of {@code member} of {@code key}, or null for a missing member.
     *
     * @param reply the reply of {@link #send}
     * @param secondReply the reply of {@link #sendSecond}, or null where it sent none
     * @param ttl the key's remaining TTL in milliseconds, or {@link RedisRecord#TTL_NOT_FETCHED}
     */
    @Nullable
    RedisRecord record(
            byte[] key,
            byte[] member,
            @Nullable Object reply,
            @Nullable Object secondReply,
            long ttl);
}
