package io.github.flinkredis.connector.types.spi;

import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;

/**
 * Makes the sink's mutations for a data type's {@link RedisRowMutations} (the sink's own mutation
 * class lives above the data types). Each method is one of the writes a data type can ask for.
 *
 * @param <M> the sink's mutation type
 */
@Internal
public interface RedisMutationFactory<M> {

    /** HSET of the fields with a value, HDEL of those without (null). */
    M hash(byte[] key, byte[][] fieldNames, byte[][] values);

    /** SET of the value; null removes the key. */
    M string(byte[] key, @Nullable byte[] value);

    /** JSON.SET of a whole document (UTF-8 JSON text). */
    M document(byte[] key, byte[] json);

    /** SADD of a member (set), RPUSH of an element (list). */
    M member(byte[] key, byte[] member);

    /** ZADD of a member with its score. */
    M scoredMember(byte[] key, byte[] member, double score);

    /** XADD of an entry of the fields with a value, at {@code entryId} or (null) a new one. */
    M streamEntry(byte[] key, @Nullable byte[] entryId, byte[][] fieldNames, byte[][] values);

    /** TS.ADD of a sample at {@code timestamp} (ms since the epoch), with the series' labels. */
    M sample(byte[] key, long timestamp, double value, byte[][] labelNames, byte[][] labelValues);

    /** DEL of the key. */
    M deleteKey(byte[] key);

    /** SREM (set) or ZREM (zset) of a member. */
    M deleteMember(byte[] key, byte[] member);

    /** TS.DEL of the sample at {@code timestamp} (ms since the epoch). */
    M deleteSample(byte[] key, long timestamp);
}
