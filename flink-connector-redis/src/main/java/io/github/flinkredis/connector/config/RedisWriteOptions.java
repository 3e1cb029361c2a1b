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
 *   <li>{@code duplicatePolicy}: what a timeseries does with a sample at a timestamp it holds;
 *   <li>{@code ttlMode}: when the time to live is set ({@link RedisTtlMode}, default {@code
 *       on-write});
 *   <li>{@code hashFieldTtl}: the time to live set on each hash field written ({@code HPEXPIRE},
 *       Redis 7.4+), or null;
 *   <li>{@code errorPolicy}: what happens to a row whose write Redis refuses for its own key
 *       ({@link RedisWriteErrorPolicy}, default {@code fail}), with the dead-letter stream and the
 *       length it is trimmed to.
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
    private RedisTtlMode ttlMode = RedisTtlMode.ON_WRITE;
    @Nullable private Duration hashFieldTtl;
    private RedisWriteErrorPolicy errorPolicy = RedisWriteErrorPolicy.FAIL;
    @Nullable private String deadLetterStream;
    private long deadLetterMaxLength = DEFAULT_DEAD_LETTER_MAX_LENGTH;

    /** The length a dead-letter stream is trimmed to by default, about ({@code MAXLEN ~}). */
    public static final long DEFAULT_DEAD_LETTER_MAX_LENGTH = 1_000_000;

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

    /**
     * The same options, setting the time to live as {@code mode} says.
     *
     * @throws IllegalArgumentException for {@link RedisTtlMode#KEEP} with a {@code ttl}: a sink
     *     that keeps TTLs sets none
     */
    public RedisWriteOptions withTtlMode(RedisTtlMode mode) {
        if (mode == RedisTtlMode.KEEP && ttl != null) {
            throw new IllegalArgumentException(
                    "TTL mode 'keep' sets no time to live, but a TTL of "
                            + ttl.toMillis()
                            + " ms is given");
        }
        RedisWriteOptions copy = copy();
        copy.ttlMode = Objects.requireNonNull(mode);
        return copy;
    }

    /**
     * The same options, setting a time to live on each hash field written ({@code HPEXPIRE key ms
     * FIELDS n f ...} after the write, Redis 7.4+); null for none.
     *
     * @throws IllegalArgumentException for a TTL under 1 ms
     */
    public RedisWriteOptions withHashFieldTtl(@Nullable Duration fieldTtl) {
        if (fieldTtl != null && fieldTtl.toMillis() < 1) {
            throw new IllegalArgumentException("a field's time to live must be at least 1 ms");
        }
        RedisWriteOptions copy = copy();
        copy.hashFieldTtl = fieldTtl;
        return copy;
    }

    /**
     * The same options with the policy for rows whose write Redis refuses for their own key.
     *
     * @throws IllegalArgumentException for {@link RedisWriteErrorPolicy#DEAD_LETTER}: use {@link
     *     #withDeadLetterStream}, which names the stream
     */
    public RedisWriteOptions withErrorPolicy(RedisWriteErrorPolicy policy) {
        if (policy == RedisWriteErrorPolicy.DEAD_LETTER) {
            throw new IllegalArgumentException(
                    "the dead-letter policy needs a stream: use withDeadLetterStream");
        }
        RedisWriteOptions copy = copy();
        copy.errorPolicy = Objects.requireNonNull(policy);
        copy.deadLetterStream = null;
        return copy;
    }

    /**
     * The same options with the {@link RedisWriteErrorPolicy#DEAD_LETTER dead-letter} policy: each
     * row Redis refuses for its own key becomes an entry of {@code stream} ({@code XADD stream
     * MAXLEN ~ maxLength * ...}).
     *
     * @param stream the dead-letter stream's key (UTF-8)
     * @param maxLength the entries the stream is trimmed to, about; 1 or more
     * @throws IllegalArgumentException for an empty stream key or a length under 1
     */
    public RedisWriteOptions withDeadLetterStream(String stream, long maxLength) {
        if (stream == null || stream.isEmpty()) {
            throw new IllegalArgumentException("the dead-letter stream's key must not be empty");
        }
        if (maxLength < 1) {
            throw new IllegalArgumentException(
                    "a dead-letter stream's length must be 1 or more, not " + maxLength);
        }
        RedisWriteOptions copy = copy();
        copy.errorPolicy = RedisWriteErrorPolicy.DEAD_LETTER;
        copy.deadLetterStream = stream;
        copy.deadLetterMaxLength = maxLength;
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
        copy.ttlMode = ttlMode;
        copy.hashFieldTtl = hashFieldTtl;
        copy.errorPolicy = errorPolicy;
        copy.deadLetterStream = deadLetterStream;
        copy.deadLetterMaxLength = deadLetterMaxLength;
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

    /** When the time to live is set. */
    public RedisTtlMode ttlMode() {
        return ttlMode;
    }

    /** The time to live of each hash field written, or null. */
    @Nullable
    public Duration hashFieldTtl() {
        return hashFieldTtl;
    }

    /** What happens to a row whose write Redis refuses for its own key. */
    public RedisWriteErrorPolicy errorPolicy() {
        return errorPolicy;
    }

    /** The dead-letter stream's key, or null unless the policy is dead-letter. */
    @Nullable
    public String deadLetterStream() {
        return deadLetterStream;
    }

    /** The entries the dead-letter stream is trimmed to, about ({@code MAXLEN ~}). */
    public long deadLetterMaxLength() {
        return deadLetterMaxLength;
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
                && duplicatePolicy == that.duplicatePolicy
                && ttlMode == that.ttlMode
                && Objects.equals(hashFieldTtl, that.hashFieldTtl)
                && errorPolicy == that.errorPolicy
                && Objects.equals(deadLetterStream, that.deadLetterStream)
                && deadLetterMaxLength == that.deadLetterMaxLength;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                dataType, maxBatchRows, flushInterval, maxBatchesInFlight, maxRetries, ttl);
    }
}
