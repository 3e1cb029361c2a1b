package io.github.flinkredis.connector.types.hash;

import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.model.RedisRecord;
import io.github.flinkredis.connector.types.spi.RedisValueRead;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;

/**
 * The read of a hash: {@code HMGET key f1 f2 ...} of the selected fields, each a record's value in
 * that order (nil: null), or {@code HGETALL key} without a field list, the record holding the
 * fields the hash has. An empty HGETALL reply is no row (Redis deletes a hash with its last field);
 * an HMGET answering only nils may be of a missing key ({@link #mayBeMissing}).
 */
@Internal
final class RedisHashValueRead implements RedisValueRead {

    private static final long serialVersionUID = 1L;

    /** The selected fields, or null for all of them (HGETALL). */
    @Nullable private final byte[][] fieldNames;

    RedisHashValueRead(RedisReadSpec spec) {
        this.fieldNames = RedisValueRead.names(spec.fields());
    }

    @Override
    public boolean readsValue() {
        return fieldNames == null || fieldNames.length > 0;
    }

    @Override
    public String command() {
        return fieldNames == null ? "HGETALL" : "HMGET";
    }

    @Override
    public RedisFuture<?> send(RedisClusterAsyncCommands<byte[], byte[]> commands, byte[] key) {
        return fieldNames == null ? commands.hgetall(key) : commands.hmget(key, fieldNames);
    }

    @Override
    @SuppressWarnings("unchecked")
    @Nullable
    public RedisRecord record(byte[] key, @Nullable Object reply, int index, long ttlMillis) {
        if (reply == null) {
            return null; // another type now (WRONGTYPE)
        }
        if (fieldNames == null) {
            Map<byte[], byte[]> map = (Map<byte[], byte[]>) reply;
            if (map.isEmpty()) {
                return null; // deleted
            }
            byte[][] names = new byte[map.size()][];
            byte[][] values = new byte[map.size()][];
            int j = 0;
            for (Map.Entry<byte[], byte[]> e : map.entrySet()) {
                names[j] = e.getKey();
                values[j++] = e.getValue();
            }
            return new RedisRecord(key, names, values, ttlMillis);
        }
        List<KeyValue<byte[], byte[]>> kvs = (List<KeyValue<byte[], byte[]>>) reply;
        byte[][] values = new byte[fieldNames.length][];
        for (int j = 0; j < values.length; j++) {
            KeyValue<byte[], byte[]> kv = kvs.get(j);
            if (kv.hasValue()) {
                values[j] = kv.getValue();
            }
        }
        return new RedisRecord(key, fieldNames, values, ttlMillis);
    }

    /** An HMGET reply of nils only: Redis answers the same for a missing key. */
    @Override
    public boolean mayBeMissing(RedisRecord record) {
        if (fieldNames == null) {
            return false;
        }
        for (byte[] v : record.values()) {
            if (v != null) {
                return false;
            }
        }
        return true;
    }
}
