package io.github.flinkredis.connector.types.spi;

import io.github.flinkredis.connector.convert.RedisColumnSource;
import java.util.Objects;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.types.DataType;

/**
 * A metadata column a redis table can read ({@code METADATA FROM '<key>'}): its metadata key, the
 * Flink type the table lists for it, and where the deserializer takes its value from. Every table
 * has {@code key} and {@code ttl}; a data type offers its own besides ({@link
 * RedisTypeHandler#readableMetadata}). What the value reads of each record (its TTL, its series'
 * labels) follows from the source ({@link RedisColumnSource#readsLabels}). An immutable value.
 *
 * @param key the metadata key, as {@code METADATA FROM} names it
 * @param dataType the type a table lists for the key (its shape and unit in the Javadoc of the
 *     definition)
 * @param source where a column of this metadata takes its value from
 */
@Internal
public record RedisMetadataColumn(String key, DataType dataType, RedisColumnSource source) {

    /** Checks that no component is null. */
    public RedisMetadataColumn {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(dataType, "dataType");
        Objects.requireNonNull(source, "source");
    }
}
