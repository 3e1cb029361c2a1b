package io.github.flinkredis.connector.types.timeseries;

import static io.github.flinkredis.connector.config.RedisConnectorOptions.LABEL_COLUMNS;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_TIMESERIES_AGGREGATION;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_TIMESERIES_ALIGN;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_TIMESERIES_BUCKET_DURATION;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_TIMESERIES_BUCKET_TIMESTAMP;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_TIMESERIES_EMPTY;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_TIMESERIES_LABEL_FILTER;

import io.github.flinkredis.connector.config.TimeSeriesAggregator;
import io.github.flinkredis.connector.model.RedisTimeSeriesAggregation;
import io.github.flinkredis.connector.types.spi.RedisReadSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;

/**
 * How a timeseries table reads: the server-side aggregation ({@code scan.timeseries.*}), the
 * TS.QUERYINDEX label filter ({@code scan.timeseries.label-filter}) and the columns read from the
 * labels ({@code label.columns}); an immutable value, equal by content, parsed and checked by
 * {@link #parse}.
 */
@Internal
public final class RedisTimeSeriesReadOptions implements RedisReadSettings {

    private static final long serialVersionUID = 1L;

    @Nullable private final RedisTimeSeriesAggregation aggregation;
    @Nullable private final List<String> labelFilter;
    private final List<String> labelColumns;

    public RedisTimeSeriesReadOptions(
            @Nullable RedisTimeSeriesAggregation aggregation,
            @Nullable List<String> labelFilter,
            List<String> labelColumns) {
        this.aggregation = aggregation;
        this.labelFilter = labelFilter == null ? null : List.copyOf(labelFilter);
        this.labelColumns = List.copyOf(labelColumns);
    }

    /**
     * The read options of a timeseries table with {@code schema}, checked.
     *
     * @throws ValidationException naming the option at fault
     */
    public static RedisTimeSeriesReadOptions parse(ReadableConfig options, ResolvedSchema schema) {
        List<String> labelColumns = labelColumns(options, schema);
        List<String> labelFilter = labelFilter(options);
        return new RedisTimeSeriesReadOptions(aggregation(options), labelFilter, labelColumns);
    }

    @Override
    @Nullable
    public RedisTimeSeriesAggregation aggregation() {
        return aggregation;
    }

    @Override
    @Nullable
    public List<String> labelFilter() {
        return labelFilter;
    }

    @Override
    public List<String> labelColumns() {
        return labelColumns;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RedisTimeSeriesReadOptions)) {
            return false;
        }
        RedisTimeSeriesReadOptions that = (RedisTimeSeriesReadOptions) o;
        return Objects.equals(aggregation, that.aggregation)
                && Objects.equals(labelFilter, that.labelFilter)
                && labelColumns.equals(that.labelColumns);
    }

    @Override
    public int hashCode() {
        return Objects.hash(aggregation, labelFilter, labelColumns);
    }

    /** The 'label.columns' option: physical columns of a timeseries table, checked. */
    public static List<String> labelColumns(ReadableConfig options, ResolvedSchema schema) {
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

    /**
     * The expressions of {@code scan.timeseries.label-filter}, split at blanks; null without it.
     */
    @Nullable
    private static List<String> labelFilter(ReadableConfig options) {
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
     * null without {@code scan.timeseries.aggregation}.
     */
    @Nullable
    private static RedisTimeSeriesAggregation aggregation(ReadableConfig options) {
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
}
