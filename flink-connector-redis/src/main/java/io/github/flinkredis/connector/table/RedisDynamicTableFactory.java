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
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_BOUNDED_MODE;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_BOUNDED_SPECIFIC_IDS;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_BOUNDED_TIMESTAMP_MILLIS;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_CLAIM_MIN_IDLE_TIME;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_CONSUMER_GROUP;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_CONSUMER_NAME;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_COUNT;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_DISCOVERY_INTERVAL;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_FILTER_PUSH_DOWN_ENABLED;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_MAX_BATCHES_IN_FLIGHT;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_MEMBER_PAGE_SIZE;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_PARSE_ERROR_POLICY;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_STARTUP_MODE;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_STARTUP_SPECIFIC_IDS;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_STARTUP_TIMESTAMP_MILLIS;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_STREAM_BLOCK;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_STREAM_TRIMMED_POLICY;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_TIMESERIES_AGGREGATION;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_TIMESERIES_ALIGN;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_TIMESERIES_BUCKET_DURATION;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_TIMESERIES_BUCKET_TIMESTAMP;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_TIMESERIES_EMPTY;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_TIMESERIES_LABEL_FILTER;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCORE_COLUMN;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SENTINEL_PASSWORD;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SINK_BUFFER_FLUSH_INTERVAL;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SINK_BUFFER_FLUSH_MAX_ROWS;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SINK_MAX_BATCHES_IN_FLIGHT;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SINK_MAX_RETRIES;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SINK_STREAM_MAX_LENGTH;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SINK_TIMESERIES_DUPLICATE_POLICY;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SINK_TTL;
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
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisScanOptions;
import io.github.flinkredis.connector.config.RedisTlsOptions;
import io.github.flinkredis.connector.config.RedisWriteOptions;
import io.github.flinkredis.connector.config.StreamBoundedMode;
import io.github.flinkredis.connector.config.StreamStartupMode;
import io.github.flinkredis.connector.config.TimeSeriesAggregator;
import io.github.flinkredis.connector.convert.RedisValueParsers;
import io.github.flinkredis.connector.lookup.RedisLookupOptions;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.model.RedisStreamConsumer;
import io.github.flinkredis.connector.model.RedisStreamEntryId;
import io.github.flinkredis.connector.model.RedisStreamPositions;
import io.github.flinkredis.connector.model.RedisTimeSeriesAggregation;
import io.github.flinkredis.connector.types.RedisTypes;
import io.github.flinkredis.connector.types.spi.RedisTableContext;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
import io.github.flinkredis.connector.types.stream.RedisStreamOptions;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.lookup.LookupOptions;
import org.apache.flink.table.connector.source.lookup.cache.DefaultLookupCache;
import org.apache.flink.table.connector.source.lookup.cache.LookupCache;
import org.apache.flink.table.connector.source.lookup.cache.trigger.CacheReloadTrigger;
import org.apache.flink.table.connector.source.lookup.cache.trigger.PeriodicCacheReloadTrigger;
import org.apache.flink.table.connector.source.lookup.cache.trigger.TimedCacheReloadTrigger;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DeserializationFormatFactory;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/**
 * Creates redis table sources from {@code CREATE TABLE ... WITH ('connector' = 'redis', ...)}.
 *
 * <p>Validates every option and the schema when the table is used (the planner calls the factory
 * then), with messages naming the option or column and the value at fault.
 */
