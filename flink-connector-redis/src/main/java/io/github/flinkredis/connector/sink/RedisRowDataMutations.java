package io.github.flinkredis.connector.sink;

import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisTableLayout;
import io.github.flinkredis.connector.convert.RedisKeyBuilder;
import io.github.flinkredis.connector.convert.RedisValueFormatters;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.types.RedisTypes;
import io.github.flinkredis.connector.types.spi.RedisMutationFactory;
import io.github.flinkredis.connector.types.spi.RedisRowColumns;
import io.github.flinkredis.connector.types.spi.RedisRowMutations;
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
        public static final MetadataPositions NONE = new MetadataPositions(-1, -1, -1, -1);

        final int key;
        final int ttl;
        final int entryId;
        final int fieldTtl;

        /**
         * @param key position of the STRING or BYTES column with each row's full key, or -1
         * @param ttl position of the BIGINT column with a per-row time to live in milliseconds
         *     (NULL, 0 or negative: none), or -1
         * @param entryId position of the STRING column with a stream entry's ID (NULL: a new one),
         *     or -1
         * @param fieldTtl position of the BIGINT column with a per-row time to live of each hash
         *     field written, in milliseconds (NULL, 0 or negative: none), or -1
         */
        public MetadataPositions(int key, int ttl, int entryId, int fieldTtl) {
            this.key = key;
            this.ttl = ttl;
            this.entryId = entryId;
            this.fieldTtl = fieldTtl;
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

    /** The data type's meaning of a row, built at open. */
    private transient RedisRowMutations rows;

    /**
     * @param layout the table's data type, {@code key.prefix} and {@code key.separator}, its
     *     {@linkplain RedisTableLayout#literalKey() literal key} (the key of every row when the
     *     table has neither key columns nor a {@code key} metadata column) and, for set, list, zset
     *     and timeseries, the column of each part of a record (member, score, element, timestamp,
     *     value)
     * @param rowType the row written: the physical columns, then the metadata columns written
     * @param keyParts positions of the columns that build the key, in key order
     * @param labelColumns for timeseries: the columns written as labels of the series
     * @param metadata where the row holds the writable metadata
     */
    public RedisRowDataMutations(
            RedisTableLayout layout,
            RowType rowType,
            int[] keyParts,
            List<String> labelColumns,
            MetadataPositions metadata) {
        this.dataType = layout.dataType();
        Map<String, String> recordColumns = layout.memberColumns();
        this.rowType = rowType;
        this.keyParts = keyParts;
        List<String> names = rowType.getFieldNames();
        this.keys =
                new RedisKeyBuilder(
                        layout.keyPrefix(),
                        layout.keySeparator(),
                        layout.literalKey(),
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
            boolean isMetadata =
                    i == metadata.key
                            || i == metadata.ttl
                            || i == metadata.entryId
                            || i == metadata.fieldTtl;
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
        RedisValueFormatters.Formatter[] formatters =
                new RedisValueFormatters.Formatter[rowType.getFieldCount()];
        for (int i = 0; i < formatters.length; i++) {
            LogicalType type = rowType.getTypeAt(i);
            if (RedisValueFormatters.isSupported(type)) {
                formatters[i] = RedisValueFormatters.create(type);
            }
        }
        RedisRowColumns columns =
                new RedisRowColumns(
                        rowType,
                        formatters,
                        valueColumns,
                        valueNames,
                        labelColumns,
                        labelNames,
                        member,
                        score,
                        timestamp,
                        metadata.entryId);
        rows = RedisTypes.of(dataType).rowMutations(columns);
    }

    @Override
    public RedisMutation serialize(RowData row) {
        if (rows == null) {
            open(null);
        }
        RowKind kind = row.getRowKind();
        if (kind == RowKind.UPDATE_BEFORE) {
            return mutation(row, kind).asUpdateBefore();
        }
        return mutation(row, kind);
    }

    /** The data type's mutation of {@code row}, with the TTL of the {@code ttl} column. */
    private RedisMutation mutation(RowData row, RowKind kind) {
        byte[] key = key(row);
        if (kind == RowKind.DELETE || kind == RowKind.UPDATE_BEFORE) {
            return rows.delete(row, key, kind, Mutations.INSTANCE);
        }
        RedisMutation mutation = rows.upsert(row, key, Mutations.INSTANCE);
        int ttl = metadata.ttl;
        if (ttl >= 0) {
            // the column decides for every row: NULL, 0 or negative is no TTL, also with sink.ttl
            long millis = row.isNullAt(ttl) ? 0 : row.getLong(ttl);
            mutation = mutation.withTtl(millis > 0 ? millis : RedisMutation.NO_EXPIRY);
        }
        int fieldTtl = metadata.fieldTtl;
        if (fieldTtl >= 0) {
            long millis = row.isNullAt(fieldTtl) ? 0 : row.getLong(fieldTtl);
            mutation = mutation.withFieldTtl(millis > 0 ? millis : RedisMutation.NO_EXPIRY);
        }
        return mutation;
    }

    /**
     * The key {@code row} is written to, as a string of its bytes (ISO-8859-1, one char per byte),
     * for partitioning rows by key.
     */
    public String keyOf(RowData row) {
        if (rows == null) {
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

    /** {@link RedisMutation}'s factories, for the data types' row mutations. */
    private static final class Mutations implements RedisMutationFactory<RedisMutation> {

        static final Mutations INSTANCE = new Mutations();

        @Override
        public RedisMutation hash(byte[] key, byte[][] fieldNames, byte[][] values) {
            return RedisMutation.hash(key, fieldNames, values);
        }

        @Override
        public RedisMutation string(byte[] key, @Nullable byte[] value) {
            return RedisMutation.string(key, value);
        }

        @Override
        public RedisMutation document(byte[] key, byte[] json) {
            return RedisMutation.document(key, json);
        }

        @Override
        public RedisMutation member(byte[] key, byte[] member) {
            return RedisMutation.member(key, member);
        }

        @Override
        public RedisMutation scoredMember(byte[] key, byte[] member, double score) {
            return RedisMutation.scoredMember(key, member, score);
        }

        @Override
        public RedisMutation streamEntry(
                byte[] key, @Nullable byte[] entryId, byte[][] fieldNames, byte[][] values) {
            return RedisMutation.streamEntry(key, entryId, fieldNames, values);
        }

        @Override
        public RedisMutation sample(
                byte[] key,
                long timestamp,
                double value,
                byte[][] labelNames,
                byte[][] labelValues) {
            return RedisMutation.sample(key, timestamp, value, labelNames, labelValues);
        }

        @Override
        public RedisMutation deleteKey(byte[] key) {
            return RedisMutation.deleteKey(key);
        }

        @Override
        public RedisMutation deleteMember(byte[] key, byte[] member) {
            return RedisMutation.deleteMember(key, member);
        }

        @Override
        public RedisMutation deleteSample(byte[] key, long timestamp) {
            return RedisMutation.deleteSample(key, timestamp);
        }
    }
}
