package io.github.flinkredis.connector.sink;

import io.github.flinkredis.connector.config.RedisConnectorOptions;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.convert.RedisJsonWriters;
import io.github.flinkredis.connector.convert.RedisValueFormatters;
import io.github.flinkredis.connector.source.RedisReadSpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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
 * Turns the rows of a redis table into {@link RedisMutation}s: the key is {@code key.prefix} and
 * the PRIMARY KEY columns (those that are not the member or index column) joined by {@code
 * key.separator}, formatted exactly as a scan parses them back ({@link RedisValueFormatters}).
 *
 * <ul>
 *   <li>INSERT and UPDATE_AFTER write: a hash gets its non-key columns as fields (a NULL column is
 *       removed with HDEL), a string its value (NULL removes the key), a set or list its member or
 *       element, a sorted set its member with its score;
 *   <li>DELETE removes the key (hash, string) or the member (set, zset);
 *   <li>UPDATE_BEFORE writes nothing: the UPDATE_AFTER that follows it does.
 * </ul>
 *
 * <p>A NULL in a key column, a member or a score fails the job naming the column and the key
 * prefix.
 */
@Internal
public final class RedisRowDataMutations implements RedisMutationSerializer<RowData> {

    private static final long serialVersionUID = 1L;

    private final RedisDataType dataType;
    private final byte[] prefix;
    private final byte[] separator;
    private final String keyPrefix;
    private final RowType rowType;
    private final int[] keyParts;
    private final int[] valueColumns;
    private final byte[][] valueNames;
    private final int member;
    private final int score;
    private final int ttl;

    private transient RedisValueFormatters.Formatter[] formatters;
    private transient RedisJsonWriters json;

    /**
     * @param rowType the physical row written
     * @param keyParts positions of the columns that build the key, in key order
     * @param memberColumns for set, list, zset: the column of each part (member, score, element)
     * @param ttlColumn position of a BIGINT column with a per-row time to live in milliseconds (the
     *     writable metadata {@code ttl}; NULL, 0 or negative: none), or -1
     */
    public RedisRowDataMutations(
            RedisDataType dataType,
            String keyPrefix,
            String keySeparator,
            RowType rowType,
            int[] keyParts,
            Map<String, String> memberColumns,
            int ttlColumn) {
        this.dataType = dataType;
        this.keyPrefix = keyPrefix;
        this.prefix = keyPrefix.getBytes(StandardCharsets.UTF_8);
        this.separator = keySeparator.getBytes(StandardCharsets.UTF_8);
        this.rowType = rowType;
        this.keyParts = keyParts;
        this.ttl = ttlColumn;
        List<String> names = rowType.getFieldNames();
        String memberName =
                memberColumns.getOrDefault(
                        RedisReadSpec.MEMBER, memberColumns.get(RedisReadSpec.ELEMENT));
        this.member = memberName == null ? -1 : names.indexOf(memberName);
        String scoreName = memberColumns.get(RedisReadSpec.SCORE);
        this.score = scoreName == null ? -1 : names.indexOf(scoreName);
        java.util.List<Integer> values = new java.util.ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            int column = i;
            boolean inKey = java.util.Arrays.stream(keyParts).anyMatch(k -> k == column);
            if (!inKey && i != ttlColumn && !memberColumns.containsValue(names.get(i))) {
                values.add(i);
            }
        }
        this.valueColumns = values.stream().mapToInt(Integer::intValue).toArray();
        this.valueNames = new byte[valueColumns.length][];
        for (int i = 0; i < valueColumns.length; i++) {
            valueNames[i] = names.get(valueColumns[i]).getBytes(StandardCharsets.UTF_8);
        }
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

    @Nullable
    @Override
    public RedisMutation serialize(RowData row) {
        if (formatters == null) {
            open(null);
        }
        RowKind kind = row.getRowKind();
        if (kind == RowKind.UPDATE_BEFORE) {
            return null;
        }
        byte[] key = key(row);
        boolean delete = kind == RowKind.DELETE;
        RedisMutation mutation;
        switch (dataType) {
            case HASH:
                {
                    if (delete) {
                        return RedisMutation.deleteKey(key);
                    }
                    byte[][] values = new byte[valueColumns.length][];
                    for (int i = 0; i < values.length; i++) {
                        int pos = valueColumns[i];
                        values[i] = row.isNullAt(pos) ? null : formatters[pos].format(row, pos);
                    }
                    mutation = RedisMutation.hash(key, valueNames, values);
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
            default:
                throw new IllegalStateException("The sink cannot write " + dataType + " yet");
        }
        if (ttl >= 0 && !row.isNullAt(ttl) && row.getLong(ttl) > 0) {
            mutation = mutation.withTtl(row.getLong(ttl));
        }
        return mutation;
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
                        rowType.getFieldNames().get(pos),
                        what,
                        new String(key, StandardCharsets.UTF_8),
                        what));
    }

    /** {@code key.prefix} + the key columns joined by {@code key.separator}. */
    private byte[] key(RowData row) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(prefix.length + 16);
        out.writeBytes(prefix);
        for (int i = 0; i < keyParts.length; i++) {
            int pos = keyParts[i];
            if (row.isNullAt(pos)) {
                throw new IllegalArgumentException(
                        String.format(
                                "Column '%s' of the PRIMARY KEY is NULL, so the key (option '%s'"
                                        + " = '%s' and the PRIMARY KEY values) cannot be built.",
                                rowType.getFieldNames().get(pos),
                                RedisConnectorOptions.KEY_PREFIX.key(),
                                keyPrefix));
            }
            if (i > 0) {
                out.writeBytes(separator);
            }
            out.writeBytes(formatters[pos].format(row, pos));
        }
        return out.toByteArray();
    }
}
