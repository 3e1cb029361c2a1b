package io.github.flinkredis.connector.search;

import io.github.flinkredis.connector.client.RedisReplies;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.protocol.CommandArgs;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.annotation.Internal;

/**
 * {@code COUNT(*)} of a table of hashes, grouped by hash fields, computed by RediSearch over every
 * document of an index (aggregate pushdown): {@code FT.AGGREGATE <index> * TIMEOUT 2147483647 LOAD
 * <n> @f1 ... GROUPBY <n> @f1 ... REDUCE COUNT 0 AS __count WITHCURSOR COUNT <page> [DIALECT 2]},
 * its pages read with {@code FT.CURSOR READ}.
 *
 * <p>The group values are the hash fields' bytes as stored: {@code LOAD} reads them from each hash,
 * and only fields that are not a {@code NUMERIC}, {@code GEO} or {@code SORTABLE} attribute are
 * grouped by (those are normalized by the index: a number parsed, a sortable value lower-cased), so
 * that two values Flink tells apart are never counted in one group. A hash without the field counts
 * in the group of a nil value. Values the table's column reads alike (an INT column's {@code 7} and
 * {@code 07}) come in separate groups, which Flink's final aggregation adds up.
 *
 * <p>Replies are read in the RESP2 shape.
 */
@Internal
public final class RedisSearchGroupCount implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The name of the count in the reply's rows. */
    private static final String COUNT = "__count";

    private final String index;
    private final List<String> fields;
    private final int dialect;

    /**
     * @param index the index, whose documents are exactly the table's keys
     * @param fields the hash fields to group by, none for one count of all documents
     * @param dialect the query dialect to send, or 0 for none
     */
    public RedisSearchGroupCount(String index, List<String> fields, int dialect) {
        this.index = Objects.requireNonNull(index);
        this.fields = List.copyOf(fields);
        this.dialect = dialect;
    }

    public String index() {
        return index;
    }

    /** The hash fields grouped by, in the order of each group's values. */
    public List<String> fields() {
        return fields;
    }

    /** Sends the aggregation, with the first {@code pageSize} groups in its reply (not flushed). */
    public RedisFuture<List<Object>> sendAggregate(
            RedisClusterAsyncCommands<byte[], byte[]> commands, int pageSize) {
        CommandArgs<byte[], byte[]> args = RedisSearchQueries.aggregate(index, "*");
        if (!fields.isEmpty()) {
            args.add("LOAD").add(fields.size());
            fields.forEach(f -> args.add("@" + f));
        }
        args.add("GROUPBY").add(fields.size());
        fields.forEach(f -> args.add("@" + f));
        args.add("REDUCE").add("COUNT").add(0).add("AS").add(COUNT);
        return RedisSearchQueries.sendWithCursor(commands, args, pageSize, dialect);
    }

    /** Sends {@code FT.CURSOR READ <index> <cursor> COUNT <pageSize>} (not flushed). */
    public RedisFuture<List<Object>> sendRead(
            RedisClusterAsyncCommands<byte[], byte[]> commands, long cursor, int pageSize) {
        return RedisSearchQueries.sendCursorRead(commands, index, cursor, pageSize);
    }

    /**
     * One group: the values of {@link #fields()} (null where the hash has no such field) and the
     * number of hashes holding them.
     */
    public record Group(byte[][] values, long count) {}

    /** A page of groups and the cursor of the rest (0 at the end). */
    public record Page(List<Group> groups, long cursor) {}

    /**
     * The page in a reply of {@link #sendAggregate} or {@link #sendRead}: {@code [[n, [f1, v1, ...,
     * __count, c], ...], cursor]}.
     *
     * @throws IllegalStateException for a reply of another shape
     */
    public Page page(List<Object> reply) {
        RedisSearchQueries.CursorPage page = RedisSearchQueries.cursorPage(reply);
        List<Group> groups = new ArrayList<>(page.rows().size());
        for (List<?> row : page.rows()) {
            groups.add(group(row));
        }
        return new Page(groups, page.cursor());
    }

    /** A row {@code [f1, v1, ..., __count, c]}; a field without a value may be left out. */
    private Group group(List<?> row) {
        byte[][] values = new byte[fields.size()][];
        Long count = null;
        for (int f = 0; f + 1 < row.size(); f += 2) {
            String name = RedisReplies.text(row.get(f));
            Object value = row.get(f + 1);
            if (COUNT.equals(name)) {
                count = Long.parseLong(RedisReplies.text(value));
                continue;
            }
            int at = fields.indexOf(name);
            if (at < 0) {
                throw new IllegalStateException("Unexpected FT.AGGREGATE row: " + row);
            }
            values[at] = (byte[]) value;
        }
        if (count == null) {
            // an empty row: RediSearch cut the query at its timeout (ON_TIMEOUT return)
            throw new IllegalStateException(
                    "FT.AGGREGATE answered a group without its count, as RediSearch answers a"
                            + " query it cut at its timeout (ON_TIMEOUT return): "
                            + row);
        }
        return new Group(values, count);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RedisSearchGroupCount that
                && index.equals(that.index)
                && fields.equals(that.fields)
                && dialect == that.dialect;
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, fields, dialect);
    }

    @Override
    public String toString() {
        return "FT.AGGREGATE "
                + index
                + " * GROUPBY "
                + fields.size()
                + (fields.isEmpty() ? "" : " @" + String.join(" @", fields))
                + " REDUCE COUNT 0";
    }
}
