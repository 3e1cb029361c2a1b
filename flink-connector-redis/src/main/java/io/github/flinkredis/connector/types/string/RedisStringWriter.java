package io.github.flinkredis.connector.types.string;

import io.github.flinkredis.connector.config.RedisTtlMode;
import io.github.flinkredis.connector.config.RedisWriteMode;
import io.github.flinkredis.connector.config.RedisWriteOptions;
import io.github.flinkredis.connector.types.spi.RedisTypeWriter;
import io.github.flinkredis.connector.types.spi.RedisWriteRecord;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.apache.flink.annotation.Internal;

/**
 * String writes: {@code SET key v [PX ttl] [NX]} (NX in skip-existing mode); a NULL value and a
 * DELETE are {@code DEL key}. An update is paired by the key. TTL mode {@code on-create}: {@code
 * SET key v KEEPTTL}, then the sink's {@code PEXPIRE key ttl NX} (with NX: {@code SET key v NX PX
 * ttl}, which sets the TTL only on the key it creates); {@code keep}: {@code SET key v KEEPTTL
 * [NX]}.
 */
@Internal
final class RedisStringWriter implements RedisTypeWriter {

    private final boolean skipExisting;

    /** Whether a write keeps the key's TTL (SET ... KEEPTTL) rather than setting or clearing it. */
    private final boolean keepTtl;

    RedisStringWriter(RedisWriteOptions options) {
        this.skipExisting = options.writeMode() == RedisWriteMode.SKIP_EXISTING;
        this.keepTtl = options.ttlMode() != RedisTtlMode.ON_WRITE;
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
        boolean sinkSetsTtl = false;
        if (ttlMillis >= 0 && (skipExisting || !keepTtl)) {
            // SET NX sets the TTL only on the key it creates
            args.px(ttlMillis);
        } else if (keepTtl) {
            args.keepttl();
            sinkSetsTtl = ttlMillis >= 0;
        }
        if (skipExisting) {
            args.nx();
        }
        replies.add("SET", c.set(m.key(), value, args));
        return sinkSetsTtl;
    }
}
