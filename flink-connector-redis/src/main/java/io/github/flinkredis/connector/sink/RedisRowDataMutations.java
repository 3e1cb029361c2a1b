package io.github.flinkredis.connector.sink;

import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.convert.RedisJsonWriters;
import io.github.flinkredis.connector.convert.RedisKeyBuilder;
import io.github.flinkredis.connector.convert.RedisValueFormatters;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.model.RedisText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.utils.LogicalTypeChecks;
import org.apache.flink.types.RowKind;

/**
 * Turns the rows of a redis table into {@link RedisMutation}s. The key is, in this order of
 * precedence: the value of the writable metadata column {@code key} where the table declares one;
 * else {@code key.prefix} and the PRIMARY KEY columns that are not parts of a record (member,
 * index, timestamp) joined by {@code key.separator}, formatted exactly as a scan parses them back
 * ({@link RedisValueFormatters}); else, for a table with no such columns, the one key that {@code
 * key.pattern} names when it has no glob characters.
 *
 * <ul>
 *   <li>INSERT and UPDATE_AFTER write: a hash gets its non-key columns as fields (a NULL column is
 *       removed with HDEL), a string its value (NULL removes the key), a set or list its member or
 *       element, a sorted set its member with its score, a stream an entry of its non-key columns
 *       (NULL columns left out) at the entry ID of the writable metadata column {@code id} or a new
 *       one, a timeseries a sample with its label columns;
 *   <li>DELETE removes the key (hash, json, string), the member (set, zset) or the sample
 *       (timeseries);
 *   <li>UPDATE_BEFORE is that DELETE {@linkplain RedisMutation#asUpdateBefore() marked as the first
 *       half of an update}: the writer drops it where the next row of its key is the UPDATE_AFTER
 *       or INSERT of the same record, and writes it otherwise (a filter on an aggregate's value,
 *       for one, sends an UPDATE_BEFORE whose UPDATE_AFTER it drops).
 * </ul>
 *
 * <p>A NULL in a key column, a member, a score, a timestamp or a sample value fails the job naming
 * the column and the key.
 */
@Internal
public final class RedisRowDataMutations implements RedisMutationSerializer<RowData> {

    private static final long serialVersionUID = 2L;

    /** Where a row holds the values of the writable metadata columns; -1 where it has none. */
    public static final class MetadataPositions implements java.io.Serializable {
        private static final long serialVersionUID = 1L;

        /** No writable metadata. */
        public static final MetadataPositions NONE = new MetadataPositions(-1, -1, -1);

        final int key;
        final int ttl;
        final int entryId;

        /**
         * @param key position of the STRING or BYTES column with each row's full key, or -1
         * @param ttl position of the BIGINT column with a per-row time to live in milliseconds
         *     (NULL, 0 or negative: none), or -1
         * @param entryId position of the STRING column with a stream entry's ID (NULL: a new one),
         *     or -1
         */
        public MetadataPositions(int key, int ttl, int entryId) {
            this.key = key;
            this.ttl = ttl;
            this.entryId = entryId;
        }
    }

    private final RedisDataType dataType;
    private final RowType rowType;
    private final int[] keyParts;
    private final RedisKeyBuilder keys;
    private final int[] valueColumns;
    private final byte[][] valueNames;
    private final int[] labelColumns;
    private final byte[][] labelNames;
    private final int member;
    private final int score;
    private final int timestamp;
    private final MetadataPositions metadata;

    private transient RedisValueFormatters.Formatter[] formatters;
    private transient RedisJsonWriters json;

