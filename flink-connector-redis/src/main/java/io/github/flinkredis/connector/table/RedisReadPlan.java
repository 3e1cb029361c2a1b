package io.github.flinkredis.connector.table;

import io.github.flinkredis.connector.config.ParseErrorPolicy;
import io.github.flinkredis.connector.config.RedisTableLayout;
import io.github.flinkredis.connector.convert.RedisColumnSource;
import io.github.flinkredis.connector.convert.RedisRowColumn;
import io.github.flinkredis.connector.convert.RedisRowDataDeserializer;
import io.github.flinkredis.connector.types.RedisTypes;
import io.github.flinkredis.connector.types.spi.RedisMetadataColumn;
import io.github.flinkredis.connector.types.spi.RedisReadSettings;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.types.RowKind;

/**
 * What a read of a table's produced columns needs: the deserializer, the fields to fetch of each
 * key (hash fields, a string's value, JSON members, parts of a member's record, a stream entry's
 * fields), and whether to fetch each key's TTL (PTTL) and a series' labels (TS.INFO). Built once
 * per source or lookup, when the planner asks for its runtime provider.
 */
@Internal
final class RedisReadPlan {

    final RedisRowDataDeserializer deserializer;
    final List<String> fields;
    final boolean fetchTtl;
    final boolean fetchLabels;

    private RedisReadPlan(
            RedisRowDataDeserializer deserializer,
            List<String> fields,
            boolean fetchTtl,
            boolean fetchLabels) {
        this.deserializer = deserializer;
        this.fields = fields;
        this.fetchTtl = fetchTtl;
        this.fetchLabels = fetchLabels;
    }

    /**
     * The read of the physical columns {@code projectedFields} and then the metadata {@code
     * metadataKeys}, producing rows of {@code producedDataType}.
     *
     * @param layout what the table's keys and columns mean
     * @param parseErrorPolicy what a value that does not parse does ({@code
     *     scan.parse-error.policy})
     * @param keyPartIndices the PRIMARY KEY columns parsed from the key, in key order
     */
    static RedisReadPlan of(
            RedisSourceSchema schema,
            RedisTableLayout layout,
            ParseErrorPolicy parseErrorPolicy,
            RedisReadSettings settings,
            int[] keyPartIndices,
            int[] projectedFields,
            List<String> metadataKeys,
            DataType producedDataType,
            DynamicTableSource.Context context) {
        RedisTypeHandler handler = RedisTypes.of(layout.dataType());
        List<RedisRowColumn> columns = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        List<Integer> valueColumns = valueColumns(schema);
        boolean labelsSelected = false;
        for (int index : projectedFields) {
            String name = schema.fieldNames().get(index);
            int keyPart = indexOf(keyPartIndices, index);
            String memberPart = layout.memberPartOf(name);
            LogicalType type = schema.physical().getTypeAt(index);
            RedisColumnSource source = null;
            int position = -1;
            if (settings.labelColumns().contains(name) && keyPart < 0) {
                source = RedisColumnSource.LABEL;
                labelsSelected = true;
            } else if (keyPart >= 0 && memberPart == null) {
                source = RedisColumnSource.KEY_PART;
                position = keyPart;
            } else if (schema.valueFormat != null) {
                source = RedisColumnSource.VALUE_FORMAT;
                position = valueColumns.indexOf(index);
                if (fields.isEmpty()) {
                    fields.add(settings.valueFormatField());
                }
            }
            if (source != null) {
                columns.add(new RedisRowColumn(name, source, position, type, schema.localTimeZone));
            } else {
                // a hash field, a string's value, a JSON member, or a part of a member's record
                columns.add(handler.fieldColumn(name, fields.size(), type, schema.localTimeZone));
                fields.add(memberPart != null ? memberPart : name);
            }
        }
        boolean fetchTtl = false;
        boolean fetchLabels = labelsSelected;
        for (String key : metadataKeys) {
            RedisMetadataColumn m = RedisReadableMetadata.of(key, handler);
            fetchTtl |= m.equals(RedisReadableMetadata.TTL);
            fetchLabels |= m.source().readsLabels();
            DataType type = RedisReadableMetadata.typeOf(m, schema.keyMetadataType);
            columns.add(
                    new RedisRowColumn(
                            key, m.source(), -1, type.getLogicalType(), schema.localTimeZone));
        }
        TypeInformation<RowData> typeInfo = context.createTypeInformation(producedDataType);
        RedisRowDataDeserializer deserializer =
                new RedisRowDataDeserializer(
                        columns,
                        layout.keyPrefix(),
                        layout.keySeparator(),
                        keyPartIndices.length,
                        parseErrorPolicy,
                        typeInfo);
        if (schema.valueFormat != null) {
            withValueFormat(deserializer, schema, valueColumns, context);
        }
        return new RedisReadPlan(deserializer, fields, fetchTtl, fetchLabels);
    }

    /** Decodes the value columns with the table's format. */
    private static void withValueFormat(
            RedisRowDataDeserializer deserializer,
            RedisSourceSchema schema,
            List<Integer> valueColumns,
            DynamicTableSource.Context context) {
        List<DataTypes.Field> valueFields = new ArrayList<>();
        List<LogicalType> valueTypes = new ArrayList<>();
        for (int index : valueColumns) {
            DataType type = schema.physicalRowType.getChildren().get(index);
            valueFields.add(DataTypes.FIELD(schema.fieldNames().get(index), type));
            valueTypes.add(type.getLogicalType());
        }
        deserializer.withValueFormat(
                schema.valueFormat.createRuntimeDecoder(context, DataTypes.ROW(valueFields)),
                schema.valueFormatName,
                valueTypes,
                schema.valueFormat.getChangelogMode().containsOnly(RowKind.INSERT));
    }

    /** The physical columns the value format decodes: every one outside the PRIMARY KEY. */
    private static List<Integer> valueColumns(RedisSourceSchema schema) {
        List<Integer> values = new ArrayList<>();
        for (int i = 0; i < schema.fieldCount(); i++) {
            if (!schema.isPrimaryKey(i)) {
                values.add(i);
            }
        }
        return values;
    }

    static int indexOf(int[] array, int value) {
        for (int i = 0; i < array.length; i++) {
            if (array[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
