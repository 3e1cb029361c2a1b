package io.github.flinkredis.connector.types.spi;

import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisWriteOptions;
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

    // ---- paged reads of a key's members ----

    // ---- writes ----

    /**
     * The commands that write and remove this type's records, for a sink with {@code options};
     * built once per sink writer.
     */
    RedisTypeWriter writer(RedisWriteOptions options);

    /** What a table's row means as a write of this type; built once per sink writer (at open). */
    RedisRowMutations rowMutations(RedisRowColumns columns);

    /** Whether writes append (list, stream): a table of this type takes no updates or deletes. */
    boolean appendOnly();

    /** Whether a row can set the ID of the entry it writes (metadata {@code id}): a stream. */
    boolean writesEntryIds();
}
