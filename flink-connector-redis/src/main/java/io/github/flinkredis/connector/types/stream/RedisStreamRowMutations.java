package io.github.flinkredis.connector.types.stream;

import io.github.flinkredis.connector.model.RedisText;
import io.github.flinkredis.connector.types.spi.RedisMutationFactory;
import io.github.flinkredis.connector.types.spi.RedisRowColumns;
import io.github.flinkredis.connector.types.spi.RedisRowMutations;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.types.RowKind;

/**
 * A stream row: an entry of its value columns (NULL ones left out, at least one not NULL) at the ID
 * of the metadata column {@code id}, or a new one. A stream table is append-only: a DELETE fails.
 */
@Internal
final class RedisStreamRowMutations implements RedisRowMutations {

    private final RedisRowColumns columns;

    RedisStreamRowMutations(RedisRowColumns columns) {
        this.columns = columns;
    }

    @Override
    public <M> M upsert(RowData row, byte[] key, RedisMutationFactory<M> mutations) {
        byte[][] values = columns.fieldValues(row);
        if (Arrays.stream(values).allMatch(Objects::isNull)) {
            throw new IllegalArgumentException(
                    String.format(
                            "Every field column (%s) is NULL in a row for stream '%s': a stream"
                                    + " entry needs at least one field.",
                            Arrays.stream(columns.valueNames())
                                    .map(n -> new String(n, StandardCharsets.UTF_8))
                                    .collect(Collectors.joining(", ")),
                            RedisText.show(key)));
        }
        byte[] id = null;
        int entryId = columns.entryId();
        if (entryId >= 0 && !row.isNullAt(entryId)) {
            id = row.getString(entryId).toBytes();
        }
        return mutations.streamEntry(key, id, columns.valueNames(), values);
    }

    @Override
    public <M> M delete(RowData row, byte[] key, RowKind kind, RedisMutationFactory<M> mutations) {
        throw new IllegalArgumentException(
                String.format(
                        "A %s row for stream '%s': a stream table is append-only.",
                        kind, RedisText.show(key)));
    }
}
