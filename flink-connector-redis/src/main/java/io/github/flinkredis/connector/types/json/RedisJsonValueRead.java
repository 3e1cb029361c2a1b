package io.github.flinkredis.connector.types.json;

import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.model.RedisRecord;
import io.github.flinkredis.connector.model.RedisText;
import io.github.flinkredis.connector.types.spi.RedisValueRead;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;

/**
 * The read of a JSON document: {@code JSON.GET key path1 path2 ...} of the selected members (the
 * {@linkplain RedisJsonReplies#memberPaths member paths} under the read's JSONPath), or of that
 * path alone without a field list; the record holds each member's JSON text (none matched: null),
 * or the whole value under the path's name. A nil reply is no row: the key is gone, or holds
 * another type.
 */
@Internal
final class RedisJsonValueRead implements RedisValueRead {

    private static final long serialVersionUID = 1L;

    private final List<String> paths;

    /** The record's field names: the selected members, or the JSONPath read whole. */
    private final byte[][] fieldNames;

    RedisJsonValueRead(RedisReadSpec spec) {
        this.paths = RedisJsonReplies.memberPaths(spec.jsonPath(), spec.fields());
        this.fieldNames =
                spec.fields() == null
                        ? new byte[][] {spec.jsonPath().getBytes(StandardCharsets.UTF_8)}
                        : RedisValueRead.names(spec.fields());
    }

    @Override
    public boolean readsValue() {
        return !paths.isEmpty();
    }

    @Override
    public String command() {
        return "JSON.GET";
    }

    @Override
    public RedisFuture<?> send(RedisClusterAsyncCommands<byte[], byte[]> commands, byte[] key) {
        return RedisJsonReplies.send(commands, key, paths);
    }

    @Override
    @Nullable
    public RedisRecord record(byte[] key, @Nullable Object reply, int index, long ttlMillis)
            throws IOException {
        if (reply == null) {
            return null; // deleted, or of another type now
        }
        byte[][] values;
        try {
            values = RedisJsonReplies.split((byte[]) reply, paths);
        } catch (IOException e) {
            throw new IOException(
                    String.format(
                            "Cannot read the JSON.GET reply for key '%s': %s",
                            RedisText.show(key), e.getMessage()),
                    e);
        }
        return new RedisRecord(key, fieldNames, values, ttlMillis);
    }
}
