package io.github.flinkredis.connector.types.spi;

import io.github.flinkredis.connector.config.StreamTrimmedPolicy;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.model.RedisStreamConsumer;
import io.github.flinkredis.connector.model.RedisStreamPositions;
import io.github.flinkredis.connector.model.RedisTimeSeriesAggregation;
import java.io.Serializable;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;

/**
 * How a table of one data type reads, from the options only that type takes (a stream's start and
 * stop positions, a timeseries' aggregation and label filter): an immutable value, built and
 * checked by the type ({@link RedisTypeHandler#readSettings}), equal by content. A type without
 * such options reads with {@link #NONE}.
 */
@Internal
public interface RedisReadSettings extends Serializable {

    /** The settings of a type that has no read options of its own. */
    RedisReadSettings NONE = None.INSTANCE;

    /**
     * Whether the table is read by tailing its keys (a stream read with XREAD from a position, an
     * unbounded or position-bounded source) rather than by a bounded scan of its keys.
     */
    default boolean isTail() {
        return false;
    }

    /** The field of each key (or entry) a value format ({@code format}) decodes. */
    default String valueFormatField() {
        return RedisReadSpec.STRING_VALUE;
    }

    /** The server-side aggregation of a timeseries read, or null. */
    @Nullable
    default RedisTimeSeriesAggregation aggregation() {
        return null;
    }

    /** The TS.QUERYINDEX expressions that find a timeseries table's series, or null (SCAN). */
    @Nullable
    default List<String> labelFilter() {
        return null;
    }

    /** The columns read from a timeseries' labels ({@code label.columns}); empty for others. */
    default List<String> labelColumns() {
        return List.of();
    }

    // ---- lookups and read specs: a tail's settings (where isTail()) ----

    /** Where a tail starts and stops reading its keys; null for a table that is not tailed. */
    @Nullable
    default RedisStreamPositions positions() {
        return null;
    }

    /** How long a tail's read (XREAD BLOCK) waits for new entries, milliseconds. */
    default long blockMillis() {
        return 0;
    }

    /** How often a tail looks for new keys, milliseconds; 0 for never. */
    default long discoveryIntervalMillis() {
        return 0;
    }

    /** The consumer group and name a tail reads as (XREADGROUP), or null (XREAD). */
    @Nullable
    default RedisStreamConsumer consumer() {
        return null;
    }

    /** What a tail does when entries after its position were deleted before they were read. */
    default StreamTrimmedPolicy trimmedPolicy() {
        return StreamTrimmedPolicy.FAIL;
    }

    /** {@link #NONE}. */
    enum None implements RedisReadSettings {
        INSTANCE
    }
}
