package io.github.flinkredis.connector.lookup;

import io.github.flinkredis.connector.convert.RedisValueFormatters;
import java.io.ByteArrayOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;

/**
 * How a lookup join's key row becomes what Redis is asked for: the key ({@code key.prefix} and the
 * PRIMARY KEY columns joined by {@code key.separator}, formatted exactly as a scan parses them
 * back, or the value of the metadata column {@code key}, or the one key that {@code key.pattern}
 * names), the member of a sorted set, and the lookup keys on other columns, which a read row must
 * equal to be a match.
 *
 * <p>A NULL in a column that builds the key or the member matches nothing: {@code NULL = x} is
 * never true in SQL.
 */
@Internal
public final class RedisLookupKeys implements Serializable {

    private static final long serialVersionUID = 1L;

    private final byte[] prefix;
    private final byte[] separator;
    @Nullable private final byte[] literalKey;
    private final int[] keyParts;
    private final LogicalType[] keyPartTypes;
    private final int keyColumn;
    private final int member;
    @Nullable private final LogicalType memberType;
    private final int[] checkedKeys;
    private final int[] checkedFields;
    private final LogicalType[] checkedTypes;

    private transient RedisValueFormatters.Formatter[] partFormatters;
    private transient RedisValueFormatters.Formatter memberFormatter;
    private transient RowData.FieldGetter[] keyGetters;
    private transient RowData.FieldGetter[] fieldGetters;

    /**
     * @param keyPrefix option {@code key.prefix}
     * @param keySeparator option {@code key.separator}
     * @param literalKey the one key of a table without key columns, or null
     * @param keyParts positions in the key row of the PRIMARY KEY columns that build the key, in
     *     key order (empty where {@code keyColumn} or {@code literalKey} gives the key)
     * @param keyPartTypes their types
     * @param keyColumn position in the key row of the metadata column {@code key}, or -1
     * @param member position in the key row of a sorted set's member column, or -1
     * @param memberType its type, or null
     * @param checkedKeys positions in the key row of the lookup keys on other columns
     * @param checkedFields the positions of those columns in the rows the lookup produces
     * @param checkedTypes their types
     */
    public RedisLookupKeys(
            String keyPrefix,
            String keySeparator,
            @Nullable String literalKey,
            int[] keyParts,
            LogicalType[] keyPartTypes,
            int keyColumn,
            int member,
            @Nullable LogicalType memberType,
            int[] checkedKeys,
            int[] checkedFields,
            LogicalType[] checkedTypes) {
        this.prefix = keyPrefix.getBytes(StandardCharsets.UTF_8);
        this.separator = keySeparator.getBytes(StandardCharsets.UTF_8);
        this.literalKey = literalKey == null ? null : literalKey.getBytes(StandardCharsets.UTF_8);
        this.keyParts = keyParts.clone();
        this.keyPartTypes = keyPartTypes.clone();
        this.keyColumn = keyColumn;
        this.member = member;
        this.memberType = memberType;
        this.checkedKeys = checkedKeys.clone();
        this.checkedFields = checkedFields.clone();
        this.checkedTypes = checkedTypes.clone();
    }

    private void init() {
        if (partFormatters != null) {
            return;
        }
        RedisValueFormatters.Formatter[] formatters =
                new RedisValueFormatters.Formatter[keyParts.length];
        for (int i = 0; i < formatters.length; i++) {
            formatters[i] = RedisValueFormatters.create(keyPartTypes[i]);
        }
        memberFormatter = memberType == null ? null : RedisValueFormatters.create(memberType);
        keyGetters = new RowData.FieldGetter[checkedKeys.length];
        fieldGetters = new RowData.FieldGetter[checkedKeys.length];
        for (int i = 0; i < checkedKeys.length; i++) {
            keyGetters[i] = RowData.createFieldGetter(checkedTypes[i], checkedKeys[i]);
            fieldGetters[i] = RowData.createFieldGetter(checkedTypes[i], checkedFields[i]);
        }
        partFormatters = formatters;
    }

    /** The key to read for {@code keyRow}, or null if a column building it is NULL. */
    @Nullable
    public byte[] key(RowData keyRow) {
        init();
        if (keyColumn >= 0) {
            return keyRow.isNullAt(keyColumn) ? null : keyRow.getString(keyColumn).toBytes();
        }
        if (keyParts.length == 0 && literalKey != null) {
            return literalKey;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(prefix.length + 16);
        out.writeBytes(prefix);
        for (int i = 0; i < keyParts.length; i++) {
            if (keyRow.isNullAt(keyParts[i])) {
                return null;
            }
            if (i > 0) {
                out.writeBytes(separator);
            }
            out.writeBytes(partFormatters[i].format(keyRow, keyParts[i]));
        }
        return out.toByteArray();
    }

    /** Whether the lookup reads one member of a sorted set ({@link #member}). */
    public boolean hasMember() {
        return member >= 0;
    }

    /** The sorted-set member to read for {@code keyRow}, or null if its column is NULL. */
    @Nullable
    public byte[] member(RowData keyRow) {
        init();
        return keyRow.isNullAt(member) ? null : memberFormatter.format(keyRow, member);
    }

    /** Whether {@code row} equals {@code keyRow} in the lookup keys on other columns. */
    public boolean matches(RowData keyRow, RowData row) {
        init();
        for (int i = 0; i < keyGetters.length; i++) {
            Object wanted = keyGetters[i].getFieldOrNull(keyRow);
            if (wanted == null || !wanted.equals(fieldGetters[i].getFieldOrNull(row))) {
                return false;
            }
        }
        return true;
    }

    /** Whether rows need {@link #matches} (some lookup keys are on other columns). */
    public boolean checksFields() {
        return checkedKeys.length > 0;
    }
}
