package io.github.flinkredis.connector.types.json;

import io.github.flinkredis.connector.config.RedisWriteMode;
import io.github.flinkredis.connector.types.spi.RedisTypeWriter;
import io.github.flinkredis.connector.types.spi.RedisWriteRecord;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.nio.charset.StandardCharsets;
import org.apache.flink.annotation.Internal;

/**
 * JSON writes: {@code JSON.SET key $ doc} ({@code NX} in skip-existing mode), then the sink's
 * {@code PEXPIRE}; skip-existing with a TTL is one script that sets the TTL only for a document it
 * wrote. A DELETE is {@code DEL key}; an update is paired by the key.
 */
@Internal
final class RedisJsonWriter implements RedisTypeWriter {

    private static final String SKIP_EXISTING_JSON =
            "if redis.call('JSON.SET', KEYS[1], '$', ARGV[2], 'NX') then"
                    + " redis.call('PEXPIRE', KEYS[1], ARGV[1]) return 1 end return 0";

    private final boolean skipExisting;

    RedisJsonWriter(RedisWriteMode writeMode) {
        this.skipExisting = writeMode == RedisWriteMode.SKIP_EXISTING;
    }

    @Override
    public boolean upsert(
            RedisClusterAsyncCommands<byte[], byte[]> c,
            RedisWriteRecord m,
            long ttlMillis,
            Replies replies) {
        byte[] key = m.key();
        if (skipExisting && ttlMillis >= 0) {
            // the TTL only for a document written: existing keys keep theirs
            replies.add(
                    "EVAL",
                    c.eval(
                            SKIP_EXISTING_JSON,
                            ScriptOutputType.INTEGER,
                            new byte[][] {key},
                            Long.toString(ttlMillis).getBytes(StandardCharsets.US_ASCII),
                            m.values()[0]));
            return false;
        }
        CommandArgs<byte[], byte[]> args =
                new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(key).add("$").add(m.values()[0]);
        if (skipExisting) {
            args.add("NX");
        }
        replies.add(
                "JSON.SET",
                c.dispatch(
                        CommandType.JSON_SET, new StatusOutput<>(ByteArrayCodec.INSTANCE), args));
        return true;
    }
}
