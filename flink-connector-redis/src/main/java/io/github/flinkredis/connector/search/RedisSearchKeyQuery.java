package io.github.flinkredis.connector.search;

import io.github.flinkredis.connector.client.RedisModuleCommand;
import io.github.flinkredis.connector.client.RedisReplies;
import io.github.flinkredis.connector.model.RedisText;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.protocol.CommandArgs;
import java.io.ByteArrayOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.flink.annotation.PublicEvolving;

/**
 * The keys a query selects on one node, in byte order, read in resumable segments: a scan split
 * whose filters were pushed into a RediSearch index lists its keys with this instead of {@code
 * SCAN}, and reads each key's value as a scan does (HMGET, JSON.GET).
 *
 * <p>A segment is {@code FT.AGGREGATE <index> <query> TIMEOUT 2147483647 LOAD 1 @__key [FILTER
 * "@__key > '<position>'"] SORTBY 2 @__key ASC MAX <segment> WITHCURSOR COUNT <page> [DIALECT 2]},
 * whose pages come with {@code FT.CURSOR READ <index> <cursor> COUNT <page>}: the keys after a
 * position, the smallest first. The next segment starts after the last key of the one before; the
 * query ends with a segment that returns no key, or with a first segment (one command, so one
 * moment) that returned as many keys as the query matches. Reading by segments takes the server's
 * cap on sorted results ({@code MAXSEARCHRESULTS}, 1,000,000 by default, which cuts a sorted result
 * short without an error) out of the result's size, and makes a position (the last key read, see
 * {@link #positionAfter}) enough to resume: after a restore from a checkpoint, or when the server
 * dropped an idle cursor ({@code CURSOR_MAX_IDLE}, 300 s by default). Each segment costs the server
 * a pass over the documents the query matches; the largest {@code TIMEOUT} lifts the query timeout,
 * which would otherwise return a partial result without an error ({@link
 * RedisSearchQueries#NO_TIMEOUT_MILLIS}). A row without a key (the shape of such a partial result)
 * fails the read.
 *
 * <p>Replies are read in the RESP2 shape: the connection sending these commands speaks RESP2.
 *
 * <p>From the DataStream API: {@code RedisSource.builder().setSearch(new RedisSearchKeyQuery("idx",
 * "@age:[18 +inf]", 0, RedisSearchKeyQuery.DEFAULT_SEGMENT_SIZE))} reads the hashes or JSON
 * documents the query selects on index {@code idx}, with the query's dialect ({@code 0}: none, the
 * server's default).
 */
