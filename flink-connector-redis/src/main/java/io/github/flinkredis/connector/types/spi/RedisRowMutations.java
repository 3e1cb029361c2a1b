package io.github.flinkredis.connector.types.spi;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.types.RowKind;

/**
 * What a table's row means as a write of one data type: built once per sink writer (at open) from
 * the table's {@link RedisRowColumns}; the key is built by the sink.
 */
@Internal
public interface RedisRowMutations {

    /**
     * The mutation of an INSERT or UPDATE_AFTER {@code row}.
     *
     * @throws IllegalArgumentException naming the column and the key where a value Redis needs is
     *     NULL
     */
    <M> M upsert(RowData row, byte[] key, RedisMutationFactory<M> mutations);

    /**
     * The mutation of a DELETE or UPDATE_BEFORE ({@code kind}) {@code row}: of the key, the member
     * or the sample.
     *
     * @throws IllegalArgumentException where the row lacks what the DELETE needs, or the type takes
     *     no deletes (a stream)
     */
    <M> M delete(RowData row, byte[] key, RowKind kind, RedisMutationFactory<M> mutations);
}
