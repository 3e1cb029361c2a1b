package io.github.flinkredis.connector.source.stream;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.StreamTrimmedPolicy;
import io.github.flinkredis.connector.model.RedisRecordDeserializer;
import io.github.flinkredis.connector.model.RedisStreamConsumer;
import io.github.flinkredis.connector.model.RedisStreamPositions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.util.Preconditions;

/**
 * Builder of {@link RedisStreamSource}; connection, key pattern and deserializer are required.
 * Defaults: from the first entry, unbounded, 1000 entries per stream per XREAD, BLOCK 1 s, new
 * streams looked for every minute, reconnects tried for 60 s.
 */
@PublicEvolving
public final class RedisStreamSourceBuilder<T> {

    private RedisConnectionConfig connectionConfig;
    private String keyPattern;
    private List<String> fields;
    private RedisStreamPositions positions = RedisStreamPositions.earliestUnbounded();
    private int count = 1000;
    private Duration block = Duration.ofSeconds(1);
    private Duration discoveryInterval = Duration.ofMinutes(1);
    private Duration reconnectWindow = Duration.ofSeconds(60);
    private RedisStreamConsumer consumer;
    private StreamTrimmedPolicy trimmedPolicy = StreamTrimmedPolicy.FAIL;
    private RedisRecordDeserializer<T> deserializer;

    RedisStreamSourceBuilder() {}

    /**
     * Reads as {@code consumer} of a consumer group (XREADGROUP; XACK when a checkpoint completes)
     * instead of with XREAD. Only for an unbounded source; the startup mode applies when the group
     * is created.
     */
    public RedisStreamSourceBuilder<T> setConsumer(RedisStreamConsumer consumer) {
        this.consumer = Objects.requireNonNull(consumer);
        return this;
    }

    public RedisStreamSourceBuilder<T> setConnectionConfig(RedisConnectionConfig connectionConfig) {
        this.connectionConfig = Objects.requireNonNull(connectionConfig);
        return this;
    }

    /**
     * The streams to read: a glob pattern (SCAN MATCH ... TYPE stream), e.g. {@code orders:*}, or
     * one key without glob characters, read even before it exists.
     */
    public RedisStreamSourceBuilder<T> setKeyPattern(String keyPattern) {
        this.keyPattern = Objects.requireNonNull(keyPattern);
        return this;
    }

    /**
     * The entry fields each record holds, in this order, a missing one as null (default: every
     * field of the entry).
     */
    public RedisStreamSourceBuilder<T> setFields(List<String> fields) {
        this.fields = List.copyOf(fields);
        return this;
    }

    /** Where each stream's read starts and whether and where it stops. */
    public RedisStreamSourceBuilder<T> setPositions(RedisStreamPositions positions) {
        this.positions = Objects.requireNonNull(positions);
        return this;
    }

    /** Entries per stream per XREAD (its COUNT), default 1000. */
    public RedisStreamSourceBuilder<T> setCount(int count) {
        Preconditions.checkArgument(count > 0, "XREAD COUNT must be positive: %s", count);
        this.count = count;
        return this;
    }

    /**
     * How long one XREAD waits for new entries (its BLOCK), default 1 s; below the command timeout.
     * A stream assigned to a reader while its slot's XREAD waits joins the next one.
     */
    public RedisStreamSourceBuilder<T> setBlock(Duration block) {
        Preconditions.checkArgument(
                block.toMillis() >= 1, "XREAD BLOCK must be at least 1 ms: %s", block);
        this.block = block;
        return this;
    }

    /** How often to look for new streams matching the pattern; zero or negative: never. */
    public RedisStreamSourceBuilder<T> setDiscoveryInterval(Duration discoveryInterval) {
        this.discoveryInterval = Objects.requireNonNull(discoveryInterval);
        return this;
    }

    /**
     * How long a reader tries to reconnect after a failed XREAD (default 60 s) before the job fails
     * over to its last checkpoint.
     */
    public RedisStreamSourceBuilder<T> setReconnectWindow(Duration reconnectWindow) {
        this.reconnectWindow = Objects.requireNonNull(reconnectWindow);
        return this;
    }

    /**
     * What to do when entries after a stream's start or checkpointed position were deleted before
     * they were read (checked when the read of a stream starts, with XINFO STREAM on Redis 7.0 and
     * later): fail (default), or warn, count and go on.
     */
    public RedisStreamSourceBuilder<T> setTrimmedPolicy(StreamTrimmedPolicy trimmedPolicy) {
        this.trimmedPolicy = Objects.requireNonNull(trimmedPolicy);
        return this;
    }

    public RedisStreamSourceBuilder<T> setDeserializer(RedisRecordDeserializer<T> deserializer) {
        this.deserializer = Objects.requireNonNull(deserializer);
        return this;
    }

    /**
     * @throws IllegalArgumentException if a required setting is missing, or BLOCK is not below the
     *     command timeout
     */
    public RedisStreamSource<T> build() {
        Preconditions.checkArgument(connectionConfig != null, "connection config is required");
        Preconditions.checkArgument(keyPattern != null, "key pattern is required");
        Preconditions.checkArgument(deserializer != null, "deserializer is required");
        Preconditions.checkArgument(
                block.compareTo(connectionConfig.getCommandTimeout()) < 0,
                "XREAD BLOCK (%s ms) must be below the command timeout (%s ms)",
                block.toMillis(),
                connectionConfig.getCommandTimeout().toMillis());
        Preconditions.checkArgument(
                consumer == null || !positions.isBounded(),
                "a consumer group reads unbounded: no bounded mode (%s)",
                positions);
        return new RedisStreamSource<>(
                connectionConfig,
                keyPattern,
                fields,
                positions,
                count,
                block.toMillis(),
                discoveryInterval.toMillis(),
                reconnectWindow.toMillis(),
                consumer,
                trimmedPolicy,
                deserializer);
    }
}
