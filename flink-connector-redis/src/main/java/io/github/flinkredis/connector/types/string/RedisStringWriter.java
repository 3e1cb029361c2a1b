package io.github.flinkredis.connector.types.string;

import io.github.flinkredis.connector.config.RedisWriteMode;
import io.github.flinkredis.connector.types.spi.RedisTypeWriter;
import io.github.flinkredis.connector.types.spi.RedisWriteRecord;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.apache.flink.annotation.Internal;

/**
 * String writes: {@code SET key v [PX ttl] [NX]} (NX in skip-existing mode); a NULL value and a
 * DELETE are {@code DEL key}. An update is paired by the key.
 */
@Internal
final class RedisStringWriter implements RedisTypeWriter {

    private final boolean skipExisting;

    RedisStringWriter(RedisWriteMode writeMode) {
        this.skipExisting = writeMode == RedisWriteMode.SKIP_EXISTING;
    }

    @Override
    public boolean upsert(
            RedisClusterAsyncCommands<byte[], byte[]> c,
            RedisWriteRecord m,
            long ttlMillis,
            Replies replies) {
        byte[] value = m.values()[0];
        if (value == null) {
            replies.add("DEL", c.del(m.key()));
            return false;
        }
        SetArgs args = new SetArgs();
        if (ttlMillis >= 0) {
            args.px(ttlMillis);
        }
        if (skipExisting) {
            args.nx();
        }
        replies.add("SET", c.set(m.key(), value, args));
        return false;
    }
}
