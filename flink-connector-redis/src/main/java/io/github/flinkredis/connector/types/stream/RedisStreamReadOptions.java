package io.github.flinkredis.connector.types.stream;

import static io.github.flinkredis.connector.config.RedisConnectorOptions.COMMAND_TIMEOUT;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_BOUNDED_MODE;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_BOUNDED_SPECIFIC_IDS;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_BOUNDED_TIMESTAMP_MILLIS;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_CLAIM_MIN_IDLE_TIME;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_CONSUMER_GROUP;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_CONSUMER_NAME;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_DISCOVERY_INTERVAL;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_STARTUP_MODE;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_STARTUP_SPECIFIC_IDS;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_STARTUP_TIMESTAMP_MILLIS;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_STREAM_BLOCK;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.SCAN_STREAM_TRIMMED_POLICY;
import static io.github.flinkredis.connector.config.RedisConnectorOptions.VALUE_FIELD;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.StreamBoundedMode;
import io.github.flinkredis.connector.config.StreamStartupMode;
import io.github.flinkredis.connector.model.RedisStreamConsumer;
import io.github.flinkredis.connector.model.RedisStreamEntryId;
import io.github.flinkredis.connector.model.RedisStreamPositions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;

/**
 * Parses and checks the read options of a stream table ({@code scan.startup.*}, {@code
 * scan.bounded.*}, {@code scan.stream.block}, {@code scan.discovery.interval}, {@code
 * scan.consumer.*}, {@code scan.claim.min-idle-time}, {@code value.field}, {@code
 * scan.stream.trimmed-policy}) into a {@link RedisStreamOptions}.
 */
@Internal
public final class RedisStreamReadOptions {

    private RedisStreamReadOptions() {}

    /**
     * The read options of a stream table (start and stop positions, XREAD's BLOCK, discovery,
     * consumer group, value field, trimmed policy), checked.
     *
     * @throws ValidationException naming the option at fault
     */
    public static RedisStreamOptions parse(
            ReadableConfig options, RedisConnectionConfig connection) {
        StreamStartupMode startup = options.get(SCAN_STARTUP_MODE);
        StreamBoundedMode bounded = options.get(SCAN_BOUNDED_MODE);
        long startupTimestamp =
                modeValue(
                                options,
                                SCAN_STARTUP_MODE,
                                StreamStartupMode.TIMESTAMP,
                                SCAN_STARTUP_TIMESTAMP_MILLIS)
                        .orElse(0L);
        long boundedTimestamp =
                modeValue(
                                options,
                                SCAN_BOUNDED_MODE,
                                StreamBoundedMode.TIMESTAMP,
                                SCAN_BOUNDED_TIMESTAMP_MILLIS)
                        .orElse(0L);
        Map<String, RedisStreamEntryId> startupIds =
                ids(
                        modeValue(
                                options,
                                SCAN_STARTUP_MODE,
                                StreamStartupMode.SPECIFIC_IDS,
                                SCAN_STARTUP_SPECIFIC_IDS),
                        SCAN_STARTUP_SPECIFIC_IDS);
        Map<String, RedisStreamEntryId> boundedIds =
                ids(
                        modeValue(
                                options,
                                SCAN_BOUNDED_MODE,
                                StreamBoundedMode.SPECIFIC_IDS,
                                SCAN_BOUNDED_SPECIFIC_IDS),
                        SCAN_BOUNDED_SPECIFIC_IDS);
        Duration block = options.get(SCAN_STREAM_BLOCK);
        if (block.toMillis() < 1 || block.compareTo(connection.getCommandTimeout()) >= 0) {
            throw new ValidationException(
                    String.format(
                            "Invalid value '%s' for option '%s': XREAD's BLOCK must be at least"
                                    + " 1 ms and below '%s' (%s).",
                            block,
                            SCAN_STREAM_BLOCK.key(),
                            COMMAND_TIMEOUT.key(),
                            connection.getCommandTimeout()));
        }
        Duration interval = options.get(SCAN_DISCOVERY_INTERVAL);
        if (interval.isNegative()) {
            throw new ValidationException(
                    String.format(
                            "Invalid value '%s' for option '%s': must not be negative.",
                            interval, SCAN_DISCOVERY_INTERVAL.key()));
        }
        return new RedisStreamOptions(
                RedisStreamPositions.of(
                        startup,
                        startupTimestamp,
                        startupIds,
                        bounded,
                        boundedTimestamp,
                        boundedIds),
                block.toMillis(),
                interval.toMillis(),
                consumer(options, bounded),
                nonBlank(options, VALUE_FIELD),
                options.get(SCAN_STREAM_TRIMMED_POLICY));
    }

