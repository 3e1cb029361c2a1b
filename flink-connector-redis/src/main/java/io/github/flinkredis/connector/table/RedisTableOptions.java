package io.github.flinkredis.connector.table;

import static io.github.flinkredis.connector.config.RedisConnectorOptions.*;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisConnectorOptions;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisScanOptions;
import io.github.flinkredis.connector.config.RedisTableLayout;
import io.github.flinkredis.connector.config.RedisTlsOptions;
import io.github.flinkredis.connector.config.RedisWriteErrorPolicy;
import io.github.flinkredis.connector.config.RedisWriteOptions;
import io.github.flinkredis.connector.lookup.RedisLookupOptions;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.sink.RedisSinkWriter;
import io.github.flinkredis.connector.types.RedisTypes;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.source.lookup.LookupOptions;
import org.apache.flink.table.connector.source.lookup.cache.DefaultLookupCache;
import org.apache.flink.table.connector.source.lookup.cache.LookupCache;
import org.apache.flink.table.connector.source.lookup.cache.trigger.CacheReloadTrigger;
import org.apache.flink.table.connector.source.lookup.cache.trigger.PeriodicCacheReloadTrigger;
import org.apache.flink.table.connector.source.lookup.cache.trigger.TimedCacheReloadTrigger;
import org.apache.flink.table.factories.FactoryUtil;

/**
 * The options of a redis table, checked and turned into the immutable values the table source and
 * sink are built from (like flink-connector-mongodb's {@code MongoConfiguration}): the connection
 * ({@link RedisConnectionConfig}), what its keys and columns mean ({@link RedisTableLayout}), how
 * it is scanned ({@link RedisScanOptions}), the writes ({@link RedisWriteOptions}) and the lookups
 * ({@link RedisLookupOptions}). Each check fails with a {@link ValidationException} naming the
 * option and the value at fault. The options only one data type takes are its handler's ({@link
 * RedisTypeHandler#readSettings}).
 */
@Internal
public final class RedisTableOptions {

    /** Flink's session time zone option, read here without depending on the table API module. */
    private static final ConfigOption<String> LOCAL_TIME_ZONE =
            ConfigOptions.key("table.local-time-zone").stringType().defaultValue("default");

    private RedisTableOptions() {}

