package io.github.flinkredis.connector.model;

import io.github.flinkredis.connector.config.RedisDataType;
import java.io.Serializable;
import java.util.List;
import org.apache.flink.annotation.Internal;

/**
 * What a {@link RedisReadSpec} needs to know of its data type: the parts of a record, whether a
 * key's rows are its members, which settings apply, and how a read is described. Each data type's
 * handler ({@code types.spi.RedisTypeHandler}) is its shape; a stateless singleton, serialized with
 * the spec it belongs to.
 */
@Internal
public interface RedisReadShape extends Serializable {

    /** The data type this shape is of. */
    RedisDataType dataType();

    /**
     * The parts a record can hold when a key holds many rows told apart by them (a set's member; a
     * list's element and index; a sorted set's member, score and rank; a sample's timestamp and
     * value), in record order; empty otherwise (hash, json, string, stream). A read's fields
     * default to them and may name only them.
     */
    List<String> recordParts();

    /**
     * Whether a key holds many rows (one per member, element, entry or sample), read in pages,
     * rather than one: set, list, zset, stream and timeseries. Such a key always needs a command.
     */
    default boolean readsMembers() {
        return false;
    }

    /**
     * Whether a read may aggregate, read labels or find its keys by a label filter (a timeseries).
     */
    default boolean readsSeries() {
        return false;
    }

    /**
     * What {@code spec} reads of each key, for {@link RedisReadSpec#toString()}: the command and
     * its arguments, after a space (e.g. {@code " HMGET [a, b]"}), or {@code " keys only"}.
     */
    String describeRead(RedisReadSpec spec);
}
