package io.github.flinkredis.connector.types.stream;

import static io.github.flinkredis.connector.config.RedisConnectorOptions.*;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisWriteOptions;
import io.github.flinkredis.connector.convert.RedisColumnSource;
import io.github.flinkredis.connector.model.RedisMemberRange;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.types.spi.RedisFilterComparisons;
import io.github.flinkredis.connector.types.spi.RedisMemberRead;
import io.github.flinkredis.connector.types.spi.RedisMetadataColumn;
import io.github.flinkredis.connector.types.spi.RedisPushdownContext;
import io.github.flinkredis.connector.types.spi.RedisPushedFilters;
import io.github.flinkredis.connector.types.spi.RedisReadSettings;
import io.github.flinkredis.connector.types.spi.RedisRowColumns;
import io.github.flinkredis.connector.types.spi.RedisRowMutations;
import io.github.flinkredis.connector.types.spi.RedisTableContext;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
import io.github.flinkredis.connector.types.spi.RedisTypeWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.expressions.ResolvedExpression;

/** Data type {@code stream}: one row per entry of a stream, columns are its fields. */
@Internal
public enum RedisStreamType implements RedisTypeHandler {

    /** The one instance. */
    INSTANCE;

    @Override
    public RedisDataType dataType() {
        return RedisDataType.STREAM;
    }

    @Override
    public List<ConfigOption<?>> ownOptions() {
        return List.of(
                SCAN_STARTUP_MODE,
                SCAN_STARTUP_TIMESTAMP_MILLIS,
                SCAN_STARTUP_SPECIFIC_IDS,
                SCAN_BOUNDED_MODE,
                SCAN_BOUNDED_TIMESTAMP_MILLIS,
                SCAN_BOUNDED_SPECIFIC_IDS,
                SCAN_STREAM_BLOCK,
                SCAN_DISCOVERY_INTERVAL,
                SCAN_CONSUMER_GROUP,
                SCAN_CONSUMER_NAME,
                SCAN_CLAIM_MIN_IDLE_TIME,
                VALUE_FIELD,
                SCAN_STREAM_TRIMMED_POLICY,
                SINK_STREAM_MAX_LENGTH);
    }

    @Override
    public boolean acceptsValueFormat() {
        return true;
    }

    /** A stream's entries are told apart by their entry ID: no PRIMARY KEY. */
    @Override
    public void validate(RedisTableContext table) {
        if (table.primaryKey().length > 0) {
            throw new ValidationException(
                    "A table with 'data-type' = 'stream' cannot declare a PRIMARY KEY: a stream"
                            + " holds many entries, told apart by their entry ID (metadata 'id')."
                            + " Read or write the stream's key with a column METADATA FROM 'key',"
                            + " or name one stream with 'key.pattern'.");
        }
    }

    @Override
    public RedisMemberRead memberRead(RedisReadSpec spec) {
        return new RedisStreamEntryPages(spec);
    }

    // ---- writes ----

    @Override
    public RedisTypeWriter writer(RedisWriteOptions options) {
        return new RedisStreamWriter(options.streamMaxLength());
    }

    @Override
    public RedisRowMutations rowMutations(RedisRowColumns columns) {
        return new RedisStreamRowMutations(columns);
    }

    @Override
    public boolean appendOnly() {
        return true;
    }

    @Override
    public boolean writesEntryIds() {
        return true;
    }

    // ---- pushdown ----

    /**
     * The start and stop positions, XREAD's BLOCK, consumer group, ... ({@link
     * RedisStreamReadOptions}).
     */
    @Override
    public RedisReadSettings readSettings(
            RedisTableContext table, RedisConnectionConfig connection) {
        return RedisStreamReadOptions.parse(table.options(), connection);
    }

    /** A stream entry's ID and its time: {@link #ENTRY_ID}, {@link #ENTRY_TIMESTAMP}. */
    @Override
    public List<RedisMetadataColumn> readableMetadata() {
        return List.of(ENTRY_ID, ENTRY_TIMESTAMP);
    }

    /** A stream of change events decoded by a changelog format (e.g. debezium-json). */
    @Override
    public boolean keepsFormatChangelog() {
        return true;
    }

    /**
     * Comparisons of the one column of metadata {@code timestamp} with TIMESTAMP_LTZ literals: the
     * entry IDs XRANGE reads, exact on the millisecond grid of entry IDs (e.g. {@code > t} starts
     * at the millisecond after t), so the filters need no evaluation.
     */
    @Override
    public RedisPushedFilters pushFilters(
            List<ResolvedExpression> filters, RedisPushdownContext table) {
        Set<String> timestampColumns = table.metadataColumns(ENTRY_TIMESTAMP.key());
        if (timestampColumns.size() != 1) {
            return RedisPushedFilters.NONE;
        }
        String column = timestampColumns.iterator().next();
        List<ResolvedExpression> accepted = new ArrayList<>();
        long[] bounds =
                RedisFilterComparisons.timeBounds(
                        RedisFilterComparisons.acceptedComparisons(filters, column, accepted),
                        false);
        if (accepted.isEmpty()) {
            return RedisPushedFilters.NONE;
        }
        return new RedisPushedFilters(
                RedisMemberRange.entryTimes(bounds[0], bounds[1]), List.of(), accepted);
    }

    /** Metadata {@code id}: a stream entry's ID ({@code <ms>-<seq>}), STRING NOT NULL. */
    public static final RedisMetadataColumn ENTRY_ID =
            new RedisMetadataColumn(
                    "id", DataTypes.STRING().notNull(), RedisColumnSource.METADATA_ENTRY_ID);

    /**
     * Metadata {@code timestamp}: a stream entry's time (the milliseconds part of its ID),
     * TIMESTAMP_LTZ(3) NOT NULL; comparisons of its one column with literals are pushed into XRANGE
     * ({@link #pushFilters}).
     */
    public static final RedisMetadataColumn ENTRY_TIMESTAMP =
            new RedisMetadataColumn(
                    "timestamp",
                    DataTypes.TIMESTAMP_LTZ(3).notNull(),
                    RedisColumnSource.METADATA_ENTRY_TIMESTAMP);

    // ---- lookups and read specs ----

    @Override
    public boolean readsMembers() {
        return true;
    }

    /** {@code XRANGE} of the entries, narrowed by their times. */
    @Override
    public String describeRead(RedisReadSpec spec) {
        return spec.describeMembers("XRANGE", spec.memberRange().describe("time", "score"));
    }
}