    /**
     * @param rowType the row written: the physical columns, then the metadata columns written
     * @param keyParts positions of the columns that build the key, in key order
     * @param literalKey the key of every row when the table has neither key columns nor a {@code
     *     key} metadata column, or null
     * @param recordColumns for set, list, zset and timeseries: the column of each part of a record
     *     (member, score, element, timestamp, value)
     * @param labelColumns for timeseries: the columns written as labels of the series
     * @param metadata where the row holds the writable metadata
     */
    public RedisRowDataMutations(
            RedisDataType dataType,
            String keyPrefix,
            String keySeparator,
            @Nullable String literalKey,
            RowType rowType,
            int[] keyParts,
            Map<String, String> recordColumns,
            List<String> labelColumns,
            MetadataPositions metadata) {
        this.dataType = dataType;
        this.rowType = rowType;
        this.keyParts = keyParts;
        List<String> names = rowType.getFieldNames();
        this.keys =
                new RedisKeyBuilder(
                        keyPrefix,
                        keySeparator,
                        literalKey,
                        metadata.key,
                        metadata.key < 0 ? null : names.get(metadata.key),
                        metadata.key < 0 ? null : rowType.getTypeAt(metadata.key),
                        keyParts,
                        Arrays.stream(keyParts)
                                .mapToObj(rowType::getTypeAt)
                                .toArray(LogicalType[]::new),
                        Arrays.stream(keyParts).mapToObj(names::get).toArray(String[]::new));
        this.metadata = metadata;
        String memberName =
                recordColumns.getOrDefault(
                        RedisReadSpec.MEMBER, recordColumns.get(RedisReadSpec.ELEMENT));
        this.member = memberName == null ? -1 : names.indexOf(memberName);
        String scoreName =
                recordColumns.getOrDefault(
                        RedisReadSpec.SCORE, recordColumns.get(RedisReadSpec.VALUE));
        this.score = scoreName == null ? -1 : names.indexOf(scoreName);
        String timestampName = recordColumns.get(RedisReadSpec.TIMESTAMP);
        this.timestamp = timestampName == null ? -1 : names.indexOf(timestampName);
        this.labelColumns = labelColumns.stream().mapToInt(names::indexOf).toArray();
        this.labelNames = names(labelColumns);
        List<Integer> values = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            int column = i;
            boolean inKey = Arrays.stream(keyParts).anyMatch(k -> k == column);
            boolean isMetadata = i == metadata.key || i == metadata.ttl || i == metadata.entryId;
            if (!inKey
                    && !isMetadata
                    && !recordColumns.containsValue(names.get(i))
                    && !labelColumns.contains(names.get(i))) {
                values.add(i);
            }
        }
        this.valueColumns = values.stream().mapToInt(Integer::intValue).toArray();
        List<String> valueColumnNames = new ArrayList<>();
        for (int pos : valueColumns) {
            valueColumnNames.add(names.get(pos));
        }
        this.valueNames = names(valueColumnNames);
    }

    private static byte[][] names(List<String> names) {
        byte[][] out = new byte[names.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = names.get(i).getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context) {
        formatters = new RedisValueFormatters.Formatter[rowType.getFieldCount()];
        for (int i = 0; i < formatters.length; i++) {
            LogicalType type = rowType.getTypeAt(i);
            if (RedisValueFormatters.isSupported(type)) {
                formatters[i] = RedisValueFormatters.create(type);
            }
        }
        if (dataType == RedisDataType.JSON) {
            json = new RedisJsonWriters(rowType, valueColumns);
        }
    }

    @Override
    public RedisMutation serialize(RowData row) {
        if (formatters == null) {
            open(null);
        }
        RowKind kind = row.getRowKind();
        if (kind == RowKind.UPDATE_BEFORE) {
            return mutation(row, kind).asUpdateBefore();
        }
        return mutation(row, kind);
    }

    private RedisMutation mutation(RowData row, RowKind kind) {
        byte[] key = key(row);
        boolean delete = kind == RowKind.DELETE || kind == RowKind.UPDATE_BEFORE;
        RedisMutation mutation;
        switch (dataType) {
            case HASH:
                {
                    if (delete) {
                        return RedisMutation.deleteKey(key);
                    }
                    mutation = RedisMutation.hash(key, valueNames, fieldValues(row));
                    break;
                }
            case JSON:
                if (delete) {
                    return RedisMutation.deleteKey(key);
                }
                mutation = RedisMutation.document(key, json.write(row));
                break;
            case STRING:
                {
                    if (delete) {
                        return RedisMutation.deleteKey(key);
                    }
                    byte[] value = null;
                    if (valueColumns.length > 0 && !row.isNullAt(valueColumns[0])) {
                        value = formatters[valueColumns[0]].format(row, valueColumns[0]);
                    }
                    mutation = RedisMutation.string(key, value);
                    break;
                }
            case SET:
            case LIST:
                {
                    byte[] m = required(row, member, key);
                    if (delete) {
                        return RedisMutation.deleteMember(key, m);
                    }
                    mutation = RedisMutation.member(key, m);
                    break;
                }
            case ZSET:
                {
                    byte[] m = required(row, member, key);
                    if (delete) {
                        return RedisMutation.deleteMember(key, m);
                    }
                    if (row.isNullAt(score)) {
                        throw nullIn(score, key, "score");
                    }
                    mutation = RedisMutation.scoredMember(key, m, row.getDouble(score));
                    break;
                }
            case STREAM:
                if (delete) {
                    throw new IllegalArgumentException(
                            String.format(
                                    "A %s row for stream '%s': a stream table is append-only.",
                                    kind, RedisText.show(key)));
                }
                mutation = streamEntry(row, key);
                break;
            case TIMESERIES:
                {
                    if (row.isNullAt(timestamp)) {
                        throw nullIn(timestamp, key, "timestamp");
                    }
                    long millis = sampleTimestamp(row);
                    if (delete) {
                        return RedisMutation.deleteSample(key, millis);
                    }
                    if (row.isNullAt(score)) {
                        throw nullIn(score, key, "value");
                    }
                    byte[][] labels = new byte[labelColumns.length][];
                    for (int i = 0; i < labels.length; i++) {
                        int pos = labelColumns[i];
                        if (row.isNullAt(pos)) {
                            throw nullIn(pos, key, "label");
                        }
                        labels[i] = formatters[pos].format(row, pos);
                    }
                    mutation =
                            RedisMutation.sample(key, millis, sampleValue(row), labelNames, labels);
                    break;
                }
            default:
                throw new IllegalStateException("The sink cannot write " + dataType);
        }
        int ttl = metadata.ttl;
        if (ttl >= 0) {
            // the column decides for every row: NULL, 0 or negative is no TTL, also with sink.ttl
            long millis = row.isNullAt(ttl) ? 0 : row.getLong(ttl);
            mutation = mutation.withTtl(millis > 0 ? millis : RedisMutation.NO_EXPIRY);
        }
        return mutation;
    }

    /** The value columns as a hash's or stream entry's field values; null for a NULL column. */
    private byte[][] fieldValues(RowData row) {
        byte[][] values = new byte[valueColumns.length][];
        for (int i = 0; i < values.length; i++) {
            int pos = valueColumns[i];
            values[i] = row.isNullAt(pos) ? null : formatters[pos].format(row, pos);
        }
        return values;
    }

    private RedisMutation streamEntry(RowData row, byte[] key) {
        byte[][] values = fieldValues(row);
        if (Arrays.stream(values).allMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException(
                    String.format(
                            "Every field column (%s) is NULL in a row for stream '%s': a stream"
                                    + " entry needs at least one field.",
                            Arrays.stream(valueNames)
                                    .map(n -> new String(n, StandardCharsets.UTF_8))
                                    .collect(java.util.stream.Collectors.joining(", ")),
                            RedisText.show(key)));
        }
        byte[] id = null;
        if (metadata.entryId >= 0 && !row.isNullAt(metadata.entryId)) {
            id = row.getString(metadata.entryId).toBytes();
        }
        return RedisMutation.streamEntry(key, id, valueNames, values);
    }

    /** The sample's timestamp in milliseconds: TIMESTAMP_LTZ, TIMESTAMP (as UTC) or BIGINT. */
    private long sampleTimestamp(RowData row) {
        LogicalType type = rowType.getTypeAt(timestamp);
        switch (type.getTypeRoot()) {
            case BIGINT:
                return row.getLong(timestamp);
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                return row.getTimestamp(timestamp, LogicalTypeChecks.getPrecision(type))
                        .getMillisecond();
            default:
                throw new IllegalStateException("A sample's timestamp cannot be " + type);
        }
    }

    /** The sample's value as a double, from any numeric column. */
    private double sampleValue(RowData row) {
        LogicalType type = rowType.getTypeAt(score);
        switch (type.getTypeRoot()) {
            case DOUBLE:
                return row.getDouble(score);
            case FLOAT:
                return row.getFloat(score);
            case TINYINT:
                return row.getByte(score);
            case SMALLINT:
                return row.getShort(score);
            case INTEGER:
                return row.getInt(score);
            case BIGINT:
                return row.getLong(score);
            case DECIMAL:
                return row.getDecimal(
                                score,
                                LogicalTypeChecks.getPrecision(type),
                                LogicalTypeChecks.getScale(type))
                        .toBigDecimal()
                        .doubleValue();
            default:
                throw new IllegalStateException("A sample's value cannot be " + type);
        }
    }

    private byte[] required(RowData row, int pos, byte[] key) {
        if (row.isNullAt(pos)) {
            throw nullIn(pos, key, dataType == RedisDataType.LIST ? "element" : "member");
        }
        return formatters[pos].format(row, pos);
    }

    private IllegalArgumentException nullIn(int pos, byte[] key, String what) {
        return new IllegalArgumentException(
                String.format(
                        "Column '%s' (the %s) is NULL in a row for key '%s': Redis cannot store a"
                                + " NULL %s.",
                        rowType.getFieldNames().get(pos), what, RedisText.show(key), what));
    }

    /**
     * The key {@code row} is written to, as a string of its bytes (ISO-8859-1, one char per byte),
     * for partitioning rows by key.
     */
    public String keyOf(RowData row) {
        if (formatters == null) {
            open(null);
        }
        return new String(key(row), StandardCharsets.ISO_8859_1);
    }

    /**
     * The {@code key} metadata column's value, or {@code key.prefix} + the key columns joined by
     * {@code key.separator}, or the literal key.
     */
    private byte[] key(RowData row) {
        byte[] key = keys.key(row);
        if (key == null) {
            throw new IllegalArgumentException(keys.whyNoKey(row));
        }
        return key;
    }
}
