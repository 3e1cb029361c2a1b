package io.github.flinkredis.connector.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.flink.annotation.PublicEvolving;

/**
 * How a sink writes: the data type, batching, retries and time to live; an immutable value.
 *
 * <ul>
 *   <li>{@code maxBatchRows}: rows buffered before their commands are sent in one pipelined write;
 *   <li>{@code flushInterval}: the longest a row waits in the buffer (0: only by size and on
 *       checkpoints);
 *   <li>{@code maxBatchesInFlight}: batches sent before the writer waits for the oldest one's
 *       replies;
 *   <li>{@code maxRetries}: how often a batch that failed for a connection problem or a timeout is
 *       sent again (with every batch after it, in order), with pauses from 50 ms doubling up to 1 s
 *       (the connector's one retry schedule);
 *   <li>{@code ttl}: the time to live set on each key written, or null;
 *   <li>{@code streamMaxLength}: the length each stream is trimmed to, about ({@code MAXLEN ~}), or
 *       -1;
 *   <li>{@code duplicatePolicy}: what a timeseries does with a sample at a timestamp it holds.
 * </ul>
 */
@PublicEvolving
public final class RedisWriteOptions implements Serializable {

    private static final long serialVersionUID = 1L;

    private final RedisDataType dataType;
    private final int maxBatchRows;
    private final Duration flushInterval;
    private final int maxBatchesInFlight;
    private final int maxRetries;
    @Nullable private final Duration ttl;
    private final RedisWriteMode writeMode;
    private long streamMaxLength = -1;
    private RedisDuplicatePolicy duplicatePolicy = RedisDuplicatePolicy.LAST;

    /** Options that {@linkplain RedisWriteMode#MERGE merge}. */
    public RedisWriteOptions(
            RedisDataType dataType,
            int maxBatchRows,
            Duration flushInterval,
            int maxBatchesInFlight,
            int maxRetries,
            @Nullable Duration ttl) {
        this(
                dataType,
                maxBatchRows,
                flushInterval,
                maxBatchesInFlight,
                maxRetries,
                ttl,
                RedisWriteMode.MERGE);
    }

    /**
     * @param writeMode how a hash, json or string row is written over an existing key; the sink
     *     ({@code RedisSink}'s builder, the table factory) fails for a mode its data type does not
     *     take
     */
    public RedisWriteOptions(
            RedisDataType dataType,
            int maxBatchRows,
            Duration flushInterval,
            int maxBatchesInFlight,
            int maxRetries,
            @Nullable Duration ttl,
            RedisWriteMode writeMode) {
        this.writeMode = Objects.requireNonNull(writeMode);
        if (maxBatchRows <= 0 || maxBatchesInFlight <= 0 || maxRetries < 0) {
            throw new IllegalArgumentException(
                    "batch rows and batches in flight must be positive, retries 0 or more");
        }
        this.dataType = Objects.requireNonNull(dataType);
        this.maxBatchRows = maxBatchRows;
        this.flushInterval = Objects.requireNonNull(flushInterval);
        this.maxBatchesInFlight = maxBatchesInFlight;
        this.maxRetries = maxRetries;
        this.ttl = ttl;
    }

    /** Defaults: batches of 500 rows, flushed after 1 s, 3 in flight, 3 retries, no TTL. */
    public static RedisWriteOptions defaults(RedisDataType dataType) {
        return new RedisWriteOptions(dataType, 500, Duration.ofSeconds(1), 3, 3, null);
    }

    public RedisDataType dataType() {
        return dataType;
    }

    public int maxBatchRows() {
        return maxBatchRows;
    }

    public Duration flushInterval() {
        return flushInterval;
    }

    public int maxBatchesInFlight() {
        return maxBatchesInFlight;
    }

    public int maxRetries() {
        return maxRetries;
    }

    @Nullable
    public Duration ttl() {
        return ttl;
    }

    public RedisWriteMode writeMode() {
        return writeMode;
    }

    /**
     * The same options, trimming each stream to about {@code maxLength} entries ({@code XADD key
     * MAXLEN ~ maxLength ...}); -1 for no trimming.
     *
     * @throws IllegalArgumentException for a length below -1
     */
    public RedisWriteOptions withStreamMaxLength(long maxLength) {
        if (maxLength < -1) {
            throw new IllegalArgumentException("a stream length must be 0 or more");
        }
        RedisWriteOptions copy = copy();
        copy.streamMaxLength = maxLength;
        return copy;
    }

    /** The same options with the policy for a sample at a timestamp the series holds already. */
    public RedisWriteOptions withDuplicatePolicy(RedisDuplicatePolicy policy) {
        RedisWriteOptions copy = copy();
        copy.duplicatePolicy = Objects.requireNonNull(policy);
        return copy;
    }

    private RedisWriteOptions copy() {
        RedisWriteOptions copy =
                new RedisWriteOptions(
                        dataType,
                        maxBatchRows,
                        flushInterval,
                        maxBatchesInFlight,
                        maxRetries,
                        ttl,
                        writeMode);
        copy.streamMaxLength = streamMaxLength;
        copy.duplicatePolicy = duplicatePolicy;
        return copy;
    }

    /** Entries a stream is trimmed to, about ({@code MAXLEN ~}), or -1 for no trimming. */
    public long streamMaxLength() {
        return streamMaxLength;
    }

    /** What a timeseries does with a sample at a timestamp it holds already. */
    public RedisDuplicatePolicy duplicatePolicy() {
        return duplicatePolicy;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RedisWriteOptions)) {
            return false;
        }
        RedisWriteOptions that = (RedisWriteOptions) o;
        return dataType == that.dataType
                && maxBatchRows == that.maxBatchRows
                && flushInterval.equals(that.flushInterval)
                && maxBatchesInFlight == that.maxBatchesInFlight
                && maxRetries == that.maxRetries
                && Objects.equals(ttl, that.ttl)
                && writeMode == that.writeMode
                && streamMaxLength == that.streamMaxLength
                && duplicatePolicy == that.duplicatePolicy;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                dataType, maxBatchRows, flushInterval, maxBatchesInFlight, maxRetries, ttl);
    }
}
