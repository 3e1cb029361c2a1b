package io.github.flinkredis.connector.types.spi;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisWriteMode;
import io.github.flinkredis.connector.config.RedisWriteOptions;
import io.github.flinkredis.connector.convert.RedisColumnSource;
import io.github.flinkredis.connector.convert.RedisRowColumn;
import io.github.flinkredis.connector.convert.RedisValueParsers;
import io.github.flinkredis.connector.model.RedisReadShape;
import io.github.flinkredis.connector.model.RedisReadSpec;
import java.time.ZoneId;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.expressions.ResolvedExpression;
import org.apache.flink.table.types.logical.LogicalType;

/**
 * What one Redis data type means to the connector, behind one small interface: each data type's
 * package ({@code types.hash}, {@code types.json}, ...) implements it, and {@link
 * io.github.flinkredis.connector.types.RedisTypes} maps the {@code data-type} option to it. The
 * table source and sink, the split readers, the sink writer and the lookup readers ask the type
 * instead of switching on it.
 *
 * <p>A handler is stateless and shared: what it builds for a table (readers, writers) carries the
 * table's settings. It is its type's {@link RedisReadShape}, serialized with the {@link
 * RedisReadSpec}s of its reads (an implementation resolves to its one instance).
 */
@Internal
public interface RedisTypeHandler extends RedisReadShape {

    /** The column types a value or key part can have, for messages (a sentence). */
    String SCALAR_TYPES =
            "Supported types: CHAR, VARCHAR/STRING, BOOLEAN, TINYINT, SMALLINT, INT, BIGINT,"
                    + " FLOAT, DOUBLE, DECIMAL, DATE, TIME, TIMESTAMP, TIMESTAMP_LTZ, BINARY,"
                    + " VARBINARY/BYTES.";

    /** The data type this handler is for. */
    @Override
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

    /**
     * The paged read of each key's members (see {@link RedisMemberRead}) for a read of {@code
     * spec}; null for a type whose key is one record (hash, json, string), the default.
     */
    @Nullable
    default RedisMemberRead memberRead(RedisReadSpec spec) {
        return null;
    }

    // ---- writes ----

    /**
     * The commands that write and remove this type's records, for a sink with {@code options};
     * built once per sink writer.
     */
    RedisTypeWriter writer(RedisWriteOptions options);

    /** What a table's row means as a write of this type; built once per sink writer (at open). */
    RedisRowMutations rowMutations(RedisRowColumns columns);

    /** Whether writes append (list, stream): a table of this type takes no updates or deletes. */
    default boolean appendOnly() {
        return false;
    }

    /** Whether a row can set the ID of the entry it writes (metadata {@code id}): a stream. */
    default boolean writesEntryIds() {
        return false;
    }

    // ---- tables: columns and options ----

    /**
     * The options that only tables of this data type take: a table of another data type that sets
     * one fails, naming the option and this type.
     */
    default List<ConfigOption<?>> ownOptions() {
        return List.of();
    }

    /**
     * The parts of a row when a key holds many rows told apart by them (a set's member; a list's
     * element and index; a sorted set's member, score and rank; a sample's timestamp and value), in
     * record order, named as {@link io.github.flinkredis.connector.model.RedisReadSpec} names them;
     * empty when a key is one row (hash, json, string) or its rows are entries with fields
     * (stream). Each part has a column, named by its {@code *.column} option.
     */
    @Override
    default List<String> recordParts() {
        return List.of();
    }

    /** The record parts a table of this type must have a column for. */
    default List<String> requiredParts() {
        return recordParts();
    }

    /**
     * The record part that tells the rows of one key apart, which a PRIMARY KEY must include; null
     * when a key is one row.
     */
    @Nullable
    default String identifyingPart() {
        return null;
    }

    /** Whether option {@code format} may decode this type's values (a string, a stream field). */
    default boolean acceptsValueFormat() {
        return false;
    }

    /** Whether this type reads and writes a value column of {@code type} (not via a format). */
    default boolean supportsValueType(LogicalType type) {
        return RedisValueParsers.isSupported(type);
    }

    /** The value column types this type supports, for messages: a sentence. */
    default String describeSupportedValueTypes() {
        return SCALAR_TYPES;
    }

    /**
     * Checks what this data type requires of a table's columns, PRIMARY KEY and options, beyond the
     * checks common to all types.
     *
     * @throws org.apache.flink.table.api.ValidationException naming the column or option at fault
     */
    default void validate(RedisTableContext table) {}

    // ---- pushdown ----

    /**
     * The read settings of a table of this type from the options only it takes (see {@link
     * RedisReadSettings}), checked; {@link RedisReadSettings#NONE} for a type without such options,
     * the default.
     *
     * @param connection the table's connection (a stream's XREAD BLOCK must stay below its command
     *     timeout)
     * @throws org.apache.flink.table.api.ValidationException naming the option at fault
     */
    default RedisReadSettings readSettings(
            RedisTableContext table, RedisConnectionConfig connection) {
        return RedisReadSettings.NONE;
    }

    /**
     * The columns a table of this type reads from and writes to its keys' labels (a timeseries'
     * {@code label.columns}), checked to be physical columns; empty for other types.
     *
     * @throws org.apache.flink.table.api.ValidationException naming a column that is not physical
     */
    default List<String> labelColumns(RedisTableContext table) {
        return List.of();
    }

    /**
     * The filters of a read that this type expresses exactly in its member reads (a list's index
     * range for LRANGE, a sorted set's score range for ZRANGE BYSCORE, a stream's entry times for
     * XRANGE, a timeseries' time and value range and label equalities); {@link
     * RedisPushedFilters#NONE} for a type that takes none, the default. Called by the planner, once
     * per query, never per row.
     */
    default RedisPushedFilters pushFilters(
            List<ResolvedExpression> filters, RedisPushdownContext table) {
        return RedisPushedFilters.NONE;
    }