    /** Builds the connection from 'url' and the options that override its parts. */
    public static RedisConnectionConfig connectionConfig(ReadableConfig options) {
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

    /**
     * The table's layout: {@code data-type} (and no option of another data type), {@code
     * key.prefix}, {@code key.separator} (not empty), {@code key.pattern} (default: every key under
     * the prefix), the {@code *.column} options of the data type's record parts, {@code json.path}.
     *
     * @throws ValidationException naming the option at fault
     */
    static RedisTableLayout layout(ReadableConfig options) {
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
                        .orElseGet(() -> RedisTableLayout.patternForPrefix(prefix));
        return new RedisTableLayout(
                dataType,
                prefix,
                separator,
                pattern,
                memberColumns(dataType, options),
                jsonPath(dataType, options));
    }

    /**
     * The options {@code scan.*} (and Flink's {@code scan.parallelism}): counts and sizes must be
     * positive.
     *
     * @throws ValidationException naming the option at fault
     */
    static RedisScanOptions scanOptions(ReadableConfig options) {
        return new RedisScanOptions(
                positive(options, SCAN_COUNT),
                positive(options, SCAN_BATCH_SIZE),
                positive(options, SCAN_MAX_BATCHES_IN_FLIGHT),
                options.get(SCAN_FILTER_PUSH_DOWN_ENABLED),
                options.get(SCAN_PARSE_ERROR_POLICY),
                options.getOptional(FactoryUtil.SOURCE_PARALLELISM).orElse(null),
                positive(options, SCAN_MEMBER_PAGE_SIZE),
                searchIndex(options));
    }

    /**
     * The 'search.index' option: {@code auto}, {@code none} or an index name, not blank.
     *
     * @throws ValidationException for a blank value
     */
    private static String searchIndex(ReadableConfig options) {
        String index = options.get(RedisConnectorOptions.SEARCH_INDEX).trim();
        if (index.isEmpty()) {
            throw new ValidationException(
                    String.format(
                            "Invalid value '%s' for option '%s': '%s', '%s' or the name of a"
                                    + " RediSearch index.",
                            options.get(RedisConnectorOptions.SEARCH_INDEX),
                            RedisConnectorOptions.SEARCH_INDEX.key(),
                            RedisScanOptions.SEARCH_INDEX_AUTO,
                            RedisScanOptions.SEARCH_INDEX_NONE));
        }
        return index;
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
    static final Map<String, ConfigOption<String>> MEMBER_COLUMN_OPTIONS =
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

    static List<String> memberOptionKeys(RedisDataType dataType) {
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
     * The options {@code sink.*} of a table of {@code type}, checked.
     *
     * @throws ValidationException naming the option at fault
     */
    static RedisWriteOptions writeOptions(ReadableConfig options, RedisDataType type) {
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
            RedisSinkWriter.checkWriteOptions(write);
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
        write = errorOptions(options, ttlOptions(options, write));
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
        return write;
    }

    /** The options {@code sink.ttl.mode} and {@code sink.hash.field-ttl}, checked. */
    private static RedisWriteOptions ttlOptions(ReadableConfig options, RedisWriteOptions write) {
        try {
            write = write.withTtlMode(options.get(SINK_TTL_MODE));
        } catch (IllegalArgumentException e) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' = 'keep' sets no time to live: remove option '%s'.",
                            SINK_TTL_MODE.key(), SINK_TTL.key()));
        }
        Duration fieldTtl = options.getOptional(SINK_HASH_FIELD_TTL).orElse(null);
        try {
            write = write.withHashFieldTtl(fieldTtl);
            RedisSinkWriter.checkWriteOptions(write);
        } catch (IllegalArgumentException e) {
            throw new ValidationException(
                    String.format(
                            "Invalid value '%s' for option '%s': %s",
                            org.apache.flink.util.TimeUtils.formatWithHighestUnit(fieldTtl),
                            SINK_HASH_FIELD_TTL.key(),
                            e.getMessage()));
        }
        return write;
    }

    /** The options {@code sink.error-policy} and {@code sink.dead-letter.*}, checked. */
    private static RedisWriteOptions errorOptions(ReadableConfig options, RedisWriteOptions write) {
        RedisWriteErrorPolicy policy = options.get(SINK_ERROR_POLICY);
        String stream = options.getOptional(SINK_DEAD_LETTER_STREAM).orElse(null);
        if (policy != RedisWriteErrorPolicy.DEAD_LETTER) {
            if (stream != null) {
                throw new ValidationException(
                        String.format(
                                "Option '%s' is set, but option '%s' is '%s': set '%s' ="
                                        + " 'dead-letter', or remove '%s'.",
                                SINK_DEAD_LETTER_STREAM.key(),
                                SINK_ERROR_POLICY.key(),
                                policy,
                                SINK_ERROR_POLICY.key(),
                                SINK_DEAD_LETTER_STREAM.key()));
            }
            return write.withErrorPolicy(policy);
        }
        if (stream == null || stream.isEmpty()) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' = 'dead-letter' needs option '%s': the key of the stream"
                                    + " the rows Redis refuses are written to.",
                            SINK_ERROR_POLICY.key(), SINK_DEAD_LETTER_STREAM.key()));
        }
        long maxLength = options.get(SINK_DEAD_LETTER_MAX_LENGTH);
        if (maxLength < 1) {
            throw new ValidationException(
                    String.format(
                            "Invalid value %d for option '%s': must be 1 or more.",
                            maxLength, SINK_DEAD_LETTER_MAX_LENGTH.key()));
        }
        return write.withDeadLetterStream(stream, maxLength);
    }

    /** The session time zone ({@code table.local-time-zone}). */
    static ZoneId localTimeZone(ReadableConfig config) {
        String zone = config.get(LOCAL_TIME_ZONE);
        return "default".equals(zone) ? ZoneId.systemDefault() : ZoneId.of(zone);
    }
}
