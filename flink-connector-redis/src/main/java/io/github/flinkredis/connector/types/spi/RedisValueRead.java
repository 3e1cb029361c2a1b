package io.github.flinkredis.connector.types.spi;

import io.github.flinkredis.connector.model.RedisRecord;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;

/**
 * The read of one key's value, for a data type of one row per key (hash, json, string): the command
 * that reads it and the decoding of its reply into a {@link RedisRecord}. Built once per read
 * ({@link RedisTypeHandler#valueRead}) from what the read selects; shared by the scans (the key
 * split reader, which pipelines it for a batch of keys) and the point reads of lookups.
 *
 * <p>What stays with the caller, alike for every type: {@code PTTL key} when the TTL is selected
 * (its {@code -2} means the key is gone), {@code EXISTS key} where {@link #mayBeMissing} says a
 * reply cannot tell a missing key, and what an error reply (WRONGTYPE, a moved slot) means to the
 * caller.
 *
 * <p>The methods are called per key on hot paths: an implementation allocates nothing beyond the
 * command and the record.
 */
@Internal
public interface RedisValueRead extends Serializable {

    /**
     * Whether a command reads each key's value; false where the read selects no value (the key
     * alone, perhaps with its TTL): then no command is sent, and {@link #keyOnly} is the record.
     */
    boolean readsValue();

    /** The command {@link #send} sends, for messages: e.g. {@code HMGET}, {@code JSON.GET}. */
    String command();

    /**
     * Sends the command that reads {@code key}'s value (only where {@link #readsValue}); its reply
     * is decoded by {@link #record} with index {@code -1}.
     */
    RedisFuture<?> send(RedisClusterAsyncCommands<byte[], byte[]> commands, byte[] key);

    /**
     * Whether a scan reads the values of a batch of keys with multi-key commands ({@link
     * #sendBatch}) rather than a {@link #send} per key. A key read again alone (its slot moved) and
     * a point read use {@link #send}.
     */
    default boolean readsInBatches() {
        return false;
    }

    /** The multi-key command {@link #sendBatch} sends, for messages: e.g. {@code MGET}. */
    default String batchCommand() {
        return command();
    }

    /**
     * Sends the multi-key commands that read the values of {@code keys} (only where {@link
     * #readsInBatches}): one for them all, or, with {@code bySlot}, one per hash slot, since a
     * multi-key command on a cluster node must stay within one slot.
     *
     * @param futures receives, at each key's index, the command that reads that key
     * @param indexes receives, at each key's index, the key's position in that command's reply; the
     *     first key of each command is at position 0
     */
    default void sendBatch(
            RedisClusterAsyncCommands<byte[], byte[]> commands,
            List<byte[]> keys,
            boolean bySlot,
            RedisFuture<?>[] futures,
            int[] indexes) {
        throw new UnsupportedOperationException(command() + " reads no batch of keys");
    }

    /**
     * The record of {@code key}, or null for no row (the key is gone, or holds another type).
     *
     * @param reply the reply of {@link #send} ({@code index < 0}) or of {@link #sendBatch}, or null
     *     for a nil reply or an error reply the caller skips (WRONGTYPE)
     * @param index the key's position in a reply of {@link #sendBatch}, else {@code -1}
     * @param ttlMillis the record's TTL: PTTL's reply, or {@link RedisRecord#TTL_NOT_FETCHED}
     * @throws IOException if the reply is not what the command answers (a JSON.GET reply that is
     *     not JSON), with a message naming the key
     */
    @Nullable
    RedisRecord record(byte[] key, @Nullable Object reply, int index, long ttlMillis)
            throws IOException;

    /**
     * Whether {@code record} (from {@link #record}) may be of a missing key, which its reply cannot
     * tell: an {@code HMGET} answering only nils. Then, unless PTTL was read, {@code EXISTS key}
     * tells.
     */
    default boolean mayBeMissing(RedisRecord record) {
        return false;
    }

    /** The record of a key of which no value is read: no fields, and the TTL given. */
    static RedisRecord keyOnly(byte[] key, long ttlMillis) {
        return new RedisRecord(key, new byte[0][], new byte[0][], ttlMillis);
    }

    /** The names of {@code fields}, as UTF-8 bytes; null for null. */
    @Nullable
    static byte[][] names(@Nullable List<String> fields) {
        if (fields == null) {
            return null;
        }
        byte[][] names = new byte[fields.size()][];
        for (int i = 0; i < names.length; i++) {
            names[i] = fields.get(i).getBytes(StandardCharsets.UTF_8);
        }
        return names;
    }
}
