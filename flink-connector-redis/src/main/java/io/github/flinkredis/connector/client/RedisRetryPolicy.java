package io.github.flinkredis.connector.client;

import java.time.Duration;
import org.apache.flink.annotation.Internal;

/**
 * The one retry schedule of the connector's I/O ({@link RedisPipeline}): after a transient failure
 * ({@link RedisFailureKind#TRANSIENT}), attempt {@code n} (1 for the first retry) waits {@code
 * min(1 s, 50 ms x 2^(n-1))} — 50, 100, 200, 400, 800, 1000, 1000, ... ms — and happens while the
 * attempts after the first stay within {@code maxRetries} (the sink's {@code sink.max-retries}, the
 * lookups' {@code lookup.max-retries}) and, where a deadline is set (a scan: the node unavailable
 * for {@code command.timeout}), the failures began less than that deadline ago.
 *
 * <p>Immutable and stateless: the attempt count and the time of the first failure belong to the
 * caller (per batch, per read, per node).
 */
@Internal
public final class RedisRetryPolicy {

    /** The pause before the first retry, in milliseconds. */
    public static final long FIRST_PAUSE_MILLIS = 50;

    /** The longest pause between two attempts, in milliseconds. */
    public static final long MAX_PAUSE_MILLIS = 1000;

    private final int maxRetries;
    private final long deadlineNanos;
    private final String retriesSetting;

    private RedisRetryPolicy(int maxRetries, long deadlineNanos, String retriesSetting) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0, was " + maxRetries);
        }
        this.maxRetries = maxRetries;
        this.deadlineNanos = deadlineNanos;
        this.retriesSetting = retriesSetting;
    }

    /**
     * At most {@code maxRetries} attempts after the first.
     *
     * @param retriesSetting where the user sets {@code maxRetries} (e.g. {@code option
     *     'sink.max-retries'}), for messages
     */
    public static RedisRetryPolicy maxRetries(int maxRetries, String retriesSetting) {
        return new RedisRetryPolicy(maxRetries, Long.MAX_VALUE, retriesSetting);
    }

    /**
     * Attempts for as long as the failures began less than {@code deadline} ago (a scan's node
     * unavailable for {@code command.timeout}), with no bound on their number.
     */
    public static RedisRetryPolicy within(Duration deadline, String deadlineSetting) {
        return new RedisRetryPolicy(Integer.MAX_VALUE, deadline.toNanos(), deadlineSetting);
    }

    /** Attempts allowed after the first. */
    public int maxRetries() {
        return maxRetries;
    }

    /** Where the user sets the bound, for messages (e.g. {@code option 'sink.max-retries'}). */
    public String retriesSetting() {
        return retriesSetting;
    }

    /**
     * Whether retry {@code attempt} (1 for the first retry) may happen, the first failure having
     * been at {@code firstFailureNanos} ({@link System#nanoTime()}).
     */
    public boolean allows(int attempt, long firstFailureNanos) {
        return attempt <= maxRetries
                && (deadlineNanos == Long.MAX_VALUE
                        || System.nanoTime() - firstFailureNanos <= deadlineNanos);
    }

    /** The pause before retry {@code attempt} (1 for the first retry), in milliseconds. */
    public long pauseMillis(int attempt) {
        return Math.min(
                MAX_PAUSE_MILLIS, FIRST_PAUSE_MILLIS << Math.min(Math.max(attempt, 1) - 1, 5));
    }

    /**
     * Sleeps {@link #pauseMillis(int)} before retry {@code attempt}.
     *
     * @throws InterruptedException if interrupted meanwhile (the interrupt flag is then clear, as
     *     {@link Thread#sleep} leaves it)
     */
    public void pause(int attempt) throws InterruptedException {
        Thread.sleep(pauseMillis(attempt));
    }
}
