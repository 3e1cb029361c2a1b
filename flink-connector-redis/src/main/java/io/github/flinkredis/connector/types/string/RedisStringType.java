package io.github.flinkredis.connector.types.string;

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
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Column;

/** Data type {@code string}: one row per key, its value one column or decoded by a format. */
@Internal
public enum RedisStringType implements RedisTypeHandler {

    /** The one instance. */
    INSTANCE;

    @Override
    public RedisDataType dataType() {
        return RedisDataType.STRING;
    }

    @Override
    public boolean acceptsValueFormat() {
        return true;
    }

    /** Without a format, one value column besides the PRIMARY KEY: the string's value. */
    @Override
    public void validate(RedisTableContext table) {
        List<Column> values = table.valueColumns();
        if (!table.hasValueFormat() && values.size() > 1) {
            List<String> names = values.stream().map(Column::getName).collect(Collectors.toList());
            throw new ValidationException(
                    String.format(
                            "A table with 'data-type' = 'string' has one value column besides"
                                    + " its PRIMARY KEY columns (the string's value), but this"
                                    + " one has %d: %s. Declare the others as PRIMARY KEY"
                                    + " columns (parsed from the key) or metadata columns.",
                            names.size(), names));
        }
    }

    @Override
    public RedisValueRead valueRead(RedisReadSpec spec) {
        return new RedisStringValueRead(spec);
    }

    // ---- writes ----

    @Override
    public RedisTypeWriter writer(RedisWriteOptions options) {
        return new RedisStringWriter(options);
    }

    @Override
    public RedisRowMutations rowMutations(RedisRowColumns columns) {
        return new RedisStringRowMutations(columns);
    }

    // ---- pushdown ----

    @Override
    public boolean servesLookups() {
        return true;
    }

    // ---- lookups and read specs ----

    /** {@code MGET}, or the keys only. */
    @Override
    public String describeRead(RedisReadSpec spec) {
        List<String> fields = spec.fields();
        return fields != null && fields.isEmpty() ? " keys only" : " MGET";
    }

    /** Without fields, the value is named {@link RedisReadSpec#STRING_VALUE}. */
    @Override
    public List<String> sourceFields(@Nullable List<String> fields) {
        return fields == null ? List.of(RedisReadSpec.STRING_VALUE) : fields;
    }

    /** A string's record has the one field {@link RedisReadSpec#STRING_VALUE}. */
    @Override
    public List<String> lookupFields(List<String> fields, boolean memberGiven) {
        if (!fields.isEmpty() && !fields.equals(List.of(RedisReadSpec.STRING_VALUE))) {
            throw new IllegalArgumentException(
                    "A string has one value: setFields "
                            + fields
                            + " does not apply (its record's field is '"
                            + RedisReadSpec.STRING_VALUE
                            + "')");
        }
        return List.of(RedisReadSpec.STRING_VALUE);
    }
}
