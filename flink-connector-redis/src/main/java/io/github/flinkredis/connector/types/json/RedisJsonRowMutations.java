package io.github.flinkredis.connector.types.json;

import io.github.flinkredis.connector.convert.RedisJsonWriters;
import io.github.flinkredis.connector.types.spi.RedisMutationFactory;
import io.github.flinkredis.connector.types.spi.RedisRowColumns;
import io.github.flinkredis.connector.types.spi.RedisRowMutations;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.types.RowKind;

/** A JSON row: its value columns as one document; a DELETE removes the key. */
@Internal
final class RedisJsonRowMutations implements RedisRowMutations {

    private final RedisJsonWriters json;

    RedisJsonRowMutations(RedisRowColumns columns) {
        this.json = new RedisJsonWriters(columns.rowType(), columns.valueColumns());
    }

    @Override
    public <M> M upsert(RowData row, byte[] key, RedisMutationFactory<M> mutations) {
        return mutations.document(key, json.write(row));
    }

    @Override
    public <M> M delete(RowData row, byte[] key, RowKind kind, RedisMutationFactory<M> mutations) {
        return mutations.deleteKey(key);
    }
}
