package io.github.flinkredis.connector.table;

import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;

/**
 * The columns of a redis table as its source reads them: the physical row, the PRIMARY KEY, the
 * metadata columns by metadata key and the type of metadata {@code key}, the value format and the
 * session time zone. An immutable value, equal by content (the format by its own equals).
 */
@Internal
final class RedisSourceSchema {

    final DataType physicalRowType;
    private final int[] primaryKeyIndices;

    /**
     * The names of the metadata columns by metadata key: those of {@code key} for key filter
     * pushdown, the others for the data type's filter pushdown (e.g. a stream entry's {@code
     * timestamp}).
     */
    final Map<String, Set<String>> metadataColumns;

    /**
     * The type of metadata {@code key}: BYTES or STRING as the table's column {@code METADATA FROM
     * 'key'} is declared ({@link RedisReadableMetadata#keyType}).
     */
    final DataType keyMetadataType;

    /** The Flink format decoding a string's value (or a stream entry's field), or null. */
    @Nullable final DecodingFormat<DeserializationSchema<RowData>> valueFormat;

    /** The name of the value format (option {@code format}), or null. */
    @Nullable final String valueFormatName;

    final ZoneId localTimeZone;

    RedisSourceSchema(
            DataType physicalRowType,
            int[] primaryKeyIndices,
            Map<String, Set<String>> metadataColumns,
            DataType keyMetadataType,
            @Nullable DecodingFormat<DeserializationSchema<RowData>> valueFormat,
            @Nullable String valueFormatName,
            ZoneId localTimeZone) {
        this.physicalRowType = physicalRowType;
        this.primaryKeyIndices = primaryKeyIndices.clone();
        this.metadataColumns =
                metadataColumns.entrySet().stream()
                        .collect(
                                Collectors.toUnmodifiableMap(
                                        Map.Entry::getKey, e -> Set.copyOf(e.getValue())));
        this.keyMetadataType = keyMetadataType;
        this.valueFormat = valueFormat;
        this.valueFormatName = valueFormatName;
        this.localTimeZone = localTimeZone;
    }

    /** The columns {@code METADATA FROM 'key'} (for key filter pushdown). */
    Set<String> keyColumns() {
        return metadataColumns.getOrDefault(RedisReadableMetadata.KEY.key(), Set.of());
    }

    RowType physical() {
        return (RowType) physicalRowType.getLogicalType();
    }

    List<String> fieldNames() {
        return physical().getFieldNames();
    }

    int fieldCount() {
        return physical().getFieldCount();
    }

    /** The indexes of the PRIMARY KEY columns among the physical columns. */
    int[] primaryKeyIndices() {
        return primaryKeyIndices.clone();
    }

    /** Whether physical column {@code index} is a PRIMARY KEY column. */
    boolean isPrimaryKey(int index) {
        for (int i : primaryKeyIndices) {
            if (i == index) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RedisSourceSchema)) {
            return false;
        }
        RedisSourceSchema that = (RedisSourceSchema) o;
        return physicalRowType.equals(that.physicalRowType)
                && Arrays.equals(primaryKeyIndices, that.primaryKeyIndices)
                && metadataColumns.equals(that.metadataColumns)
                && keyMetadataType.equals(that.keyMetadataType)
                && Objects.equals(valueFormat, that.valueFormat)
                && Objects.equals(valueFormatName, that.valueFormatName)
                && localTimeZone.equals(that.localTimeZone);
    }

    @Override
    public int hashCode() {
        return Objects.hash(physicalRowType, Arrays.hashCode(primaryKeyIndices), metadataColumns);
    }
}
