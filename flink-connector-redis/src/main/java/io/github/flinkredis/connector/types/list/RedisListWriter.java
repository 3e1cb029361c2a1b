package io.github.flinkredis.connector.types.list;

import io.github.flinkredis.connector.types.spi.RedisTypeWriter;
import io.github.flinkredis.connector.types.spi.RedisWriteRecord;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.apache.flink.annotation.Internal;

/**
 * List writes: {@code RPUSH key e} (an append: sent again after a failure it may be applied twice);
 * a DELETE is {@code DEL key}. Updates are not paired.
 */
@Internal
final class RedisListWriter implements RedisTypeWriter {

    static final RedisListWriter INSTANCE = new RedisListWriter();

    private RedisListWriter() {}

    @Override
    public boolean upsert(
            RedisClusterAsyncCommands<byte[], byte[]> c,
            RedisWriteRecord m,
            long ttlMillis,
            Replies replies) {
        replies.add("RPUSH", c.rpush(m.key(), m.values()[0]));
        return true;
    }

    @Override
    public boolean pairsUpdates() {
        return false;
    }
}
