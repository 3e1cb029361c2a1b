package io.github.flinkredis.connector.types.set;

import io.github.flinkredis.connector.types.spi.RedisMutationFactory;
import io.github.flinkredis.connector.types.spi.RedisRowColumns;
import io.github.flinkredis.connector.types.spi.RedisRowMutations;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.types.RowKind;

/** A set row: its member column (not NULL) added, or removed by a DELETE. */
@Internal
final class RedisSetRowMutations implements RedisRowMutations {

    private final RedisRowColumns columns;

    RedisSetRowMutations(RedisRowColumns columns) {
        this.columns = columns;
    }

    @Override
    public <M> M upsert(RowData row, byte[] key, RedisMutationFactory<M> mutations) {
        return mutations.member(key, columns.required(row, columns.member(), key, "member"));
    }

    @Override
    public <M> M delete(RowData row, byte[] key, RowKind kind, RedisMutationFactory<M> mutations) {
        return mutations.deleteMember(key, columns.required(row, columns.member(), key, "member"));
    }
}
