package io.github.flinkredis.connector.types.zset;

import io.github.flinkredis.connector.types.spi.RedisTypeWriter;
import io.github.flinkredis.connector.types.spi.RedisWriteRecord;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.apache.flink.annotation.Internal;

/** Sorted set writes: {@code ZADD key score m}, {@code ZREM key m}; updates paired by member. */
@Internal
final class RedisSortedSetWriter implements RedisTypeWriter {

    static final RedisSortedSetWriter INSTANCE = new RedisSortedSetWriter();

    private RedisSortedSetWriter() {}

    @Override
    public boolean upsert(
            RedisClusterAsyncCommands<byte[], byte[]> c,
            RedisWriteRecord m,
            long ttlMillis,
            Replies replies) {
        replies.add("ZADD", c.zadd(m.key(), m.score(), m.values()[0]));
        return true;
    }

    @Override
    public void delete(
            RedisClusterAsyncCommands<byte[], byte[]> c, RedisWriteRecord m, Replies replies) {
        replies.add("ZREM", c.zrem(m.key(), m.values()[0]));
    }

    @Override
    public boolean sameRecord(RedisWriteRecord updateBefore, RedisWriteRecord upsert) {
        return RedisTypeWriter.sameMember(updateBefore, upsert);
    }
}
