package io.github.flinkredis.connector.types.zset;

import io.github.flinkredis.connector.types.spi.RedisMutationFactory;
import io.github.flinkredis.connector.types.spi.RedisRowColumns;
import io.github.flinkredis.connector.types.spi.RedisRowMutations;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.types.RowKind;

/** A sorted set row: its member with its score (neither NULL); a DELETE removes the member. */
@Internal
final class RedisSortedSetRowMutations implements RedisRowMutations {

    private final RedisRowColumns columns;

    RedisSortedSetRowMutations(RedisRowColumns columns) {
        this.columns = columns;
    }

    @Override
    public <M> M upsert(RowData row, byte[] key, RedisMutationFactory<M> mutations) {
        byte[] member = columns.required(row, columns.member(), key, "member");
        int score = columns.score();
        if (row.isNullAt(score)) {
            throw columns.nullIn(score, key, "score");
        }
        return mutations.scoredMember(key, member, row.getDouble(score));
    }

    @Override
    public <M> M delete(RowData row, byte[] key, RowKind kind, RedisMutationFactory<M> mutations) {
        return mutations.deleteMember(key, columns.required(row, columns.member(), key, "member"));
    }
}
