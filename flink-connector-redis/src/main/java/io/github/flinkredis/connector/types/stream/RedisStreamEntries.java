package io.github.flinkredis.connector.types.stream;

import io.github.flinkredis.connector.model.RedisRecord;
import io.lettuce.core.StreamMessage;
import java.util.Arrays;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;

/** Turns stream entries as Lettuce reads them (XRANGE, XREAD) into {@link RedisRecord}s. */
@Internal
public final class RedisStreamEntries {

    private RedisStreamEntries() {}

    /**
     * A stream entry's record: the requested fields, a missing one as null, or every field the
     * entry has when {@code fields} is null.
     *
     * @param ttl the stream key's remaining time to live, or {@link RedisRecord#TTL_NOT_FETCHED}
     */
    public static RedisRecord record(
            byte[] key,
            long ttl,
            StreamMessage<byte[], byte[]> message,
            @Nullable byte[][] fields) {
        Map<byte[], byte[]> body = message.getBody();
        if (body instanceof RedisStreamRangeOutput.Body flat) {
            return record(key, ttl, message.getId(), flat, fields);
        }
        if (fields == null) {
            byte[][] names = new byte[body.size()][];
            byte[][] values = new byte[body.size()][];
            int i = 0;
            for (Map.Entry<byte[], byte[]> e : body.entrySet()) {
                names[i] = e.getKey();
                values[i++] = e.getValue();
            }
            return new RedisRecord(key, names, values, ttl, message.getId());
        }
        byte[][] values = new byte[fields.length][];
        for (Map.Entry<byte[], byte[]> e : body.entrySet()) {
            for (int i = 0; i < fields.length; i++) {
                if (values[i] == null && Arrays.equals(fields[i], e.getKey())) {
                    values[i] = e.getValue();
                    break;
                }
            }
        }
        return new RedisRecord(key, fields, values, ttl, message.getId());
    }

    private static RedisRecord record(
            byte[] key,
            long ttl,
            String id,
            RedisStreamRangeOutput.Body body,
            @Nullable byte[][] fields) {
        int n = body.size();
        if (fields == null) {
            byte[][] names = new byte[n][];
            byte[][] values = new byte[n][];
            for (int i = 0; i < n; i++) {
                names[i] = body.field(i);
                values[i] = body.value(i);
            }
            return new RedisRecord(key, names, values, ttl, id);
        }
        byte[][] values = new byte[fields.length][];
        for (int i = 0; i < fields.length; i++) {
            // the first value of a field named twice, as for entries that XREAD returns
            for (int k = 0; k < n; k++) {
                if (Arrays.equals(fields[i], body.field(k))) {
                    values[i] = body.value(k);
                    break;
                }
            }
        }
        return new RedisRecord(key, fields, values, ttl, id);
    }
}
