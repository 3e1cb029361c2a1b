package io.github.flinkredis.connector.table;

import static io.github.flinkredis.connector.config.RedisConnectorOptions.CLIENT_NAME;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.CLUSTER_MODE;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.CLUSTER_TOPOLOGY_REFRESH_PERIOD;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.COMMAND_TIMEOUT;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.CONNECT_TIMEOUT;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.DATABASE;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.DATA_TYPE;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.ELEMENT_COLUMN;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.INDEX_COLUMN;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.JSON_PATH;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.KEY_PATTERN;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.KEY_PREFIX;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.KEY_SEPARATOR;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.LABEL_COLUMNS;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.LOOKUP_ASYNC;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.MEMBER_COLUMN;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.PASSWORD;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.RANK_COLUMN;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.READ_FROM;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_BATCH_SIZE;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_COUNT;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_FILTER_PUSH_DOWN_ENABLED;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_MAX_BATCHES_IN_FLIGHT;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_MEMBER_PAGE_SIZE;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_PARSE_ERROR_POLICY;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCORE_COLUMN;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SENTINEL_PASSWORD;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SINK_BUFFER_FLUSH_INTERVAL;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SINK_BUFFER_FLUSH_MAX_ROWS;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SINK_DEAD_LETTER_MAX_LENGTH;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SINK_DEAD_LETTER_STREAM;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SINK_ERROR_POLICY;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SINK_HASH_FIELD_TTL;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SINK_MAX_BATCHES_IN_FLIGHT;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SINK_MAX_RETRIES;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SINK_STREAM_MAX_LENGTH;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SINK_TIMESERIES_DUPLICATE_POLICY;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SINK_TTL;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SINK_TTL_MODE;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SINK_WRITE_MODE;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.TIMESTAMP_COLUMN;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.TLS_CA_FILE;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.TLS_CERT_FILE;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.TLS_KEYSTORE;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.TLS_KEYSTORE_PASSWORD;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.TLS_KEY_FILE;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.TLS_KEY_PASSWORD;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.TLS_TRUSTSTORE;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.TLS_TRUSTSTORE_PASSWORD;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.TLS_VERIFY;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.URL;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.USERNAME;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.VALUE_COLUMN;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.VALUE_FIELD;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisConnectorOptions;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisScanOptions;
import io.github.flinkredis.connector.config.RedisSearchAggregatePushdown;
import io.github.flinkredis.connector.config.RedisTableLayout;
import io.github.flinkredis.connector.convert.RedisValueParsers;
import io.github.flinkredis.connector.lookup.RedisLookupOptions;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.types.RedisTypes;
import io.github.flinkredis.connector.types.spi.RedisReadSettings;
import io.github.flinkredis.connector.types.spi.RedisTableContext;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.lookup.LookupOptions;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DeserializationFormatFactory;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/**
 * Creates the sources and sinks of redis tables from {@code CREATE TABLE ... WITH ('connector' =
 * 'redis', ...)}: first validation, then immutable values passed through the constructors (like
 * flink-connector-mongodb's factory): the connection, layout, write and lookup options ({@link
 * RedisTableOptions}), the read settings of the table's data type ({@link
 * io.github.flinkredis.connector.types.spi.RedisTypeHandler#readSettings}: a stream's positions, a
 * timeseries' aggregation) and the columns ({@link RedisSourceSchema}).
 *
 * <p>Validates every option and the schema when the table is used (the planner calls the factory
 * then), with messages naming the option or column and the value at fault: the checks common to all
 * data types here, those of one data type by its handler ({@link
 * io.github.flinkredis.connector.types.spi.RedisTypeHandler#validate}).
 */
