package io.github.flinkredis.connector.lookup;

import io.github.flinkredis.connector.convert.RedisKeyBuilder;
import io.github.flinkredis.connector.convert.RedisValueFormatters;
import java.io.Serializable;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;

/**
 * How a lookup join's key row becomes what Redis is asked for: the key (built as the sink writes
 * it, {@link RedisKeyBuilder}), the member of a sorted set, and the lookup keys on other columns,
 * which a read row must equal to be a match.
 *
 * <p>A NULL in a column that builds the key or the member matches nothing: {@code NULL = x} is
 * never true in SQL.
 */
@Internal
public final class RedisLookupKeys implements Serializable {

    private static final long serialVersionUID = 1L;

    private final RedisKeyBuilder key;
    private final int member;
    @Nullable private final LogicalType memberType;
    private final int[] checkedKeys;
    private final int[] checkedFields;
    private final LogicalType[] checkedTypes;

    private transient RedisValueFormatters.Formatter memberFormatter;
    private transient RowData.FieldGetter[] keyGetters;
    private transient RowData.FieldGetter[] fieldGetters;

    /**
     * @param key the key of a key row (positions in the key row)
     * @param member position in the key row of a sorted set's member column, or -1
     * @param memberType its type, or null
     * @param checkedKeys positions in the key row of the lookup keys on other columns
     * @param checkedFields the positions of those columns in the rows the lookup produces
     * @param checkedTypes their types
     */
    public RedisLookupKeys(
            RedisKeyBuilder key,
            int member,
            @Nullable LogicalType memberType,
            int[] checkedKeys,
            int[] checkedFields,
            LogicalType[] checkedTypes) {
        this.key = key;
        this.member = member;
        this.memberType = memberType;
        this.checkedKeys = checkedKeys.clone();
        this.checkedFields = checkedFields.clone();
        this.checkedTypes = checkedTypes.clone();
    }

    private void init() {
        if (keyGetters != null) {
            return;
        }
        memberFormatter = memberType == null ? null : RedisValueFormatters.create(memberType);
        fieldGetters = new RowData.FieldGetter[checkedKeys.length];
        RowData.FieldGetter[] getters = new RowData.FieldGetter[checkedKeys.length];
        for (int i = 0; i < checkedKeys.length; i++) {
            getters[i] = RowData.createFieldGetter(checkedTypes[i], checkedKeys[i]);
            fieldGetters[i] = RowData.createFieldGetter(checkedTypes[i], checkedFields[i]);
        }
        keyGetters = getters;
    }

    /**
     * The key to read for {@code keyRow}, or null if there is none: a column building it is NULL,
     * or a key column other than the last holds the separator (no key of the table can have those
     * values).
     */
    @Nullable
    public byte[] key(RowData keyRow) {
        return key.key(keyRow);
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
            // deepEquals: BYTES values are byte arrays, equal by content
            if (wanted == null
                    || !java.util.Objects.deepEquals(wanted, fieldGetters[i].getFieldOrNull(row))) {
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
