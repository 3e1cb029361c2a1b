package io.github.flinkredis.connector.types.spi;

import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.model.RedisReadSpec;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;

/**
 * What one Redis data type means to the connector, behind one small interface: each data type's
 * package ({@code types.hash}, {@code types.json}, ...) implements it, and {@link
 * io.github.flinkredis.connector.types.RedisTypes} maps the {@code data-type} option to it. The
 * table source and sink, the split readers, the sink writer and the lookup readers ask the type
 * instead of switching on it.
 *
 * <p>A handler is stateless and shared: what it builds for a table (readers, writers) carries the
 * table's settings.
 */
@Internal
public interface RedisTypeHandler {

    /** The data type this handler is for. */
    RedisDataType dataType();

    // ---- reads of a key's value (scans and point reads) ----

    /**
     * The read of each key's value that {@code spec} selects (its fields, JSONPath), for a type of
     * one row per key (hash, json, string); null for a type whose rows are its members (set, list,
     * zset, stream, timeseries), read in pages instead. Built once per reader, used per key.
     */
    @Nullable
    default RedisValueRead valueRead(RedisReadSpec spec) {
        return null;
    }

    // ---- paged reads of a key's members ----

    // ---- writes ----
}
