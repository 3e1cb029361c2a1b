package io.github.flinkredis.connector.types.string;

import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.model.RedisRecord;
import io.github.flinkredis.connector.types.spi.RedisValueRead;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.Arrays;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;

/**
 * The read of a string: {@code GET key}, or in a scan one {@code MGET} per batch of keys (per hash
 * slot on a cluster node); the record holds the value under the one selected name ({@link
 * RedisReadSpec#STRING_VALUE} by default). A nil is no row: the key is gone, or holds another type
 * (MGET answers nil for it, GET WRONGTYPE).
 */
@Internal
final class RedisStringValueRead implements RedisValueRead {

    private static final long serialVersionUID = 1L;

    /** The value's name in the record, or none where the value is not read. */
    private final byte[][] fieldNames;

    RedisStringValueRead(RedisReadSpec spec) {
        this.fieldNames =
                RedisValueRead.names(RedisStringType.INSTANCE.sourceFields(spec.fields()));
    }

    @Override
    public boolean readsValue() {
        return fieldNames.length > 0;
    }

    @Override
    public String command() {
        return "GET";
    }

    @Override
    public RedisFuture<?> send(RedisClusterAsyncCommands<byte[], byte[]> commands, byte[] key) {
        return commands.get(key);
    }

    @Override
    public boolean readsInBatches() {
        return true;
    }

    @Override
    public String batchCommand() {
        return "MGET";
    }

    /**
     * One MGET of all {@code keys}; with {@code bySlot}, one per hash slot, in the order of the
     * slots, each of its keys in their order in {@code keys}.
     */
    @Override
    public void sendBatch(
            RedisClusterAsyncCommands<byte[], byte[]> commands,
            List<byte[]> keys,
            boolean bySlot,
            RedisFuture<?>[] futures,
            int[] indexes) {
        int n = keys.size();
        if (!bySlot) {
            RedisFuture<?> mget = commands.mget(keys.toArray(new byte[0][]));
            for (int i = 0; i < n; i++) {
                futures[i] = mget;
                indexes[i] = i;
            }
            return;
        }
        // slot and index of each key in one long, sorted: the keys of a slot are a run
        long[] bySlotThenIndex = new long[n];
        for (int i = 0; i < n; i++) {
            bySlotThenIndex[i] = ((long) SlotHash.getSlot(keys.get(i)) << 32) | i;
        }
        Arrays.sort(bySlotThenIndex);
        int start = 0;
        while (start < n) {
            long slot = bySlotThenIndex[start] >>> 32;
            int end = start + 1;
            while (end < n && bySlotThenIndex[end] >>> 32 == slot) {
                end++;
            }
            byte[][] group = new byte[end - start][];
            for (int j = start; j < end; j++) {
                group[j - start] = keys.get((int) bySlotThenIndex[j]);
            }
            RedisFuture<?> mget = commands.mget(group);
            for (int j = start; j < end; j++) {
                int i = (int) bySlotThenIndex[j];
                futures[i] = mget;
                indexes[i] = j - start;
            }
            start = end;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    @Nullable
    public RedisRecord record(byte[] key, @Nullable Object reply, int index, long ttlMillis) {
        byte[] value;
        if (index < 0) {
            value = (byte[]) reply;
        } else if (reply == null) {
            value = null;
        } else {
            KeyValue<byte[], byte[]> kv = ((List<KeyValue<byte[], byte[]>>) reply).get(index);
            value = kv != null && kv.hasValue() ? kv.getValue() : null;
        }
        if (value == null) {
            return null; // deleted, or not a string any more
        }
        return new RedisRecord(key, fieldNames, new byte[][] {value}, ttlMillis);
    }
}