    /** The consumer group to read as ({@code scan.consumer.*}), checked; null without one. */
    @Nullable
    private static RedisStreamConsumer consumer(ReadableConfig options, StreamBoundedMode bounded) {
        RedisStreamConsumer consumer = null;
        if (options.getOptional(SCAN_CONSUMER_GROUP).isPresent()) {
            if (bounded != StreamBoundedMode.UNBOUNDED) {
                throw new ValidationException(
                        String.format(
                                "Option '%s' reads a stream table unbounded: it does not go with"
                                        + " '%s' = '%s'.",
                                SCAN_CONSUMER_GROUP.key(), SCAN_BOUNDED_MODE.key(), bounded));
            }
            consumer =
                    new RedisStreamConsumer(
                            nonBlank(options, SCAN_CONSUMER_GROUP),
                            nonBlank(options, SCAN_CONSUMER_NAME));
            Duration claimMinIdle = options.get(SCAN_CLAIM_MIN_IDLE_TIME);
            if (claimMinIdle != null) {
                if (claimMinIdle.toMillis() < 1) {
                    throw new ValidationException(
                            String.format(
                                    "Invalid value '%s' for option '%s': must be at least 1 ms.",
                                    claimMinIdle, SCAN_CLAIM_MIN_IDLE_TIME.key()));
                }
                consumer = consumer.withClaimMinIdle(claimMinIdle);
            }
        } else {
            for (ConfigOption<?> option : List.of(SCAN_CONSUMER_NAME, SCAN_CLAIM_MIN_IDLE_TIME)) {
                if (options.getOptional(option).isPresent()) {
                    throw new ValidationException(
                            String.format(
                                    "Option '%s' needs option '%s'.",
                                    option.key(), SCAN_CONSUMER_GROUP.key()));
                }
            }
        }
        return consumer;
    }

    private static String nonBlank(ReadableConfig options, ConfigOption<String> option) {
        String value = options.get(option);
        if (value.isBlank()) {
            throw new ValidationException(
                    String.format(
                            "Invalid value '' for option '%s': must not be empty.", option.key()));
        }
        return value;
    }

    /**
     * The value of {@code valueOption}, which {@code modeOption} needs when it is {@code mode} and
     * forbids otherwise.
     */
    private static <M, V> Optional<V> modeValue(
            ReadableConfig options,
            ConfigOption<M> modeOption,
            M mode,
            ConfigOption<V> valueOption) {
        Optional<V> value = options.getOptional(valueOption);
        M actual = options.get(modeOption);
        if (actual == mode && value.isEmpty()) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' = '%s' needs option '%s'.",
                            modeOption.key(), actual, valueOption.key()));
        }
        if (actual != mode && value.isPresent()) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' applies only with '%s' = '%s', not '%s'.",
                            valueOption.key(), modeOption.key(), mode, actual));
        }
        return value;
    }

    private static Map<String, RedisStreamEntryId> ids(
            Optional<String> value, ConfigOption<String> option) {
        if (value.isEmpty()) {
            return Map.of();
        }
        try {
            return RedisStreamPositions.parseIds(option.key(), value.get());
        } catch (IllegalArgumentException e) {
            throw new ValidationException(e.getMessage(), e);
        }
    }
}
