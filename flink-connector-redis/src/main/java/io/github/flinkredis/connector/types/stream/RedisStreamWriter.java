package io.github.flinkredis.connector.types.stream;

import io.github.flinkredis.connector.types.spi.RedisTypeWriter;
import io.github.flinkredis.connector.types.spi.RedisWriteRecord;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.annotation.Internal;

/**
 * Stream writes: {@code XADD key [MAXLEN ~ n] id|* field value ...} of the fields with a value (an
 * append); a DELETE is {@code DEL key}. An entry with an explicit ID at or below the stream's last
 * one is taken as written before ({@link #writtenBefore}). Updates are not paired.
 */
@Internal
final class RedisStreamWriter implements RedisTypeWriter {

    private static final String XADD_OLD_ID = "equal or smaller than the target stream top item";

    /** {@code MAXLEN ~} of each XADD; negative for none. */
    private final long maxLength;

    RedisStreamWriter(long maxLength) {
        this.maxLength = maxLength;
    }

    @Override
    public boolean upsert(
            RedisClusterAsyncCommands<byte[], byte[]> c,
            RedisWriteRecord m,
            long ttlMillis,
            Replies replies) {
        XAddArgs args = new XAddArgs();
        if (m.entryId() != null) {
            args.id(new String(m.entryId(), StandardCharsets.UTF_8));
        }
        if (maxLength >= 0) {
            args.maxlen(maxLength).approximateTrimming();
        }
        List<Object> fieldsAndValues = new ArrayList<>();
        for (int i = 0; i < m.fieldNames().length; i++) {
            if (m.values()[i] != null) {
                fieldsAndValues.add(m.fieldNames()[i]);
                fieldsAndValues.add(m.values()[i]);
            }
        }
        replies.add("XADD", c.xadd(m.key(), args, fieldsAndValues.toArray()));
        return true;
    }

    @Override
    public boolean pairsUpdates() {
        return false;
    }

    /**
     * An entry with an explicit ID Redis refused as not above the stream's last one ("The ID
     * specified in XADD is equal or smaller than the target stream top item").
     */
    @Override
    public boolean writtenBefore(RedisWriteRecord record, String error) {
        return record.entryId() != null && error.contains(XADD_OLD_ID);
    }
}