@PublicEvolving
public final class RedisSearchKeyQuery implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The keys a segment sorts at most: bounds the server memory a segment holds. */
    public static final int DEFAULT_SEGMENT_SIZE = 100_000;

    private static final String POSITION_PREFIX = "after:";

    private final String index;
    private final String query;
    private final int dialect;
    private final int segmentSize;

    /**
     * @param index the index name
     * @param query the query ({@link RedisSearchFilters})
     * @param dialect the query dialect to send, or 0 for none ({@link
     *     RedisSearchQueries#dialectOf})
     * @param segmentSize the keys one segment sorts at most
     */
    public RedisSearchKeyQuery(String index, String query, int dialect, int segmentSize) {
        if (segmentSize < 1) {
            throw new IllegalArgumentException("segmentSize must be positive: " + segmentSize);
        }
        this.index = Objects.requireNonNull(index);
        this.query = Objects.requireNonNull(query);
        this.dialect = dialect;
        this.segmentSize = segmentSize;
    }

    public String index() {
        return index;
    }

    public String query() {
        return query;
    }

    /**
     * Sends the segment of the keys after {@code after} (all keys for null), with the first {@code
     * pageSize} of them in its reply (not flushed).
     *
     * @throws IllegalArgumentException if {@code after} holds a NUL byte, which a filter expression
     *     cannot hold
     */
    public RedisFuture<List<Object>> sendSegment(
            RedisClusterAsyncCommands<byte[], byte[]> commands,
            @Nullable byte[] after,
            int pageSize) {
        CommandArgs<byte[], byte[]> args =
                RedisSearchQueries.aggregate(index, query).add("LOAD").add(1).add("@__key");
        if (after != null) {
            args.add("FILTER").add(keyAfter(after));
        }
        args.add("SORTBY").add(2).add("@__key").add("ASC").add("MAX").add(segmentSize);
        return RedisSearchQueries.sendWithCursor(commands, args, pageSize, dialect);
    }

    /** Sends {@code FT.CURSOR READ <index> <cursor> COUNT <pageSize>} (not flushed). */
    public RedisFuture<List<Object>> sendRead(
            RedisClusterAsyncCommands<byte[], byte[]> commands, long cursor, int pageSize) {
        return RedisSearchQueries.sendCursorRead(commands, index, cursor, pageSize);
    }

    /**
     * Sends {@code FT.CURSOR DEL <index> <cursor>} (not flushed): frees a cursor not read to its
     * end. Its reply says nothing the reader needs (an expired cursor answers an error).
     */
    public RedisFuture<List<Object>> sendDelete(
            RedisClusterAsyncCommands<byte[], byte[]> commands, long cursor) {
        return commands.dispatch(
                RedisModuleCommand.FT_CURSOR,
                new ArrayOutput<>(ByteArrayCodec.INSTANCE),
                new CommandArgs<>(ByteArrayCodec.INSTANCE).add("DEL").add(index).add(cursor));
    }

    /** Whether an error of {@link #sendRead} says the server no longer has the cursor. */
    public static boolean isCursorGone(Throwable error) {
        String message = String.valueOf(error.getMessage());
        return message.contains("Cursor not found");
    }

    /**
     * A page of a segment: its keys in reply order, the cursor of the rest (0 at the end), and the
     * number of documents the query matches ({@code total}: in the first page of a segment, counted
     * before FILTER, MAX and the server's cap; 0 in the pages of {@code FT.CURSOR READ}).
     */
    public record Page(List<byte[]> keys, long cursor, long total) {}

    /**
     * The page in a reply of {@link #sendSegment} or {@link #sendRead}: {@code [[total, [__key,
     * k1], [__key, k2], ...], cursor]}.
     *
     * @throws IllegalStateException for a reply of another shape
     */
    public static Page page(List<Object> reply) {
        RedisSearchQueries.CursorPage page = RedisSearchQueries.cursorPage(reply);
        List<byte[]> keys = new ArrayList<>(page.rows().size());
        for (List<?> row : page.rows()) {
            byte[] key = null;
            for (int f = 0; f + 1 < row.size(); f += 2) {
                if ("__key".equals(RedisReplies.text(row.get(f)))) {
                    key = (byte[]) row.get(f + 1);
                }
            }
            if (key == null) {
                throw new IllegalStateException(
                        "FT.AGGREGATE answered a row without its key, as RediSearch answers a"
                                + " query it cut at its timeout (ON_TIMEOUT return): "
                                + reply);
            }
            keys.add(key);
        }
        return new Page(keys, page.cursor(), page.total());
    }

    /**
     * The position after {@code key}, as a scan split's cursor holds it: {@code after:} and the
     * key's bytes in hex.
     */
    public static String positionAfter(byte[] key) {
        return POSITION_PREFIX + HexFormat.of().formatHex(key);
    }

    /**
     * The key a {@link #positionAfter position} is after, or null for any other cursor (the start).
     */
    @Nullable
    public static byte[] keyOf(String position) {
        if (!position.startsWith(POSITION_PREFIX)) {
            return null;
        }
        return HexFormat.of().parseHex(position, POSITION_PREFIX.length(), position.length());
    }

    /**
     * The filter expression {@code @__key > '<after>'}, with {@code \} and {@code '} escaped.
     *
     * @throws IllegalArgumentException if {@code after} holds a NUL byte
     */
    static byte[] keyAfter(byte[] after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(after.length + 16);
        out.writeBytes("@__key > '".getBytes(StandardCharsets.US_ASCII));
        for (byte b : after) {
            if (b == 0) {
                throw new IllegalArgumentException(
                        "A RediSearch filter expression cannot hold the NUL byte of key "
                                + RedisText.show(after));
            }
            if (b == '\\' || b == '\'') {
                out.write('\\');
            }
            out.write(b);
        }
        out.write('\'');
        return out.toByteArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RedisSearchKeyQuery that
                && index.equals(that.index)
                && query.equals(that.query)
                && dialect == that.dialect
                && segmentSize == that.segmentSize;
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, query, dialect, segmentSize);
    }

    @Override
    public String toString() {
        return "FT.AGGREGATE " + index + " " + query + (dialect > 0 ? " DIALECT " + dialect : "");
    }

    /** Whether {@code a} sorts after {@code b} as the server sorts keys (unsigned bytes). */
    public static boolean after(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b) > 0;
    }
}
