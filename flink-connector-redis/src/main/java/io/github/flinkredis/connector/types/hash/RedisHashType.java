package io.github.flinkredis.connector.types.hash;

import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisWriteOptions;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.types.spi.RedisRowColumns;
import io.github.flinkredis.connector.types.spi.RedisRowMutations;
import io.github.flinkredis.connector.types.spi.RedisTableContext;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
import io.github.flinkredis.connector.types.spi.RedisTypeWriter;
import io.github.flinkredis.connector.types.spi.RedisValueRead;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Column;

/** Data type {@code hash}: one row per key, columns are hash fields by name. */
@Internal
public enum RedisHashType implements RedisTypeHandler {

    /** The one instance. */
    INSTANCE;

    @Override
    public RedisDataType dataType() {
        return RedisDataType.HASH;
    }

    /** Writing needs a field per row: Redis has no empty hash. */
    @Override
    public void validate(RedisTableContext table) {
        if (table.isWriting() && table.valueColumns().isEmpty()) {
            throw new ValidationException(
                    String.format(
                            "A hash table needs a column besides its PRIMARY KEY columns to write"
                                    + " as a field: Redis has no empty hash. Columns: %s.",
                            table.physicalColumns().stream()
                                    .map(Column::getName)
                                    .collect(Collectors.toList())));
        }
    }

    @Override
    public RedisValueRead valueRead(RedisReadSpec spec) {
        return new RedisHashValueRead(spec);
    }

    // ---- writes ----

    @Override
    public RedisTypeWriter writer(RedisWriteOptions options) {
        return new RedisHashWriter(options);
    }

    @Override
    public RedisRowMutations rowMutations(RedisRowColumns columns) {
        return new RedisHashRowMutations(columns);
    }

    // ---- pushdown ----

    /** A hash field: an index {@code ON HASH} names it as is. */
    @Override
    public String searchIdentifier(String column, String jsonPath) {
        return column;
    }

    @Override
    public boolean servesLookups() {
        return true;
    }

    // ---- lookups and read specs ----

    /** {@code HGETALL}, {@code HMGET} of the fields, or the keys only. */
    @Override
    public String describeRead(RedisReadSpec spec) {
        List<String> fields = spec.fields();
        return fields == null ? " HGETALL" : fields.isEmpty() ? " keys only" : " HMGET " + fields;
    }
}
