package io.github.flinkredis.connector.types.timeseries;

import static io.github.flinkredis.connector.config.RedisConnectorOptions.*;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisWriteOptions;
import io.github.flinkredis.connector.convert.RedisColumnSource;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.types.spi.RedisKeySource;
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
import io.lettuce.core.protocol.ProtocolVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.expressions.ResolvedExpression;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/** Data type {@code timeseries}: one row per sample (or bucket) of a RedisTimeSeries series. */
@Internal
public enum RedisTimeSeriesType implements RedisTypeHandler {

    /** The one instance. */
    INSTANCE;

    @Override
    public RedisDataType dataType() {
        return RedisDataType.TIMESERIES;
    }

    @Override
    public List<ConfigOption<?>> ownOptions() {
        return List.of(
                SCAN_TIMESERIES_AGGREGATION,
                SCAN_TIMESERIES_BUCKET_DURATION,
                SCAN_TIMESERIES_ALIGN,
                SCAN_TIMESERIES_BUCKET_TIMESTAMP,
                SCAN_TIMESERIES_EMPTY,
                SCAN_TIMESERIES_LABEL_FILTER,
                LABEL_COLUMNS,
                SINK_TIMESERIES_DUPLICATE_POLICY);
    }

    @Override
    public List<String> recordParts() {
        return List.of(RedisReadSpec.TIMESTAMP, RedisReadSpec.VALUE);
    }

    /** A series holds one sample per timestamp. */
    @Override
    public String identifyingPart() {
        return RedisReadSpec.TIMESTAMP;
    }

    @Override
    public RedisMemberRead memberRead(RedisReadSpec spec) {
        return new RedisTimeSeriesSamples(spec);
    }

    // ---- writes ----

    @Override
    public RedisTypeWriter writer(RedisWriteOptions options) {
        return new RedisTimeSeriesWriter(options.duplicatePolicy());
    }

    @Override
    public RedisRowMutations rowMutations(RedisRowColumns columns) {
        return new RedisTimeSeriesRowMutations(columns);
    }

    // ---- pushdown ----

    /** The aggregation, label filter and label columns ({@link RedisTimeSeriesReadOptions}). */
    @Override
    public RedisReadSettings readSettings(
            RedisTableContext table, RedisConnectionConfig connection) {
        return RedisTimeSeriesReadOptions.parse(table.options(), table.schema());
    }

    @Override
    public List<String> labelColumns(RedisTableContext table) {
        return RedisTimeSeriesReadOptions.labelColumns(table.options(), table.schema());
    }

    /** The labels of a sample's series: {@link #LABELS}. */
    @Override
    public List<RedisMetadataColumn> readableMetadata() {
        return List.of(LABELS);
    }

    /**
     * Label equalities on the label columns (TS.QUERYINDEX expressions), then comparisons of the
     * timestamp and value columns (TS.RANGE's range and FILTER_BY_VALUE; see {@link
     * RedisTimeSeriesFilters#sampleRange}).
     */
    @Override
    public RedisPushedFilters pushFilters(
            List<ResolvedExpression> filters, RedisPushdownContext table) {
        Map<String, String> parts = table.layout().memberColumns();
        String timeColumn = parts.get(RedisReadSpec.TIMESTAMP);
        LogicalType timeType = table.physicalType(timeColumn);
        boolean millis = timeType != null && timeType.getTypeRoot() == LogicalTypeRoot.BIGINT;
        Optional<RedisPushedFilters> range =
                RedisTimeSeriesFilters.sampleRange(
                        filters,
                        timeColumn,
                        millis,
                        parts.get(RedisReadSpec.VALUE),
                        table.settings().aggregation());
        RedisTimeSeriesFilters.LabelEqualities labels =
                RedisTimeSeriesFilters.labelEqualities(
                        filters, table.stringColumns(table.settings().labelColumns()));
        if (range.isEmpty() && labels.accepted.isEmpty()) {
            return RedisPushedFilters.NONE;
        }
        List<ResolvedExpression> accepted = new ArrayList<>(labels.accepted);
        range.ifPresent(r -> accepted.addAll(r.accepted()));
        return new RedisPushedFilters(
                range.map(RedisPushedFilters::range).orElse(null), labels.expressions, accepted);
    }

    /**
     * Metadata {@code labels}: the labels of a sample's series (TS.INFO, fetched only when a column
     * reads them), MAP&lt;STRING, STRING&gt; NOT NULL.
     */
    public static final RedisMetadataColumn LABELS =
            new RedisMetadataColumn(
                    "labels",
                    DataTypes.MAP(DataTypes.STRING(), DataTypes.STRING()).notNull(),
                    RedisColumnSource.METADATA_LABELS);

    // ---- split reads ----

    /** Series are read over RESP2 (see {@link RedisTypeHandler#readConnection}). */
    @Override
    public RedisConnectionConfig readConnection(RedisConnectionConfig config) {
        return config.withProtocolVersion(ProtocolVersion.RESP2);
    }

    /** With a label filter: the series {@code TS.QUERYINDEX} answers, instead of SCAN. */
    @Override
    public RedisKeySource keySource(RedisReadSpec spec) {
        return spec.labelFilter() == null
                ? null
                : new RedisTimeSeriesLabelIndex(spec.labelFilter());
    }

    // ---- lookups and read specs ----

    @Override
    public boolean readsMembers() {
        return true;
    }

    /** A timeseries read may aggregate, read labels and find its series by a label filter. */
    @Override
    public boolean readsSeries() {
        return true;
    }

    /** {@code TS.RANGE} of the samples, narrowed by their times and values. */
    @Override
    public String describeRead(RedisReadSpec spec) {
        return spec.describeMembers("TS.RANGE", spec.memberRange().describe("time", "value"));
    }

    // ---- errors ----

    /** {@code TSDB: the key does not exist}: a series deleted between SCAN and TS.RANGE. */
    @Override
    public boolean isMissingKeyError(String error) {
        return error.contains("TSDB: the key does not exist");
    }

    /** {@code the key is not a TSDB key}. */
    @Override
    public boolean isOtherTypeError(String error) {
        return error.contains("not a TSDB key");
    }
}
