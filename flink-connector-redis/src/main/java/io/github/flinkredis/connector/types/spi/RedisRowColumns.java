package io.github.flinkredis.connector.types.spi;

import io.github.flinkredis.connector.convert.RedisValueFormatters;
import io.github.flinkredis.connector.model.RedisText;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

/**
 * The columns of a row a table writes, by role (positions in the row; -1 where there is none), with
 * the formatters that turn their values into Redis bytes. Built once per sink writer.
 */
@Internal
public final class RedisRowColumns {

    private final RowType rowType;
    private final RedisValueFormatters.Formatter[] formatters;
    private final int[] valueColumns;
    private final byte[][] valueNames;
    private final int[] labelColumns;
    private final byte[][] labelNames;
    private final int member;
    private final int score;
    private final int timestamp;
    private final int entryId;

    /**
     * @param rowType the row written
     * @param formatters per position, the formatter of the column (null where none applies)
     * @param valueColumns the columns written as hash fields, stream fields, a string's value or a
     *     document's members, with their names ({@code valueNames}, UTF-8)
     * @param labelColumns a timeseries' label columns, with their names
     * @param member the member or element column
     * @param score the score or sample value column
     * @param timestamp the sample timestamp column
     * @param entryId the column of a stream entry's ID (metadata {@code id})
     */
    public RedisRowColumns(
            RowType rowType,
            RedisValueFormatters.Formatter[] formatters,
            int[] valueColumns,
            byte[][] valueNames,
            int[] labelColumns,
            byte[][] labelNames,
            int member,
            int score,
            int timestamp,
            int entryId) {
        this.rowType = rowType;
        this.formatters = formatters;
        this.valueColumns = valueColumns;
        this.valueNames = valueNames;
        this.labelColumns = labelColumns;
        this.labelNames = labelNames;
        this.member = member;
        this.score = score;
        this.timestamp = timestamp;
        this.entryId = entryId;
    }

    public RowType rowType() {
        return rowType;
    }

    public int[] valueColumns() {
        return valueColumns;
    }

    public byte[][] valueNames() {
        return valueNames;
    }

    public int[] labelColumns() {
        return labelColumns;
    }

    public byte[][] labelNames() {
        return labelNames;
    }

    public int member() {
        return member;
    }

    public int score() {
        return score;
    }

    public int timestamp() {
        return timestamp;
    }

    public int entryId() {
        return entryId;
    }

    /** The value at {@code pos} (not NULL) as Redis bytes. */
    public byte[] format(RowData row, int pos) {
        return formatters[pos].format(row, pos);
    }

    /** The value columns as a hash's or stream entry's field values; null for a NULL column. */
    public byte[][] fieldValues(RowData row) {
        byte[][] values = new byte[valueColumns.length][];
        for (int i = 0; i < values.length; i++) {
            int pos = valueColumns[i];
            values[i] = row.isNullAt(pos) ? null : formatters[pos].format(row, pos);
        }
        return values;
    }

    /**
     * The value at {@code pos} as Redis bytes.
     *
     * @param what what the column is, for the message ("member", "element")
     * @throws IllegalArgumentException where it is NULL
     */
    public byte[] required(RowData row, int pos, byte[] key, String what) {
        if (row.isNullAt(pos)) {
            throw nullIn(pos, key, what);
        }
        return formatters[pos].format(row, pos);
    }

    /** The error of a NULL in column {@code pos} (the {@code what}) of a row for {@code key}. */
    public IllegalArgumentException nullIn(int pos, byte[] key, String what) {
        return new IllegalArgumentException(
                String.format(
                        "Column '%s' (the %s) is NULL in a row for key '%s': Redis cannot store a"
                                + " NULL %s.",
                        rowType.getFieldNames().get(pos), what, RedisText.show(key), what));
    }
}
