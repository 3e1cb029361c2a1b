package io.github.flinkredis.connector.config;

import java.util.Locale;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Which time of an aggregation bucket a row carries ({@code TS.RANGE ... BUCKETTIMESTAMP}): the
 * value of {@code scan.timeseries.bucket-timestamp}.
 */
@PublicEvolving
public enum TimeSeriesBucketTimestamp {
    /** The bucket's first millisecond ({@code BUCKETTIMESTAMP -}), RedisTimeSeries' default. */
    START("-"),
    /** The middle of the bucket ({@code BUCKETTIMESTAMP ~}). */
    MID("~"),
    /** The millisecond after the bucket's last one ({@code BUCKETTIMESTAMP +}). */
    END("+");

    private final String argument;

    TimeSeriesBucketTimestamp(String argument) {
        this.argument = argument;
    }

    /** The TS.RANGE argument: {@code -}, {@code ~} or {@code +}. */
    public String argument() {
        return argument;
    }

    /** The option value: {@code start}, {@code mid} or {@code end}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