    /**
     * The readable metadata that tables of this type offer beyond {@code key} and {@code ttl},
     * which every table offers, in the order a table lists them after those two: their keys, types
     * and sources (a stream's {@code id} and {@code timestamp}, a timeseries' {@code labels}; see
     * the definitions in the types' packages); none by default. The keys differ from {@code key}
     * and {@code ttl} and from each other. Called at planning, never per row.
     */
    default List<RedisMetadataColumn> readableMetadata() {
        return List.of();
    }

    /**
     * Whether a lookup join can read a table of this type with point reads (HMGET/HGETALL,
     * JSON.GET, GET, ZSCORE).
     */
    default boolean servesLookups() {
        return false;
    }

    /**
     * The record part besides the key that a lookup join must give with an equality condition (a
     * sorted set's member, whose score a lookup reads), or null when the key alone is looked up.
     */
    @Nullable
    default String lookupPart() {
        return null;
    }

    /**
     * Whether the rows a value format decodes keep the format's row kinds (a stream of change
     * events, e.g. debezium-json), so the table's changelog mode is the format's; else a table of
     * this type is insert-only.
     */
    default boolean keepsFormatChangelog() {
        return false;
    }

    /**
     * The deserializer column of a value read as field number {@code field} of each key's reply (a
     * hash field, a string's value, a JSON member, a part of a member's record).
     */
    default RedisRowColumn fieldColumn(String name, int field, LogicalType type, ZoneId zone) {
        return new RedisRowColumn(name, RedisColumnSource.FIELD, field, type, zone);
    }

    // ---- split reads ----

    /**
     * The connection settings a split reader of this type reads with: {@code config} itself by
     * default. Timeseries are read over RESP2, where RedisTimeSeries sends a sample's value as its
     * shortest decimal text, parsed from the bytes (over RESP3 it is a double, which Lettuce parses
     * through a String per value, and Redis 7.0 writes with 17 digits).
     */
    default RedisConnectionConfig readConnection(RedisConnectionConfig config) {
        return config;
    }

    /**
     * Where a split reader finds the keys of a read of {@code spec} instead of with {@code SCAN}
     * (timeseries chosen by labels: {@code TS.QUERYINDEX}); null to SCAN, the default.
     */
    @Nullable
    default RedisKeySource keySource(RedisReadSpec spec) {
        return null;
    }

    /**
     * The identifier a RediSearch index gives the value of column {@code column} of this data type
     * (a hash field's name, a JSON member's path under {@code jsonPath}), or null where a
     * RediSearch index cannot select the keys of this data type (the default): then its tables are
     * never read through an index ({@code search.index}).
     */
    @Nullable
    default String searchIdentifier(String column, String jsonPath) {
        return null;
    }

    // ---- lookups and read specs ----
    // (with those of RedisReadShape: readsMembers(), readsSeries(), describeRead(spec))

    /**
     * The fields a read of the DataStream source ({@code RedisSourceBuilder}) fetches when it is
     * given {@code fields} (null: {@code setFields} was not called): {@code fields} by default; a
     * string's value is then named {@link RedisReadSpec#STRING_VALUE}.
     */
    @Nullable
    default List<String> sourceFields(@Nullable List<String> fields) {
        return fields;
    }

    /**
     * The fields a DataStream lookup of this type reads, from those it was given ({@code
     * setFields}) and whether it names a member of each key ({@code setMemberFunction}). By default
     * the fields given, which must not be empty: a lookup of a hash or a JSON document names the
     * fields or members it reads.
     *
     * @throws IllegalArgumentException naming what the lookup lacks or what does not apply
     */
    default List<String> lookupFields(List<String> fields, boolean memberGiven) {
        if (fields.isEmpty()) {
            throw new IllegalArgumentException(
                    "RedisAsyncLookupFunction of "
                            + dataType()
                            + " values needs the fields to read (setFields)");
        }
        return fields;
    }

    /**
     * The point read of a member of a key, for a type whose lookups give the key and its {@link
     * #lookupPart()} (a sorted set's member: ZSCORE); null for a type whose lookups read the key's
     * value ({@link #valueRead}), the default. Built once per lookup function.
     *
     * @param fields the record parts read, in record order (see {@link #lookupFields})
     */
    @Nullable
    default RedisMemberLookup memberLookup(List<String> fields) {
        return null;
    }

    /**
     * Whether a sink writes this type in {@code mode}: every mode for a type of one row per key
     * (hash, json, string: replacing or keeping an existing key's value); {@link
     * RedisWriteMode#MERGE}, the default, only for a type whose rows are a key's members.
     */
    default boolean takesWriteMode(RedisWriteMode mode) {
        return mode == RedisWriteMode.MERGE || !readsMembers();
    }

    // ---- errors ----

    /**
     * Whether {@code error}, the text of an error reply to a read of a key of this type, means that
     * the key no longer exists (RedisTimeSeries: {@code TSDB: the key does not exist}, for a series
     * deleted after SCAN): the key then yields no record, as a deleted key of another type does.
     * False by default. Called per error reply, never per key read.
     */
    default boolean isMissingKeyError(String error) {
        return false;
    }

    /**
     * Whether {@code error}, the text of an error reply to a read of a key of this type, says in a
     * module's words that the key holds another type (RedisJSON: {@code Existing key has wrong
     * Redis type}; RedisTimeSeries: {@code the key is not a TSDB key}): the key is then skipped and
     * counted, as for Redis's own {@code WRONGTYPE}, which the caller knows. False by default.
     */
    default boolean isOtherTypeError(String error) {
        return false;
    }
}
