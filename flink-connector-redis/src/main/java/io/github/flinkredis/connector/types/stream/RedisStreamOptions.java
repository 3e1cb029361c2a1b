package io.github.flinkredis.connector.types.stream;

import io.github.flinkredis.connector.config.StreamBoundedMode;
import io.github.flinkredis.connector.config.StreamStartupMode;
import io.github.flinkredis.connector.config.StreamTrimmedPolicy;
import io.github.flinkredis.connector.model.RedisStreamConsumer;
import io.github.flinkredis.connector.model.RedisStreamPositions;
import io.github.flinkredis.connector.types.spi.RedisReadSettings;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;

/**
 * How a stream table reads its streams, from the options {@code scan.startup.*}, {@code
 * scan.bounded.*}, {@code scan.stream.block} and {@code scan.discovery.interval}: an immutable
 * value.
 */
@Internal
public final class RedisStreamOptions implements RedisReadSettings {

    private static final long serialVersionUID = 1L;

    private final RedisStreamPositions positions;
    private final long blockMillis;
    private final long discoveryIntervalMillis;
    @Nullable private final RedisStreamConsumer consumer;
    private final String valueField;
    private final StreamTrimmedPolicy trimmedPolicy;

    /**
     * @param consumer the consumer group and name to read as, or null to read with XREAD
     * @param valueField the entry field a value format decodes
     */
    public RedisStreamOptions(
            RedisStreamPositions positions,
            long blockMillis,
            long discoveryIntervalMillis,
            @Nullable RedisStreamConsumer consumer,
            String valueField,
            StreamTrimmedPolicy trimmedPolicy) {
        this.trimmedPolicy = Objects.requireNonNull(trimmedPolicy);
        this.consumer = consumer;
        this.valueField = Objects.requireNonNull(valueField);
        this.positions = Objects.requireNonNull(positions);
        this.blockMillis = blockMillis;
        this.discoveryIntervalMillis = discoveryIntervalMillis;
    }

    @Override
    public RedisStreamPositions positions() {
        return positions;
    }

    /** XREAD's BLOCK, milliseconds. */
    @Override
    public long blockMillis() {
        return blockMillis;
    }

    /** What to do when entries after the read's position were deleted before they were read. */
    @Override
    public StreamTrimmedPolicy trimmedPolicy() {
        return trimmedPolicy;
    }

    /** The entry field a value format ('format') decodes. */
    public String valueField() {
        return valueField;
    }

    /** The consumer group and name to read as, or null. */
    @Nullable
    @Override
    public RedisStreamConsumer consumer() {
        return consumer;
    }

    /** How often new streams are looked for, milliseconds; 0 for never. */
    @Override
    public long discoveryIntervalMillis() {
        return discoveryIntervalMillis;
    }

    /**
     * Whether the table is read by the bounded key scan (XRANGE pages, with filter and limit
     * pushdown): from the first entry to the last, {@code scan.startup.mode} = {@code earliest} and
     * {@code scan.bounded.mode} = {@code latest}. Otherwise a stream source reads it with XREAD.
     */
    public boolean isBoundedScan() {
        return consumer == null
                && positions.startupMode() == StreamStartupMode.EARLIEST
                && positions.boundedMode() == StreamBoundedMode.LATEST;
    }

    /**
     * A stream table tails its streams with XREAD unless it reads from the first entry to the last.
     */
    @Override
    public boolean isTail() {
        return !isBoundedScan();
    }

    @Override
    public String valueFormatField() {
        return valueField;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RedisStreamOptions
                && positions.equals(((RedisStreamOptions) o).positions)
                && blockMillis == ((RedisStreamOptions) o).blockMillis
                && discoveryIntervalMillis == ((RedisStreamOptions) o).discoveryIntervalMillis
                && Objects.equals(consumer, ((RedisStreamOptions) o).consumer)
                && valueField.equals(((RedisStreamOptions) o).valueField)
                && trimmedPolicy == ((RedisStreamOptions) o).trimmedPolicy;
    }

    @Override
    public int hashCode() {
        return Objects.hash(positions, blockMillis, discoveryIntervalMillis, consumer);
    }
}
