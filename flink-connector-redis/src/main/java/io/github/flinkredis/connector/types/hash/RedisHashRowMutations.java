package io.github.flinkredis.connector.types.hash;

import io.github.flinkredis.connector.types.spi.RedisMutationFactory;
import io.github.flinkredis.connector.types.spi.RedisRowColumns;
import io.github.flinkredis.connector.types.spi.RedisRowMutations;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.types.RowKind;

/** A hash row: its value columns as fields (NULL: removed); a DELETE removes the key. */
@Internal
final class RedisHashRowMutations implements RedisRowMutations {

    private final RedisRowColumns columns;

    RedisHashRowMutations(RedisRowColumns columns) {
        this.columns = columns;
    }

    @Override
    public <M> M upsert(RowData row, byte[] key, RedisMutationFactory<M> mutations) {
        return mutations.hash(key, columns.valueNames(), columns.fieldValues(row));
    }

    @Override
    public <M> M delete(RowData row, byte[] key, RowKind kind, RedisMutationFactory<M> mutations) {
        return mutations.deleteKey(key);
    }
}
