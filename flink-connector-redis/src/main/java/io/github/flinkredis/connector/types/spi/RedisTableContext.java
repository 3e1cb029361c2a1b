package io.github.flinkredis.connector.types.spi;

import io.github.flinkredis.connector.config.RedisTableLayout;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;

/**
 * A table declared with {@code 'connector' = 'redis'}, as a data type checks it: its schema,
 * PRIMARY KEY, options and layout, and whether it is read or written.
 */
@Internal
public final class RedisTableContext {

    private final ResolvedSchema schema;
    private final int[] primaryKey;
    private final ReadableConfig options;
    private final RedisTableLayout layout;
    private final boolean writing;
    private final boolean valueFormat;

    /**
     * @param primaryKey the indexes of the PRIMARY KEY columns among the physical columns
     * @param writing whether the table is written (a sink), else read (a source)
     * @param valueFormat whether option {@code format} decodes the values
     */
    public RedisTableContext(
            ResolvedSchema schema,
            int[] primaryKey,
            ReadableConfig options,
            RedisTableLayout layout,
            boolean writing,
            boolean valueFormat) {
        this.schema = schema;
        this.primaryKey = primaryKey.clone();
        this.options = options;
        this.layout = layout;
        this.writing = writing;
        this.valueFormat = valueFormat;
    }

    public ResolvedSchema schema() {
        return schema;
    }

    /** The indexes of the PRIMARY KEY columns among the physical columns. */
    public int[] primaryKey() {
        return primaryKey.clone();
    }

    public ReadableConfig options() {
        return options;
    }

    /**
     * What the table's keys and columns mean: data type, key prefix, separator, pattern,
     * record-part columns, JSON path.
     */
    public RedisTableLayout layout() {
        return layout;
    }

    /** Whether the table is written (a sink), else read (a source). */
    public boolean isWriting() {
        return writing;
    }

    /** Whether option {@code format} decodes the table's values. */
    public boolean hasValueFormat() {
        return valueFormat;
    }

    /** The physical columns, in declaration order. */
    public List<Column> physicalColumns() {
        return schema.getColumns().stream().filter(Column::isPhysical).collect(Collectors.toList());
    }

    /** The physical columns outside the PRIMARY KEY (a hash's fields, a string's value, ...). */
    public List<Column> valueColumns() {
        List<Column> physical = physicalColumns();
        Set<Integer> keyIndices = new HashSet<>();
        for (int i : primaryKey) {
            keyIndices.add(i);
        }
        List<Column> values = new ArrayList<>();
        for (int i = 0; i < physical.size(); i++) {
            if (!keyIndices.contains(i)) {
                values.add(physical.get(i));
            }
        }
        return values;
    }
}
