package io.github.flinkredis.connector.lookup;

import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The metrics of a lookup function's point reads ({@link RedisPointReader}), registered in the
 * function's metric group (of the lookup join's task: SQL, or the {@code AsyncDataStream}
 * operator's):
 *
 * <ul>
 *   <li>{@value #LOOKUPS} (counter) and {@value #LOOKUPS_RATE} (meter, per second over 60 s): reads
 *       of Redis completed, found or not, failures included; a lookup served by Flink's lookup
 *       cache reads nothing and is not counted;
 *   <li>{@value #MISSES} (counter): reads that found no key (or, for a sorted set, no member);
 *   <li>{@value #RETRIES} (counter): attempts sent again after a transient failure (option {@code
 *       lookup.max-retries});
 *   <li>{@value #FAILURES} (counter): reads that failed (an error reply, or the retries used up);
 *   <li>{@value #LATENCY} (histogram over the last {@value #LATENCY_WINDOW} reads): from the read's
 *       first command to its result, retries included, in microseconds.
 * </ul>
 *
 * <p>Updated from Lettuce's and the retry timer's threads: the counters are thread-safe.
 */
@Internal
final class RedisLookupMetrics {

    static final String LOOKUPS = "numLookups";
    static final String LOOKUPS_RATE = "numLookupsPerSecond";
    static final String MISSES = "numLookupMisses";
    static final String RETRIES = "numLookupRetries";
    static final String FAILURES = "numLookupFailures";
    static final String LATENCY = "lookupLatencyMicros";

    /** How many of the last reads the latency histogram holds. */
    static final int LATENCY_WINDOW = 1024;

    private final Counter lookups;
    private final Counter misses;
    private final Counter retries;
    private final Counter failures;
    private final Histogram latency;

    RedisLookupMetrics(MetricGroup group) {
        this.lookups = group.counter(LOOKUPS, new ThreadSafeSimpleCounter());
        group.meter(LOOKUPS_RATE, new MeterView(lookups));
        this.misses = group.counter(MISSES, new ThreadSafeSimpleCounter());
        this.retries = group.counter(RETRIES, new ThreadSafeSimpleCounter());
        this.failures = group.counter(FAILURES, new ThreadSafeSimpleCounter());
        this.latency = group.histogram(LATENCY, new DescriptiveStatisticsHistogram(LATENCY_WINDOW));
    }

    /** A read that began at {@code startNanos} ({@link System#nanoTime()}) has its result. */
    void completed(long startNanos, boolean found) {
        if (!found) {
            misses.inc();
        }
        ended(startNanos);
    }

    /** A read that began at {@code startNanos} failed. */
    void failed(long startNanos) {
        failures.inc();
        ended(startNanos);
    }

    /** Counts a read that ended, found, missing or failed, and its latency. */
    private void ended(long startNanos) {
        lookups.inc();
        latency.update((System.nanoTime() - startNanos) / 1000);
    }

    /** An attempt is sent again. */
    void retried() {
        retries.inc();
    }
}
