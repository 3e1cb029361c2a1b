package io.github.flinkredis.connector.types.hash;

import io.github.flinkredis.connector.config.RedisWriteMode;
import io.github.flinkredis.connector.types.spi.RedisTypeWriter;
import io.github.flinkredis.connector.types.spi.RedisWriteRecord;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.annotation.Internal;

/**
 * Hash writes. Merge mode: {@code HSET key f v ...} of the fields with a value and {@code HDEL key
 * f ...} of the NULL ones, then the sink's {@code PEXPIRE}. Replace and skip-existing modes: one
 * script, atomically, {@code DEL} (or {@code EXISTS}), {@code HSET} of the non-NULL fields and
 * {@code PEXPIRE}. A DELETE is {@code DEL key}; an update is paired by the key.
 */
@Internal
final class RedisHashWriter implements RedisTypeWriter {

    private static final String WRITE_HASH =
            "if #ARGV > 1 then redis.call('HSET', KEYS[1], unpack(ARGV, 2))"
                    + " if tonumber(ARGV[1]) >= 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1])"
                    + " end end return 1";

    private static final String REPLACE_HASH = "redis.call('DEL', KEYS[1]) " + WRITE_HASH;

    private static final String SKIP_EXISTING_HASH =
            "if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end " + WRITE_HASH;

    private final RedisWriteMode writeMode;

    RedisHashWriter(RedisWriteMode writeMode) {
        this.writeMode = writeMode;
    }

    @Override
    public boolean upsert(
            RedisClusterAsyncCommands<byte[], byte[]> c,
            RedisWriteRecord m,
            long ttlMillis,
            Replies replies) {
        if (writeMode != RedisWriteMode.MERGE) {
            replies.add("EVAL", evalHash(c, m, ttlMillis));
            return false;
        }
        byte[] key = m.key();
        // HSET built as arguments directly: no map per row
        CommandArgs<byte[], byte[]> set = new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(key);
        boolean anySet = false;
        List<byte[]> removed = null;
        for (int i = 0; i < m.fieldNames().length; i++) {
            if (m.values()[i] != null) {
                set.add(m.fieldNames()[i]).add(m.values()[i]);
                anySet = true;
            } else {
                if (removed == null) {
                    removed = new ArrayList<>();
                }
                removed.add(m.fieldNames()[i]);
            }
        }
        if (anySet) {
            replies.add(
                    "HSET",
                    c.dispatch(
                            CommandType.HSET, new IntegerOutput<>(ByteArrayCodec.INSTANCE), set));
        }
        if (removed != null) {
            replies.add("HDEL", c.hdel(key, removed.toArray(new byte[0][])));
        }
        return true;
    }

    /**
     * Replaces a hash, or writes it only if the key does not exist: {@code DEL} (or {@code
     * EXISTS}), {@code HSET} of the non-NULL fields and {@code PEXPIRE}, atomically in one script.
     * ARGV is the TTL in ms (-1 for none), then fields and values.
     */
    private RedisFuture<Long> evalHash(
            RedisClusterAsyncCommands<byte[], byte[]> c, RedisWriteRecord m, long ttl) {
        List<byte[]> args = new ArrayList<>();
        args.add(Long.toString(ttl).getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < m.fieldNames().length; i++) {
            if (m.values()[i] != null) {
                args.add(m.fieldNames()[i]);
                args.add(m.values()[i]);
            }
        }
        String script = writeMode == RedisWriteMode.REPLACE ? REPLACE_HASH : SKIP_EXISTING_HASH;
        return c.eval(
                script,
                ScriptOutputType.INTEGER,
                new byte[][] {m.key()},
                args.toArray(new byte[0][]));
    }
}
