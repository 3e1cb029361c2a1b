package io.github.flinkredis.connector.types.string;

import io.github.flinkredis.connector.types.spi.RedisMutationFactory;
import io.github.flinkredis.connector.types.spi.RedisRowColumns;
import io.github.flinkredis.connector.types.spi.RedisRowMutations;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.types.RowKind;

/** A string row: its value column as the value (NULL removes the key); a DELETE removes the key. */
@Internal
final class RedisStringRowMutations implements RedisRowMutations {

    private final RedisRowColumns columns;

    RedisStringRowMutations(RedisRowColumns columns) {
        this.columns = columns;
    }

    @Override
    public <M> M upsert(RowData row, byte[] key, RedisMutationFactory<M> mutations) {
        int[] valueColumns = columns.valueColumns();
        byte[] value = null;
        if (valueColumns.length > 0 && !row.isNullAt(valueColumns[0])) {
            value = columns.format(row, valueColumns[0]);
        }
        return mutations.string(key, value);
    }

    @Override
    public <M> M delete(RowData row, byte[] key, RowKind kind, RedisMutationFactory<M> mutations) {
        return mutations.deleteKey(key);
    }
}
