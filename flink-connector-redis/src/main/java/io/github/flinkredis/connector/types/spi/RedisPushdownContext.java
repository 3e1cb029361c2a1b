package io.github.flinkredis.connector.types.spi;

import io.github.flinkredis.connector.config.RedisTableLayout;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.RowType;

/**
 * A table read as a data type sees it when it takes filters ({@link RedisTypeHandler#pushFilters}):
 * its layout (record-part columns), physical columns, metadata columns (e.g. those of a stream
 * entry's {@code timestamp}) and its read settings.
 */
@Internal
public final class RedisPushdownContext {

    private final RedisTableLayout layout;
    private final RowType physical;
    private final Map<String, Set<String>> metadataColumns;
    private final RedisReadSettings settings;

    /**
     * A table read as {@code settings} say, with physical columns {@code physical} and its metadata
     * columns' names by metadata key ({@code metadataColumns}).
     */
    public RedisPushdownContext(
            RedisTableLayout layout,
            RowType physical,
            Map<String, Set<String>> metadataColumns,
            RedisReadSettings settings) {
        this.layout = layout;
        this.physical = physical;
        this.metadataColumns = metadataColumns;
        this.settings = settings;
    }

    /** The table's data type, key layout and record-part columns. */
    public RedisTableLayout layout() {
        return layout;
    }

    /**
     * The table's columns {@code METADATA FROM '<metadataKey>'} (e.g. a stream entry's {@code
     * timestamp}, see {@link RedisTypeHandler#readableMetadata}); empty if there are none.
     */
    public Set<String> metadataColumns(String metadataKey) {
        return metadataColumns.getOrDefault(metadataKey, Set.of());
    }

    public RedisReadSettings settings() {
        return settings;
    }

    /** The type of physical column {@code name}, or null if there is none. */
    @Nullable
    public LogicalType physicalType(@Nullable String name) {
        int i = name == null ? -1 : physical.getFieldNames().indexOf(name);
        return i < 0 ? null : physical.getTypeAt(i);
    }

    /** The physical columns among {@code names} of a character string type. */
    public Set<String> stringColumns(List<String> names) {
        Set<String> out = new HashSet<>();
        for (String name : names) {
            LogicalType type = physicalType(name);
            if (type != null
                    && type.getTypeRoot()
                            .getFamilies()
                            .contains(LogicalTypeFamily.CHARACTER_STRING)) {
                out.add(name);
            }
        }
        return out;
    }
}
