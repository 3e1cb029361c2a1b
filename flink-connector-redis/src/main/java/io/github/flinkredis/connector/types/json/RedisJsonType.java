package io.github.flinkredis.connector.types.json;

import io.github.flinkredis.connector.config.RedisConnectorOptions;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisWriteOptions;
import io.github.flinkredis.connector.convert.RedisJsonParsers;
import io.github.flinkredis.connector.convert.RedisRowColumn;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.types.spi.RedisRowColumns;
import io.github.flinkredis.connector.types.spi.RedisRowMutations;
import io.github.flinkredis.connector.types.spi.RedisTableContext;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
import io.github.flinkredis.connector.types.spi.RedisTypeWriter;
import io.github.flinkredis.connector.types.spi.RedisValueRead;
import java.time.ZoneId;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.logical.LogicalType;

/**
 * Data type {@code json}: one row per key holding a RedisJSON document, columns are its members.
 */
@Internal
public enum RedisJsonType implements RedisTypeHandler {

    /** The one instance. */
    INSTANCE;

    @Override
    public RedisDataType dataType() {
        return RedisDataType.JSON;
    }

    @Override
    public List<ConfigOption<?>> ownOptions() {
        return List.of(RedisConnectorOptions.JSON_PATH);
    }

    /** Scalars as for hash fields, and ROW, ARRAY and MAP of them. */
    @Override
    public boolean supportsValueType(LogicalType type) {
        return RedisJsonParsers.isSupported(type);
    }

    @Override
    public String describeSupportedValueTypes() {
        return "Supported: the scalar types of hash fields, and ROW, ARRAY and MAP (with"
                + " CHAR/VARCHAR keys) of them.";
    }

    /** A written row is the whole document: no {@code json.path} but {@code $}. */
    @Override
    public void validate(RedisTableContext table) {
        String path = table.layout().jsonPath();
        if (table.isWriting() && !"$".equals(path)) {
            throw new ValidationException(
                    String.format(
                            "Writing to a table with '%s' = '%s' is not supported: a written"
                                    + " row is the whole document ('$').",
                            RedisConnectorOptions.JSON_PATH.key(), path));
        }
    }

    @Override
    public RedisValueRead valueRead(RedisReadSpec spec) {
        return new RedisJsonValueRead(spec);
    }

    // ---- writes ----

    @Override
    public RedisTypeWriter writer(RedisWriteOptions options) {
        return new RedisJsonWriter(options.writeMode());
    }

    @Override
    public RedisRowMutations rowMutations(RedisRowColumns columns) {
        return new RedisJsonRowMutations(columns);
    }

    // ---- pushdown ----

    /**
     * A member's JSONPath under the table's {@code json.path}: {@code $.age}, or {@code
     * $.profile.age} with {@code json.path} {@code $.profile}; an index {@code ON JSON} names its
     * attributes by such paths.
     */
    @Override
    public String searchIdentifier(String column, String jsonPath) {
        return (jsonPath.equals("$") ? "$" : jsonPath) + "." + column;
    }

    @Override
    public boolean servesLookups() {
        return true;
    }

    /** A JSON member is read as JSON: a string quoted, a number or object as its text. */
    @Override
    public RedisRowColumn fieldColumn(String name, int field, LogicalType type, ZoneId zone) {
        return RedisRowColumn.json(name, field, type, zone);
    }

    // ---- lookups and read specs ----

    /** {@code JSON.GET} of the path (and of the members under it), or the keys only. */
    @Override
    public String describeRead(RedisReadSpec spec) {
        List<String> fields = spec.fields();
        return fields == null
                ? " JSON.GET " + spec.jsonPath()
                : fields.isEmpty() ? " keys only" : " JSON.GET " + spec.jsonPath() + " " + fields;
    }

    // ---- errors ----

    /** RedisJSON 2.0 says {@code Existing key has wrong Redis type}. */
    @Override
    public boolean isOtherTypeError(String error) {
        return error.contains("wrong Redis type");
    }
}
