package io.github.flinkredis.connector.model;

import io.github.flinkredis.connector.config.TimeSeriesAggregator;
import io.github.flinkredis.connector.config.TimeSeriesBucketTimestamp;
import java.io.Serializable;
import java.util.Objects;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Server-side downsampling of a RedisTimeSeries read: {@code TS.RANGE key from to [ALIGN align]
 * AGGREGATION <aggregator> <bucketDuration> [BUCKETTIMESTAMP bt] [EMPTY]}. Each row is then a
 * bucket: the buckets start at {@code align + k * bucketDuration} milliseconds, and the row's time
 * is the bucket's start, middle or end. An immutable value.
 */
@PublicEvolving
public final class RedisTimeSeriesAggregation implements Serializable {

    private static final long serialVersionUID = 1L;

    private final TimeSeriesAggregator aggregator;
    private final long bucketMillis;
    private final long alignMillis;
    private final TimeSeriesBucketTimestamp bucketTimestamp;
    private final boolean empty;

    /**
     * @param bucketMillis the bucket duration, in milliseconds, at least 1
     * @param alignMillis where buckets are aligned: a bucket starts at every {@code alignMillis + k
     *     * bucketMillis}
     * @param empty whether buckets without samples are reported too (RedisTimeSeries 1.8+: NaN for
     *     most aggregators, 0 for sum and count)
     * @throws IllegalArgumentException if {@code bucketMillis} is below 1
     */
    public RedisTimeSeriesAggregation(
            TimeSeriesAggregator aggregator,
            long bucketMillis,
            long alignMillis,
            TimeSeriesBucketTimestamp bucketTimestamp,
            boolean empty) {
        if (bucketMillis < 1) {
            throw new IllegalArgumentException(
                    "The bucket duration must be at least 1 ms, not " + bucketMillis);
        }
        this.aggregator = Objects.requireNonNull(aggregator);
        this.bucketMillis = bucketMillis;
        this.alignMillis = alignMillis;
        this.bucketTimestamp = Objects.requireNonNull(bucketTimestamp);
        this.empty = empty;
    }

    public TimeSeriesAggregator aggregator() {
        return aggregator;
    }

    /** The bucket duration in milliseconds. */
    public long bucketMillis() {
        return bucketMillis;
    }

    /** The alignment of the buckets in milliseconds. */
    public long alignMillis() {
        return alignMillis;
    }

    public TimeSeriesBucketTimestamp bucketTimestamp() {
        return bucketTimestamp;
    }

    public boolean empty() {
        return empty;
    }

    /** The first millisecond of the bucket holding {@code millis}. */
    public long bucketStart(long millis) {
        return millis - Math.floorMod(millis - alignMillis, bucketMillis);
    }

    /**
     * How far after its bucket's first millisecond a row's time is: 0 ({@code start}), half the
     * bucket ({@code mid}) or the whole bucket ({@code end}).
     */
    public long rowOffset() {
        switch (bucketTimestamp) {
            case MID:
                return bucketMillis / 2;
            case END:
                return bucketMillis;
            default:
                return 0;
        }
    }

    /** The first millisecond of the bucket whose row carries time {@code rowMillis}. */
    public long bucketOfRow(long rowMillis) {
        return rowMillis - rowOffset();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RedisTimeSeriesAggregation)) {
            return false;
        }
        RedisTimeSeriesAggregation that = (RedisTimeSeriesAggregation) o;
        return aggregator == that.aggregator
                && bucketMillis == that.bucketMillis
                && alignMillis == that.alignMillis
                && bucketTimestamp == that.bucketTimestamp
                && empty == that.empty;
    }

    @Override
    public int hashCode() {
        return Objects.hash(aggregator, bucketMillis, alignMillis, bucketTimestamp, empty);
    }

    /** As the arguments of TS.RANGE: {@code ALIGN 0 AGGREGATION avg 60000 ...}. */
    @Override
    public String toString() {
        return "ALIGN "
                + alignMillis
                + " AGGREGATION "
                + aggregator
                + " "
                + bucketMillis
                + (bucketTimestamp == TimeSeriesBucketTimestamp.START
                        ? ""
                        : " BUCKETTIMESTAMP " + bucketTimestamp.argument())
                + (empty ? " EMPTY" : "");
    }
}
