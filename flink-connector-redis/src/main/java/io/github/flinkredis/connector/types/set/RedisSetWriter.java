package io.github.flinkredis.connector.types.set;

import io.github.flinkredis.connector.types.spi.RedisTypeWriter;
import io.github.flinkredis.connector.types.spi.RedisWriteRecord;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.apache.flink.annotation.Internal;

/** Set writes: {@code SADD key m}, {@code SREM key m}; an update is paired by the member. */
@Internal
final class RedisSetWriter implements RedisTypeWriter {

    static final RedisSetWriter INSTANCE = new RedisSetWriter();

    private RedisSetWriter() {}

    @Override
    public boolean upsert(
            RedisClusterAsyncCommands<byte[], byte[]> c,
            RedisWriteRecord m,
            long ttlMillis,
            Replies replies) {
        replies.add("SADD", c.sadd(m.key(), m.values()[0]));
        return true;
    }

    @Override
    public void delete(
            RedisClusterAsyncCommands<byte[], byte[]> c, RedisWriteRecord m, Replies replies) {
        replies.add("SREM", c.srem(m.key(), m.values()[0]));
    }

    @Override
    public boolean sameRecord(RedisWriteRecord updateBefore, RedisWriteRecord upsert) {
        return RedisTypeWriter.sameMember(updateBefore, upsert);
    }
}