@Internal
public class RedisDynamicTableFactory
        implements DynamicTableSourceFactory, DynamicTableSinkFactory {

    public static final String IDENTIFIER = "redis";

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(URL);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        Set<ConfigOption<?>> options = new HashSet<>();
        for (RedisDataType type : RedisDataType.values()) {
            options.addAll(RedisTypes.of(type).ownOptions());
        }
        options.addAll(RedisArrowTables.OPTIONS);
        options.addAll(
                List.of(
                        USERNAME,
                        PASSWORD,
                        DATABASE,
                        CONNECT_TIMEOUT,
                        COMMAND_TIMEOUT,
                        CLIENT_NAME,
                        CLUSTER_MODE,
                        CLUSTER_TOPOLOGY_REFRESH_PERIOD,
                        SENTINEL_PASSWORD,
                        TLS_VERIFY,
                        TLS_TRUSTSTORE,
                        TLS_TRUSTSTORE_PASSWORD,
                        TLS_CA_FILE,
                        TLS_KEYSTORE,
                        TLS_KEYSTORE_PASSWORD,
                        TLS_CERT_FILE,
                        TLS_KEY_FILE,
                        TLS_KEY_PASSWORD,
                        DATA_TYPE,
                        KEY_PREFIX,
                        KEY_SEPARATOR,
                        KEY_PATTERN,
                        SCAN_COUNT,
                        READ_FROM,
                        SCAN_BATCH_SIZE,
                        SCAN_MAX_BATCHES_IN_FLIGHT,
                        SCAN_FILTER_PUSH_DOWN_ENABLED,
                        RedisConnectorOptions.SEARCH_INDEX,
                        RedisConnectorOptions.SEARCH_AGGREGATE_PUSHDOWN,
                        SCAN_MEMBER_PAGE_SIZE,
                        JSON_PATH,
                        MEMBER_COLUMN,
                        SCORE_COLUMN,
                        RANK_COLUMN,
                        ELEMENT_COLUMN,
                        INDEX_COLUMN,
                        TIMESTAMP_COLUMN,
                        VALUE_COLUMN,
                        LABEL_COLUMNS,
                        FactoryUtil.FORMAT,
                        SCAN_PARSE_ERROR_POLICY,
                        FactoryUtil.SOURCE_PARALLELISM,
                        SINK_BUFFER_FLUSH_MAX_ROWS,
                        SINK_BUFFER_FLUSH_INTERVAL,
                        SINK_MAX_BATCHES_IN_FLIGHT,
                        SINK_MAX_RETRIES,
                        SINK_TTL,
                        SINK_TTL_MODE,
                        SINK_HASH_FIELD_TTL,
                        SINK_ERROR_POLICY,
                        SINK_DEAD_LETTER_STREAM,
                        SINK_DEAD_LETTER_MAX_LENGTH,
                        SINK_WRITE_MODE,
                        SINK_STREAM_MAX_LENGTH,
                        SINK_TIMESERIES_DUPLICATE_POLICY,
                        FactoryUtil.SINK_PARALLELISM,
                        LOOKUP_ASYNC,
                        LookupOptions.CACHE_TYPE,
                        LookupOptions.MAX_RETRIES,
                        LookupOptions.PARTIAL_CACHE_EXPIRE_AFTER_ACCESS,
                        LookupOptions.PARTIAL_CACHE_EXPIRE_AFTER_WRITE,
                        LookupOptions.PARTIAL_CACHE_CACHE_MISSING_KEY,
                        LookupOptions.PARTIAL_CACHE_MAX_ROWS,
                        LookupOptions.FULL_CACHE_RELOAD_STRATEGY,
                        LookupOptions.FULL_CACHE_PERIODIC_RELOAD_INTERVAL,
                        LookupOptions.FULL_CACHE_PERIODIC_RELOAD_SCHEDULE_MODE,
                        LookupOptions.FULL_CACHE_TIMED_RELOAD_ISO_TIME,
                        LookupOptions.FULL_CACHE_TIMED_RELOAD_INTERVAL_IN_DAYS));
        return options;
    }

    /**
     * A sink writing the table's rows, of every data type. Each row's key comes from a writable
     * metadata column {@code key}, or from {@code key.prefix} and the PRIMARY KEY columns that are
     * not parts of a record (member, index, timestamp), or, for a table without such columns, from
     * a {@code key.pattern} without glob characters (the one key the table holds).
     */
    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        helper.validate();
        ReadableConfig options = helper.getOptions();
        if (RedisArrowTables.isArrow(options)) {
            return RedisArrowTables.sink(context, options);
        }
        RedisConnectionConfig connection = RedisTableOptions.connectionConfig(options);
        RedisTableLayout layout = RedisTableOptions.layout(options);
        // checked as for a source, though a sink does not scan: one table declaration is read and
        // written alike
        RedisTableOptions.scanOptions(options);
        ResolvedSchema schema = context.getCatalogTable().getResolvedSchema();
        int[] primaryKey = context.getPrimaryKeyIndexes();
        RedisDataType type = layout.dataType();
        RedisTypeHandler handler = RedisTypes.of(type);
        if (options.getOptional(FactoryUtil.FORMAT).isPresent()) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' is not supported for writing yet: write the value as"
                                    + " one column.",
                            FactoryUtil.FORMAT.key()));
        }
        RedisTableContext table =
                new RedisTableContext(schema, primaryKey, options, layout, true, false);
        List<String> labelColumns = handler.labelColumns(table);
        validateSchema(schema, layout, primaryKey, false);
        handler.validate(table);
        if (!handler.recordParts().isEmpty()) {
            validateMemberColumns(schema, layout, primaryKey, labelColumns);
        }
        List<String> names =
                schema.getColumns().stream()
                        .filter(Column::isPhysical)
                        .map(Column::getName)
                        .collect(Collectors.toList());
        int[] keyParts = layout.keyParts(names, primaryKey);
        checkSinkKey(schema, layout, primaryKey, keyParts, handler);
        return new RedisDynamicTableSink(
                connection,
                layout,
                RedisTableOptions.writeOptions(options, type),
                context.getPhysicalRowDataType(),
                primaryKey,
                keyParts,
                labelColumns,
                options.getOptional(FactoryUtil.SINK_PARALLELISM).orElse(null),
                RedisReadableMetadata.keyType(RedisReadableMetadata.declaredKeyType(schema, true))
                        .nullable());
    }

    /**
     * Fails unless a sink gets each row's key: from PRIMARY KEY columns, a written column {@code
     * METADATA FROM 'key'}, or a {@code key.pattern} naming one key.
     */
    private static void checkSinkKey(
            ResolvedSchema schema,
            RedisTableLayout layout,
            int[] primaryKey,
            int[] keyParts,
            RedisTypeHandler handler) {
        // a written column METADATA FROM 'key'
        boolean keyColumn = RedisReadableMetadata.declaredKeyType(schema, true) != null;
        if (keyParts.length == 0 && !keyColumn && layout.literalKey() == null) {
            throw new ValidationException(
                    String.format(
                            "Writing to a redis table needs the key of each row: PRIMARY KEY"
                                    + " columns that build it ('%s' + the values joined by"
                                    + " '%s')%s, a column METADATA FROM 'key' with the full key,"
                                    + " or option '%s' naming one key (no glob characters); this"
                                    + " table has %s and '%s' = '%s'.",
                            layout.keyPrefix(),
                            layout.keySeparator(),
                            handler.recordParts().isEmpty()
                                    ? ""
                                    : " besides the columns of a record",
                            KEY_PATTERN.key(),
                            primaryKey.length == 0 ? "no PRIMARY KEY" : "no such key column",
                            KEY_PATTERN.key(),
                            layout.keyPattern()));
        }
    }

    @Override
    public DynamicTableSource createDynamicTableSource(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        Optional<DecodingFormat<DeserializationSchema<RowData>>> valueFormat =
                helper.discoverOptionalDecodingFormat(
                        DeserializationFormatFactory.class, FactoryUtil.FORMAT);
        helper.validate();
        ReadableConfig options = helper.getOptions();
        if (RedisArrowTables.isArrow(options)) {
            return RedisArrowTables.source(context, options);
        }

        RedisConnectionConfig connection = RedisTableOptions.connectionConfig(options);
        RedisTableLayout layout = RedisTableOptions.layout(options);
        RedisScanOptions scan = RedisTableOptions.scanOptions(options);
        ResolvedSchema schema = context.getCatalogTable().getResolvedSchema();
        int[] primaryKey = context.getPrimaryKeyIndexes();
        RedisTypeHandler handler = RedisTypes.of(layout.dataType());
        RedisTableContext table =
                new RedisTableContext(
                        schema, primaryKey, options, layout, false, valueFormat.isPresent());
        List<String> labelColumns = handler.labelColumns(table);
        if (valueFormat.isPresent() && !handler.acceptsValueFormat()) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' decodes the values of strings, or one field of stream"
                                    + " entries: it applies to '%s' = 'string' or 'stream' only,"
                                    + " not '%s'.",
                            FactoryUtil.FORMAT.key(), DATA_TYPE.key(), layout.dataType()));
        }
        if (valueFormat.isEmpty() && options.getOptional(VALUE_FIELD).isPresent()) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' names the field a format decodes: it needs option '%s'.",
                            VALUE_FIELD.key(), FactoryUtil.FORMAT.key()));
        }
        validateSchema(schema, layout, primaryKey, valueFormat.isPresent());
        handler.validate(table);
        if (!handler.recordParts().isEmpty()) {
            validateMemberColumns(schema, layout, primaryKey, labelColumns);
        }
        RedisReadSettings readSettings = handler.readSettings(table, connection);
        RedisSourceSchema sourceSchema =
                sourceSchema(context, schema, valueFormat.orElse(null), options);
        RedisLookupOptions lookup = RedisTableOptions.lookupOptions(options);
        RedisSearchAggregatePushdown aggregates =
                options.get(RedisConnectorOptions.SEARCH_AGGREGATE_PUSHDOWN);
        return aggregates != RedisSearchAggregatePushdown.NONE
                        && mayCount(layout, scan, sourceSchema)
                ? new RedisCountingTableSource(
                        connection, layout, scan, sourceSchema, readSettings, lookup, aggregates)
                : new RedisDynamicTableSource(
                        connection, layout, scan, sourceSchema, readSettings, lookup);
    }

    /**
     * Whether a RediSearch index may count the table ({@link RedisCountingTableSource}): hashes
     * with a key prefix, no value format, {@code search.index} not {@code none}, and no DECIMAL
     * column (Flink 2.2 fails to plan AVG of a DECIMAL column on a source that takes aggregates).
     */
    private static boolean mayCount(
            RedisTableLayout layout, RedisScanOptions scan, RedisSourceSchema schema) {
        return layout.dataType() == RedisDataType.HASH
                && layout.isPrefixPattern()
                && schema.valueFormat == null
                && !scan.searchIndex().equals(RedisScanOptions.SEARCH_INDEX_NONE)
                && schema.physical().getChildren().stream()
                        .noneMatch(t -> t.getTypeRoot() == LogicalTypeRoot.DECIMAL);
    }

    /** The columns of a table's source: physical, PRIMARY KEY, metadata, value format. */
    private static RedisSourceSchema sourceSchema(
            Context context,
            ResolvedSchema schema,
            @Nullable DecodingFormat<DeserializationSchema<RowData>> valueFormat,
            ReadableConfig options) {
        Map<String, Set<String>> metadataColumns = new HashMap<>();
        for (Column column : schema.getColumns()) {
            if (column instanceof Column.MetadataColumn) {
                Column.MetadataColumn m = (Column.MetadataColumn) column;
                metadataColumns
                        .computeIfAbsent(
                                m.getMetadataKey().orElse(m.getName()), k -> new HashSet<>())
                        .add(m.getName());
            }
        }
        return new RedisSourceSchema(
                context.getPhysicalRowDataType(),
                context.getPrimaryKeyIndexes(),
                metadataColumns,
                RedisReadableMetadata.keyType(RedisReadableMetadata.declaredKeyType(schema, false)),
                valueFormat,
                options.getOptional(FactoryUtil.FORMAT).orElse(null),
                RedisTableOptions.localTimeZone(context.getConfiguration()));
    }

    /**
     * Checks the columns of a set, list or zset table: each physical column is a part of the record
     * (named by the {@code *.column} options) or a PRIMARY KEY column parsed from the key; the
     * parts the type needs are there, with their types; and a PRIMARY KEY includes the column that
     * tells the rows of one key apart (the member, or a list's index).
     */
    private static void validateMemberColumns(
            ResolvedSchema schema, RedisTableLayout layout, int[] pk, List<String> labelColumns) {
        RedisDataType type = layout.dataType();
        Map<String, String> parts = layout.memberColumns();
        List<Column> physical =
                schema.getColumns().stream()
                        .filter(Column::isPhysical)
                        .collect(Collectors.toList());
        Set<String> pkNames = new HashSet<>();
        for (int i : pk) {
            pkNames.add(physical.get(i).getName());
        }
        Map<String, Column> byName = new LinkedHashMap<>();
        for (Column c : physical) {
            byName.put(c.getName(), c);
            if (layout.memberPartOf(c.getName()) == null
                    && !pkNames.contains(c.getName())
                    && !labelColumns.contains(c.getName())) {
                throw new ValidationException(
                        String.format(
                                "Column '%s' of a table with 'data-type' = '%s' is none of the"
                                        + " columns of its rows (%s) and not a PRIMARY KEY"
                                        + " column parsed from the key. Declare it as one of"
                                        + " those, rename the columns with options %s, or use a"
                                        + " metadata column.",
                                c.getName(),
                                type,
                                describeParts(parts),
                                RedisTableOptions.memberOptionKeys(type)));
            }
        }
        RedisTypeHandler handler = RedisTypes.of(type);
        for (String required : handler.requiredParts()) {
            String column = parts.get(required);
            if (!byName.containsKey(column)) {
                throw new ValidationException(
                        String.format(
                                "A table with 'data-type' = '%s' needs a column for the %s of"
                                        + " each row, named '%s' (option '%s'), but it has"
                                        + " none. Its columns: %s.",
                                type,
                                required,
                                column,
                                RedisTableOptions.MEMBER_COLUMN_OPTIONS.get(required).key(),
                                byName.keySet()));
            }
        }
        for (Map.Entry<String, String> e : parts.entrySet()) {
            Column c = byName.get(e.getValue());
            List<LogicalTypeRoot> allowed = allowedRoots(e.getKey());
            if (c != null
                    && !allowed.isEmpty()
                    && !allowed.contains(c.getDataType().getLogicalType().getTypeRoot())) {
                throw new ValidationException(
                        String.format(
                                "Column '%s' holds the %s of a '%s' table's rows, so it must be"
                                        + " %s, not %s.",
                                c.getName(),
                                e.getKey(),
                                type,
                                allowed.size() == 1 ? allowed.get(0) : "one of " + allowed,
                                c.getDataType().getLogicalType()));
            }
        }
        if (pk.length > 0) {
            String identifyingPart = handler.identifyingPart();
            String identifying = parts.get(identifyingPart);
            if (!pkNames.contains(identifying)) {
                throw new ValidationException(
                        String.format(
                                "The PRIMARY KEY %s of a table with 'data-type' = '%s' must"
                                        + " include column '%s': a key holds many rows, which"
                                        + " only the %s tells apart. The PRIMARY KEY columns"
                                        + " other than %s are parsed from the key.",
                                pkNames, type, identifying, identifyingPart, describeParts(parts)));
            }
        }
    }

    /** The types a record part's column may have; empty: any the data type can hold. */
    private static List<LogicalTypeRoot> allowedRoots(String part) {
        switch (part) {
            case RedisReadSpec.SCORE:
                return List.of(LogicalTypeRoot.DOUBLE);
            case RedisReadSpec.RANK:
            case RedisReadSpec.INDEX:
                return List.of(LogicalTypeRoot.BIGINT);
            case RedisReadSpec.TIMESTAMP:
                return List.of(
                        LogicalTypeRoot.TIMESTAMP_WITH_LOCAL_TIME_ZONE,
                        LogicalTypeRoot.TIMESTAMP_WITHOUT_TIME_ZONE,
                        LogicalTypeRoot.BIGINT);
            case RedisReadSpec.VALUE:
                return List.of(
                        LogicalTypeRoot.DOUBLE,
                        LogicalTypeRoot.FLOAT,
                        LogicalTypeRoot.TINYINT,
                        LogicalTypeRoot.SMALLINT,
                        LogicalTypeRoot.INTEGER,
                        LogicalTypeRoot.BIGINT,
                        LogicalTypeRoot.DECIMAL);
            default:
                return List.of();
        }
    }

    private static String describeParts(Map<String, String> parts) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : parts.entrySet()) {
            out.add("'" + e.getValue() + "' (" + e.getKey() + ")");
        }
        return String.join(", ", out);
    }

    /**
     * Checks the type of each physical column: a PRIMARY KEY column is parsed from the key, a value
     * column is read by the data type ({@link RedisTypeHandler#supportsValueType}) or decoded by
     * the format, which decides which types it can decode.
     */
    private static void validateSchema(
            ResolvedSchema schema, RedisTableLayout layout, int[] pk, boolean valueFormat) {
        RedisTypeHandler handler = RedisTypes.of(layout.dataType());
        List<Column> physical =
                schema.getColumns().stream()
                        .filter(Column::isPhysical)
                        .collect(Collectors.toList());
        Set<Integer> keyIndices = Arrays.stream(pk).boxed().collect(Collectors.toSet());
        for (int i = 0; i < physical.size(); i++) {
            Column column = physical.get(i);
            boolean value = !keyIndices.contains(i);
            if (valueFormat && value) {
                continue; // the format decides which types it can decode
            }
            LogicalType type = column.getDataType().getLogicalType();
            boolean supported =
                    value ? handler.supportsValueType(type) : RedisValueParsers.isSupported(type);
            if (!supported) {
                throw new ValidationException(
                        String.format(
                                "Column '%s' has type %s, which data type '%s' cannot read. %s",
                                column.getName(),
                                type,
                                layout.dataType(),
                                value
                                        ? handler.describeSupportedValueTypes()
                                        : RedisTypeHandler.SCALAR_TYPES));
            }
        }
    }
}
