package io.github.flinkredis.connector.config;

import java.util.Locale;
import org.apache.flink.annotation.PublicEvolving;

/**
 * The aggregator of a RedisTimeSeries read ({@code TS.RANGE ... AGGREGATION <aggregator>
 * <bucketDuration>}): the value of {@code scan.timeseries.aggregation}. Each names the
 * RedisTimeSeries aggregator of the same name; {@code std.p}, {@code std.s}, {@code var.p} and
 * {@code var.s} are the population and sample standard deviations and variances, {@code twa} the
 * time-weighted average (RedisTimeSeries 1.8 and later).
 */
@PublicEvolving
public enum TimeSeriesAggregator {
    AVG,
    SUM,
    MIN,
    MAX,
    RANGE,
    COUNT,
    FIRST,
    LAST,
    STD_P,
    STD_S,
    VAR_P,
    VAR_S,
    TWA;

    /** The option value and the TS.RANGE argument: {@code avg}, ..., {@code std.p}, .... */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '.');
    }
}