@Internal
public class RedisDynamicTableFactory
        implements DynamicTableSourceFactory, DynamicTableSinkFactory {

    public static final String IDENTIFIER = "redis";

    /** Flink's session time zone option, read here without depending on the table API module. */
    private static final ConfigOption<String> LOCAL_TIME_ZONE =
            ConfigOptions.key("table.local-time-zone").stringType().defaultValue("default");

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
        RedisConnectionConfig connection = connectionConfig(options);
        RedisScanOptions layout = scanOptions(options);
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
        List<String> labelColumns = labelColumns(options, schema);
        validateSchema(schema, layout, primaryKey, false);
        handler.validate(new RedisTableContext(schema, primaryKey, options, layout, true, false));
        if (!handler.recordParts().isEmpty()) {
            validateMemberColumns(schema, layout, primaryKey, labelColumns);
        }
        List<String> names =
                schema.getColumns().stream()
                        .filter(Column::isPhysical)
                        .map(Column::getName)
                        .collect(Collectors.toList());
        int[] keyParts = layout.keyParts(names, primaryKey);
        boolean keyColumn =
                schema.getColumns().stream()
                        .anyMatch(
                                c ->
                                        c instanceof Column.MetadataColumn
                                                && !((Column.MetadataColumn) c).isVirtual()
                                                && RedisReadableMetadata.KEY.key.equals(
                                                        ((Column.MetadataColumn) c)
                                                                .getMetadataKey()
                                                                .orElse(c.getName())));
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
        RedisWriteOptions write;
        try {
            write =
                    new RedisWriteOptions(
                            type,
                            positive(options, SINK_BUFFER_FLUSH_MAX_ROWS),
                            options.get(SINK_BUFFER_FLUSH_INTERVAL),
                            positive(options, SINK_MAX_BATCHES_IN_FLIGHT),
                            notNegative(options, SINK_MAX_RETRIES),
                            options.getOptional(SINK_TTL).orElse(null),
                            options.get(SINK_WRITE_MODE));
        } catch (IllegalArgumentException e) {
            throw new ValidationException(
                    "Invalid value for option '" + SINK_WRITE_MODE.key() + "': " + e.getMessage());
        }
        options.getOptional(SINK_TTL)
                .filter(ttl -> ttl.toMillis() < 1)
                .ifPresent(
                        ttl -> {
                            // PEXPIRE key 0 would delete every key written
                            throw new ValidationException(
                                    String.format(
                                            "Invalid value '%s' for option '%s': a time to live"
                                                    + " must be at least 1 ms.",
                                            org.apache.flink.util.TimeUtils.formatWithHighestUnit(
                                                    ttl),
                                            SINK_TTL.key()));
                        });
        write = write.withDuplicatePolicy(options.get(SINK_TIMESERIES_DUPLICATE_POLICY));
        Long maxLength = options.getOptional(SINK_STREAM_MAX_LENGTH).orElse(null);
        if (maxLength != null) {
            if (maxLength < 0) {
                throw new ValidationException(
                        String.format(
                                "Invalid value %d for option '%s': must be 0 or more.",
                                maxLength, SINK_STREAM_MAX_LENGTH.key()));
            }
            write = write.withStreamMaxLength(maxLength);
        }
        return new RedisDynamicTableSink(
                connection,
                layout,
                write,
                context.getPhysicalRowDataType(),
                primaryKey,
                keyParts,
                labelColumns,
                options.getOptional(FactoryUtil.SINK_PARALLELISM).orElse(null),
                RedisReadableMetadata.keyType(RedisReadableMetadata.declaredKeyType(schema, true))
                        .nullable());
    }

    /**
     * Fails if the table sets an option that only tables of another data type take ({@link
     * RedisTypeHandler#ownOptions}), naming the option and the data types it applies to.
     */
    private static void rejectOptionsOfOtherTypes(ReadableConfig options, RedisDataType actual) {
        for (RedisDataType owner : RedisDataType.values()) {
            if (owner == actual) {
                continue;
            }
            for (ConfigOption<?> option : RedisTypes.of(owner).ownOptions()) {
                if (options.getOptional(option).isPresent()
                        && !RedisTypes.of(actual).ownOptions().contains(option)) {
                    throw new ValidationException(
                            String.format(
                                    "Option '%s' applies to '%s' = '%s' only, not '%s'.",
                                    option.key(), DATA_TYPE.key(), owner, actual));
                }
            }
        }
    }

    /** The 'label.columns' option: physical columns of a timeseries table, checked. */
    private static List<String> labelColumns(ReadableConfig options, ResolvedSchema schema) {
        List<String> labels = options.getOptional(LABEL_COLUMNS).orElse(List.of());
        for (String label : labels) {
            boolean physical = schema.getColumn(label).map(Column::isPhysical).orElse(false);
            if (!physical) {
                throw new ValidationException(
                        String.format(
                                "Option '%s' names '%s', which is not a physical column of the"
                                        + " table. Its columns: %s.",
                                LABEL_COLUMNS.key(), label, schema.getColumnNames()));
            }
        }
        return labels;
    }

    private static int notNegative(ReadableConfig options, ConfigOption<Integer> option) {
        int value = options.get(option);
        if (value < 0) {
            throw new ValidationException(
                    String.format(
                            "Invalid value %d for option '%s': must be 0 or more.",
                            value, option.key()));
        }
        return value;
    }

    @Override
    public DynamicTableSource createDynamicTableSource(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        Optional<DecodingFormat<DeserializationSchema<RowData>>> valueFormat =
                helper.discoverOptionalDecodingFormat(
                        DeserializationFormatFactory.class, FactoryUtil.FORMAT);
        helper.validate();
        ReadableConfig options = helper.getOptions();

        RedisConnectionConfig connection = connectionConfig(options);
        RedisScanOptions scan = scanOptions(options);
        ResolvedSchema schema = context.getCatalogTable().getResolvedSchema();
        int[] primaryKey = context.getPrimaryKeyIndexes();
        RedisTypeHandler handler = RedisTypes.of(scan.dataType());
        List<String> labelColumns = labelColumns(options, schema);
        if (valueFormat.isPresent() && !handler.acceptsValueFormat()) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' decodes the values of strings, or one field of stream"
                                    + " entries: it applies to '%s' = 'string' or 'stream' only,"
                                    + " not '%s'.",
                            FactoryUtil.FORMAT.key(), DATA_TYPE.key(), scan.dataType()));
        }
        if (valueFormat.isEmpty() && options.getOptional(VALUE_FIELD).isPresent()) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' names the field a format decodes: it needs option '%s'.",
                            VALUE_FIELD.key(), FactoryUtil.FORMAT.key()));
        }
        validateSchema(schema, scan, primaryKey, valueFormat.isPresent());
        handler.validate(
                new RedisTableContext(
                        schema, primaryKey, options, scan, false, valueFormat.isPresent()));
        if (!handler.recordParts().isEmpty()) {
            validateMemberColumns(schema, scan, primaryKey, labelColumns);
        }

        Set<String> keyColumns = new HashSet<>();
        Set<String> timestampColumns = new HashSet<>();
        for (Column column : schema.getColumns()) {
            if (column instanceof Column.MetadataColumn) {
                Column.MetadataColumn m = (Column.MetadataColumn) column;
                String metadataKey = m.getMetadataKey().orElse(m.getName());
                if (RedisReadableMetadata.KEY.key.equals(metadataKey)) {
                    keyColumns.add(m.getName());
                } else if (RedisReadableMetadata.TIMESTAMP.key.equals(metadataKey)) {
                    timestampColumns.add(m.getName());
                }
            }
        }
        RedisDynamicTableSource source =
                new RedisDynamicTableSource(
                        connection,
                        scan,
                        context.getPhysicalRowDataType(),
                        primaryKey,
                        keyColumns,
                        valueFormat.orElse(null),
                        options.getOptional(FactoryUtil.FORMAT).orElse(null),
                        localTimeZone(context.getConfiguration()));
        source.timestampColumns = Set.copyOf(timestampColumns);
        source.keyMetadataType =
                RedisReadableMetadata.keyType(RedisReadableMetadata.declaredKeyType(schema, false));
        source.labelFilter = labelFilter(options, scan.dataType());
        source.labelColumns = List.copyOf(labelColumns);
        source.streamOptions = streamOptions(options, scan.dataType(), connection);
        source.aggregation = timeSeriesAggregation(options, scan.dataType());
        source.lookupOptions = lookupOptions(options);
        return source;
    }

    /**
     * Options {@code lookup.*}: {@code lookup.async}, Flink's retries and its cache. A PARTIAL
     * cache needs {@code lookup.partial-cache.max-rows} or an expiry; a FULL one reloads by {@code
     * lookup.full-cache.reload-strategy} (PERIODIC or TIMED).
     */
    static RedisLookupOptions lookupOptions(ReadableConfig options) {
        int maxRetries = options.get(LookupOptions.MAX_RETRIES);
        if (maxRetries < 0) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' must be 0 or more, not %d.",
                            LookupOptions.MAX_RETRIES.key(), maxRetries));
        }
        LookupCache cache = null;
        CacheReloadTrigger trigger = null;
        switch (options.get(LookupOptions.CACHE_TYPE)) {
            case PARTIAL:
                cache = DefaultLookupCache.fromConfig(options);
                break;
            case FULL:
                trigger =
                        options.get(LookupOptions.FULL_CACHE_RELOAD_STRATEGY)
                                        == LookupOptions.ReloadStrategy.TIMED
                                ? TimedCacheReloadTrigger.fromConfig(options)
                                : PeriodicCacheReloadTrigger.fromConfig(options);
                break;
            default:
                break;
        }
        return new RedisLookupOptions(options.get(LOOKUP_ASYNC), maxRetries, cache, trigger);
    }

    /**
     * The expressions of {@code scan.timeseries.label-filter}, split at blanks; null without it.
     */
    @Nullable
    static List<String> labelFilter(ReadableConfig options, RedisDataType type) {
        Optional<String> filter = options.getOptional(SCAN_TIMESERIES_LABEL_FILTER);
        if (filter.isEmpty()) {
            return null;
        }
        List<String> expressions = new ArrayList<>();
        for (String e : filter.get().trim().split("\\s+")) {
            if (!e.isEmpty()) {
                expressions.add(e);
            }
        }
        if (expressions.stream().noneMatch(e -> e.matches("[^=!]+=.+"))) {
            throw new ValidationException(
                    String.format(
                            "Invalid value '%s' for option '%s': TS.QUERYINDEX needs at least"
                                    + " one expression label=value (e.g. 'area=eu'), separated"
                                    + " by blanks from the others.",
                            filter.get(), SCAN_TIMESERIES_LABEL_FILTER.key()));
        }
        return expressions;
    }

    /** The options of a timeseries table's server-side aggregation. */
    private static final List<ConfigOption<?>> TIMESERIES_READ_OPTIONS =
            List.of(
                    SCAN_TIMESERIES_AGGREGATION,
                    SCAN_TIMESERIES_BUCKET_DURATION,
                    SCAN_TIMESERIES_ALIGN,
                    SCAN_TIMESERIES_BUCKET_TIMESTAMP,
                    SCAN_TIMESERIES_EMPTY);

    /**
     * A timeseries table's server-side aggregation ({@link #TIMESERIES_READ_OPTIONS}), checked;
     * null without {@code scan.timeseries.aggregation}, or for another data type, which must not
     * set the options.
     */
    @Nullable
    static RedisTimeSeriesAggregation timeSeriesAggregation(
            ReadableConfig options, RedisDataType type) {
        Optional<TimeSeriesAggregator> aggregator =
                options.getOptional(SCAN_TIMESERIES_AGGREGATION);
        Optional<Duration> bucket = options.getOptional(SCAN_TIMESERIES_BUCKET_DURATION);
        if (aggregator.isEmpty()) {
            for (ConfigOption<?> option : TIMESERIES_READ_OPTIONS) {
                if (options.getOptional(option).isPresent()) {
                    throw new ValidationException(
                            String.format(
                                    "Option '%s' needs option '%s'.",
                                    option.key(), SCAN_TIMESERIES_AGGREGATION.key()));
                }
            }
            return null;
        }
        if (bucket.isEmpty() || bucket.get().toMillis() < 1) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' needs option '%s', a duration of at least 1 ms%s.",
                            SCAN_TIMESERIES_AGGREGATION.key(),
                            SCAN_TIMESERIES_BUCKET_DURATION.key(),
                            bucket.map(d -> ", not '" + d + "'").orElse("")));
        }
        return new RedisTimeSeriesAggregation(
                aggregator.get(),
                bucket.get().toMillis(),
                options.get(SCAN_TIMESERIES_ALIGN),
                options.get(SCAN_TIMESERIES_BUCKET_TIMESTAMP),
                options.get(SCAN_TIMESERIES_EMPTY));
    }

    /**
     * The read options of a stream table (start and stop positions, XREAD's BLOCK, discovery,
     * consumer group, value field, trimmed policy), checked; null for another data type, which must
     * not set them.
     */
    @Nullable
    static RedisStreamOptions streamOptions(
            ReadableConfig options, RedisDataType type, RedisConnectionConfig connection) {
        if (type != RedisDataType.STREAM) {
            return null;
        }
        StreamStartupMode startup = options.get(SCAN_STARTUP_MODE);
        StreamBoundedMode bounded = options.get(SCAN_BOUNDED_MODE);
        long startupTimestamp =
                modeValue(
                                options,
                                SCAN_STARTUP_MODE,
                                StreamStartupMode.TIMESTAMP,
                                SCAN_STARTUP_TIMESTAMP_MILLIS)
                        .orElse(0L);
        long boundedTimestamp =
                modeValue(
                                options,
                                SCAN_BOUNDED_MODE,
                                StreamBoundedMode.TIMESTAMP,
                                SCAN_BOUNDED_TIMESTAMP_MILLIS)
                        .orElse(0L);
        Map<String, RedisStreamEntryId> startupIds =
                ids(
                        modeValue(
                                options,
                                SCAN_STARTUP_MODE,
                                StreamStartupMode.SPECIFIC_IDS,
                                SCAN_STARTUP_SPECIFIC_IDS),
                        SCAN_STARTUP_SPECIFIC_IDS);
        Map<String, RedisStreamEntryId> boundedIds =
                ids(
                        modeValue(
                                options,
                                SCAN_BOUNDED_MODE,
                                StreamBoundedMode.SPECIFIC_IDS,
                                SCAN_BOUNDED_SPECIFIC_IDS),
                        SCAN_BOUNDED_SPECIFIC_IDS);
        Duration block = options.get(SCAN_STREAM_BLOCK);
        if (block.toMillis() < 1 || block.compareTo(connection.getCommandTimeout()) >= 0) {
            throw new ValidationException(
                    String.format(
                            "Invalid value '%s' for option '%s': XREAD's BLOCK must be at least"
                                    + " 1 ms and below '%s' (%s).",
                            block,
                            SCAN_STREAM_BLOCK.key(),
                            COMMAND_TIMEOUT.key(),
                            connection.getCommandTimeout()));
        }
        Duration interval = options.get(SCAN_DISCOVERY_INTERVAL);
        if (interval.isNegative()) {
            throw new ValidationException(
                    String.format(
                            "Invalid value '%s' for option '%s': must not be negative.",
                            interval, SCAN_DISCOVERY_INTERVAL.key()));
        }
        RedisStreamConsumer consumer = null;
        if (options.getOptional(SCAN_CONSUMER_GROUP).isPresent()) {
            if (bounded != StreamBoundedMode.UNBOUNDED) {
                throw new ValidationException(
                        String.format(
                                "Option '%s' reads a stream table unbounded: it does not go with"
                                        + " '%s' = '%s'.",
                                SCAN_CONSUMER_GROUP.key(), SCAN_BOUNDED_MODE.key(), bounded));
            }
            consumer =
                    new RedisStreamConsumer(
                            nonBlank(options, SCAN_CONSUMER_GROUP),
                            nonBlank(options, SCAN_CONSUMER_NAME));
            Duration claimMinIdle = options.get(SCAN_CLAIM_MIN_IDLE_TIME);
            if (claimMinIdle != null) {
                if (claimMinIdle.toMillis() < 1) {
                    throw new ValidationException(
                            String.format(
                                    "Invalid value '%s' for option '%s': must be at least 1 ms.",
                                    claimMinIdle, SCAN_CLAIM_MIN_IDLE_TIME.key()));
                }
                consumer = consumer.withClaimMinIdle(claimMinIdle);
            }
        } else {
            for (ConfigOption<?> option : List.of(SCAN_CONSUMER_NAME, SCAN_CLAIM_MIN_IDLE_TIME)) {
                if (options.getOptional(option).isPresent()) {
                    throw new ValidationException(
                            String.format(
                                    "Option '%s' needs option '%s'.",
                                    option.key(), SCAN_CONSUMER_GROUP.key()));
                }
            }
        }
        return new RedisStreamOptions(
                RedisStreamPositions.of(
                        startup,
                        startupTimestamp,
                        startupIds,
                        bounded,
                        boundedTimestamp,
                        boundedIds),
                block.toMillis(),
                interval.toMillis(),
                consumer,
                nonBlank(options, VALUE_FIELD),
                options.get(SCAN_STREAM_TRIMMED_POLICY));
    }

    private static String nonBlank(ReadableConfig options, ConfigOption<String> option) {
        String value = options.get(option);
        if (value.isBlank()) {
            throw new ValidationException(
                    String.format(
                            "Invalid value '' for option '%s': must not be empty.", option.key()));
        }
        return value;
    }

    /**
     * The value of {@code valueOption}, which {@code modeOption} needs when it is {@code mode} and
     * forbids otherwise.
     */
    private static <M, V> Optional<V> modeValue(
            ReadableConfig options,
            ConfigOption<M> modeOption,
            M mode,
            ConfigOption<V> valueOption) {
        Optional<V> value = options.getOptional(valueOption);
        M actual = options.get(modeOption);
        if (actual == mode && value.isEmpty()) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' = '%s' needs option '%s'.",
                            modeOption.key(), actual, valueOption.key()));
        }
        if (actual != mode && value.isPresent()) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' applies only with '%s' = '%s', not '%s'.",
                            valueOption.key(), modeOption.key(), mode, actual));
        }
        return value;
    }

    private static Map<String, RedisStreamEntryId> ids(
            Optional<String> value, ConfigOption<String> option) {
        if (value.isEmpty()) {
            return Map.of();
        }
        try {
            return RedisStreamPositions.parseIds(option.key(), value.get());
        } catch (IllegalArgumentException e) {
            throw new ValidationException(e.getMessage(), e);
        }
    }

    /** Builds the connection from 'url' and the options that override its parts. */
    static RedisConnectionConfig connectionConfig(ReadableConfig options) {
        RedisConnectionConfig.Builder b;
        try {
            b = RedisConnectionConfig.fromUrl(options.get(URL));
        } catch (IllegalArgumentException e) {
            throw new ValidationException(
                    "Invalid value for option '" + URL.key() + "': " + e.getMessage());
        }
        options.getOptional(USERNAME).ifPresent(b::username);
        options.getOptional(PASSWORD).ifPresent(b::password);
        options.getOptional(DATABASE)
                .ifPresent(
                        db -> {
                            if (db < 0) {
                                throw new ValidationException(
                                        String.format(
                                                "Invalid value %d for option '%s': must be 0 or"
                                                        + " more.",
                                                db, DATABASE.key()));
                            }
                            b.database(db);
                        });
        options.getOptional(SENTINEL_PASSWORD).ifPresent(b::sentinelPassword);
        b.clusterMode(options.get(CLUSTER_MODE))
                .readFrom(options.get(READ_FROM))
                .topologyRefreshPeriod(options.get(CLUSTER_TOPOLOGY_REFRESH_PERIOD))
                .tlsOptions(tlsOptions(options));
        RedisConnectionConfig config;
        try {
            config =
                    b.connectTimeout(options.get(CONNECT_TIMEOUT))
                            .commandTimeout(options.get(COMMAND_TIMEOUT))
                            .clientName(options.get(CLIENT_NAME))
                            .build();
        } catch (IllegalArgumentException e) {
            throw new ValidationException(e.getMessage());
        }
        boolean tlsOptionSet =
                TLS_OPTIONS.stream().anyMatch(o -> options.getOptional(o).isPresent());
        if (tlsOptionSet && !config.isTls()) {
            throw new ValidationException(
                    "The 'tls.*' options apply to TLS connections only: use a rediss:// URL in"
                            + " option 'url'.");
        }
        return config;
    }

    private static final List<ConfigOption<?>> TLS_OPTIONS =
            List.of(
                    TLS_VERIFY,
                    TLS_TRUSTSTORE,
                    TLS_CA_FILE,
                    TLS_KEYSTORE,
                    TLS_CERT_FILE,
                    TLS_KEY_FILE);

    private static RedisTlsOptions tlsOptions(ReadableConfig options) {
        try {
            return new RedisTlsOptions(
                    options.get(TLS_VERIFY),
                    options.getOptional(TLS_TRUSTSTORE).orElse(null),
                    options.getOptional(TLS_TRUSTSTORE_PASSWORD).orElse(null),
                    options.getOptional(TLS_CA_FILE).orElse(null),
                    options.getOptional(TLS_KEYSTORE).orElse(null),
                    options.getOptional(TLS_KEYSTORE_PASSWORD).orElse(null),
                    options.getOptional(TLS_CERT_FILE).orElse(null),
                    options.getOptional(TLS_KEY_FILE).orElse(null),
                    options.getOptional(TLS_KEY_PASSWORD).orElse(null));
        } catch (IllegalArgumentException e) {
            throw new ValidationException(e.getMessage());
        }
    }

    static RedisScanOptions scanOptions(ReadableConfig options) {
        RedisDataType dataType;
        try {
            dataType = RedisDataType.fromOption(DATA_TYPE.key(), options.get(DATA_TYPE));
        } catch (IllegalArgumentException e) {
            throw new ValidationException(e.getMessage());
        }
        rejectOptionsOfOtherTypes(options, dataType);
        String prefix = options.get(KEY_PREFIX);
        String separator = options.get(KEY_SEPARATOR);
        if (separator.isEmpty()) {
            throw new ValidationException(
                    "Invalid value '' for option '"
                            + KEY_SEPARATOR.key()
                            + "': must not be empty.");
        }
        String pattern =
                options.getOptional(KEY_PATTERN)
                        .orElseGet(() -> RedisScanOptions.patternForPrefix(prefix));
        return new RedisScanOptions(
                dataType,
                prefix,
                separator,
                pattern,
                positive(options, SCAN_COUNT),
                positive(options, SCAN_BATCH_SIZE),
                positive(options, SCAN_MAX_BATCHES_IN_FLIGHT),
                options.get(SCAN_FILTER_PUSH_DOWN_ENABLED),
                options.get(SCAN_PARSE_ERROR_POLICY),
                options.getOptional(FactoryUtil.SOURCE_PARALLELISM).orElse(null),
                positive(options, SCAN_MEMBER_PAGE_SIZE),
                memberColumns(dataType, options),
                jsonPath(dataType, options));
    }

    /** The 'json.path' option: a JSONPath that selects one object, for JSON tables only. */
    private static String jsonPath(RedisDataType dataType, ReadableConfig options) {
        String path = options.get(JSON_PATH).trim();
        if (!path.startsWith("$")
                || path.contains("*")
                || path.contains("..")
                || path.contains("[?")
                || path.contains(",")
                || path.contains(":")) {
            throw new ValidationException(
                    String.format(
                            "Invalid value '%s' for option '%s': a JSONPath that starts with '$'"
                                    + " and selects one value (no wildcards, recursive descent,"
                                    + " filters, unions or slices), e.g. '$.profile'.",
                            path, JSON_PATH.key()));
        }
        return path;
    }

    /** The option naming the column of each part of a set's, list's or zset's record. */
    private static final Map<String, ConfigOption<String>> MEMBER_COLUMN_OPTIONS =
            Map.of(
                    RedisReadSpec.MEMBER, MEMBER_COLUMN,
                    RedisReadSpec.SCORE, SCORE_COLUMN,
                    RedisReadSpec.RANK, RANK_COLUMN,
                    RedisReadSpec.ELEMENT, ELEMENT_COLUMN,
                    RedisReadSpec.INDEX, INDEX_COLUMN,
                    RedisReadSpec.TIMESTAMP, TIMESTAMP_COLUMN,
                    RedisReadSpec.VALUE, VALUE_COLUMN);

    private static Map<String, String> memberColumns(
            RedisDataType dataType, ReadableConfig options) {
        Map<String, String> columns = new LinkedHashMap<>();
        List<String> recordParts = RedisTypes.of(dataType).recordParts();
        if (recordParts.isEmpty()) {
            for (Map.Entry<String, ConfigOption<String>> e : MEMBER_COLUMN_OPTIONS.entrySet()) {
                if (options.getOptional(e.getValue()).isPresent()) {
                    List<RedisDataType> types = new ArrayList<>();
                    for (RedisDataType t : RedisDataType.values()) {
                        if (RedisTypes.of(t).recordParts().contains(e.getKey())) {
                            types.add(t);
                        }
                    }
                    throw new ValidationException(
                            String.format(
                                    "Option '%s' applies to the data types %s only, not '%s'.",
                                    e.getValue().key(), types, dataType));
                }
            }
            return columns;
        }
        for (String part : recordParts) {
            ConfigOption<String> option = MEMBER_COLUMN_OPTIONS.get(part);
            String column = options.get(option);
            if (columns.containsValue(column)) {
                throw new ValidationException(
                        String.format(
                                "Option '%s' names column '%s', which another of the options"
                                        + " %s names already.",
                                option.key(), column, memberOptionKeys(dataType)));
            }
            columns.put(part, column);
        }
        for (Map.Entry<String, ConfigOption<String>> e : MEMBER_COLUMN_OPTIONS.entrySet()) {
            if (!columns.containsKey(e.getKey()) && options.getOptional(e.getValue()).isPresent()) {
                throw new ValidationException(
                        String.format(
                                "Option '%s' does not apply to data type '%s', whose options of"
                                        + " this kind are %s.",
                                e.getValue().key(), dataType, memberOptionKeys(dataType)));
            }
        }
        return columns;
    }

    private static List<String> memberOptionKeys(RedisDataType dataType) {
        List<String> keys = new ArrayList<>();
        for (String part : RedisTypes.of(dataType).recordParts()) {
            keys.add(MEMBER_COLUMN_OPTIONS.get(part).key());
        }
        return keys;
    }

    private static int positive(ReadableConfig options, ConfigOption<Integer> option) {
        int value = options.get(option);
        if (value <= 0) {
            throw new ValidationException(
                    String.format(
                            "Invalid value %d for option '%s': must be positive.",
                            value, option.key()));
        }
        return value;
    }

    /**
     * Checks the columns of a set, list or zset table: each physical column is a part of the record
     * (named by the {@code *.column} options) or a PRIMARY KEY column parsed from the key; the
     * parts the type needs are there, with their types; and a PRIMARY KEY includes the column that
     * tells the rows of one key apart (the member, or a list's index).
     */
    private static void validateMemberColumns(
            ResolvedSchema schema, RedisScanOptions scan, int[] pk, List<String> labelColumns) {
        RedisDataType type = scan.dataType();
        Map<String, String> parts = scan.memberColumns();
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
            if (scan.memberPartOf(c.getName()) == null
                    && !pkNames.contains(c.getName())
                    && !labelColumns.contains(c.getName())) {
                throw new ValidationException(
                        String.format(
                                "Column '%s' of a table with 'data-type' = '%s' is none of the"
                                        + " columns of its rows (%s) and not a PRIMARY KEY"
                                        + " column parsed from the key. Declare it as one of"
                                        + " those, rename the columns with options %s, or use a"
                                        + " metadata column.",
                                c.getName(), type, describeParts(parts), memberOptionKeys(type)));
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
                                MEMBER_COLUMN_OPTIONS.get(required).key(),
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
            ResolvedSchema schema, RedisScanOptions scan, int[] pk, boolean valueFormat) {
        RedisTypeHandler handler = RedisTypes.of(scan.dataType());
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
                                scan.dataType(),
                                value
                                        ? handler.describeSupportedValueTypes()
                                        : RedisTypeHandler.SCALAR_TYPES));
            }
        }
    }

    private static ZoneId localTimeZone(ReadableConfig config) {
        String zone = config.get(LOCAL_TIME_ZONE);
        return "default".equals(zone) ? ZoneId.systemDefault() : ZoneId.of(zone);
    }
}
