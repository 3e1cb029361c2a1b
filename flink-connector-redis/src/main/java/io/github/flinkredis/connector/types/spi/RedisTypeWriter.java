package io.github.flinkredis.connector.types.spi;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.Arrays;
import org.apache.flink.annotation.Internal;

/**
 * The commands that write or remove one record of a data type, for one sink (built once per sink
 * writer from its write options: write mode, stream trimming, duplicate policy). Commands are
 * issued on Lettuce's async API with auto-flush off; the sink flushes, awaits the replies, retries
 * and keeps the per-key order. Issuing allocates what the commands need, nothing more.
 */
@Internal
public interface RedisTypeWriter {

    /** Where a writer hands the reply of each command it issues, with the command's name. */
    interface Replies {

        /**
         * @param command the command's name for messages ({@code HSET}, {@code EVAL}, ...)
         * @param reply its reply
         */
        void add(String command, RedisFuture<?> reply);
    }

    /**
     * Issues the commands of an UPSERT of {@code record}.
     *
     * @param ttlMillis the time to live to set on the key after the write, in milliseconds; -1 for
     *     none
     * @return whether the sink still has to set {@code ttlMillis} ({@code PEXPIRE key ttl}, after
     *     these commands): false where the commands set it (or must leave the key's as it is)
     */
    boolean upsert(
            RedisClusterAsyncCommands<byte[], byte[]> commands,
            RedisWriteRecord record,
            long ttlMillis,
            Replies replies);

    /**
     * Issues the commands of a DELETE of {@code record}: of its key, member or sample. By default
     * {@code DEL key}: the record is the key (hash, json, string), or a delete removes the whole
     * key of an append-only type (list, stream).
     */
    default void delete(
            RedisClusterAsyncCommands<byte[], byte[]> commands,
            RedisWriteRecord record,
            Replies replies) {
        replies.add("DEL", commands.del(record.key()));
    }

    /**
     * Whether an UPSERT right after an update-before (a DELETE, the first half of an update) of the
     * same record is an update in place that can stand for both: not for appends (list, stream),
     * nor where a write takes the old value into account. True by default.
     */
    default boolean pairsUpdates() {
        return true;
    }

    /**
     * Whether {@code upsert} writes the record {@code updateBefore} removes, both of one key: the
     * key itself (hash, string, json), the member (set, zset), the sample's timestamp (timeseries).
     * Asked only where {@link #pairsUpdates()}. By default true: the key is the record.
     */
    default boolean sameRecord(RedisWriteRecord updateBefore, RedisWriteRecord upsert) {
        return true;
    }

    /** Whether both records hold the same member (their first value): a set's or zset's record. */
    static boolean sameMember(RedisWriteRecord updateBefore, RedisWriteRecord upsert) {
        return updateBefore.values().length > 0
                && upsert.values().length > 0
                && Arrays.equals(updateBefore.values()[0], upsert.values()[0]);
    }

    /**
     * Whether a failed write of {@code record} with Redis's {@code error} is taken as written
     * before (what a replay after a restore sends) and skipped: a stream entry with an explicit ID
     * at or below the stream's last one.
     */
    default boolean writtenBefore(RedisWriteRecord record, String error) {
        return false;
    }
}
