package io.github.flinkredis.connector.search;

import io.github.flinkredis.connector.client.RedisModuleCommand;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.annotation.Internal;

/**
 * The query dialect of a server's search module, from RediSearch 2.2 on: queries go through
 * Lettuce's command dispatch ({@link RedisSearchKeyQuery}) rather than its search API, whose
 * arguments always add {@code DIALECT 2}, which RediSearch before 2.4 rejects ("Unknown argument
 * `DIALECT`"). {@code DIALECT 2} is sent where the server's search module knows it ({@link
 * #dialectOf}); the queries of {@link RedisSearchFilters} mean the same in both dialects.
 */
@Internal
public final class RedisSearchQueries {

    /** The first RediSearch version ({@code major * 10000 + minor * 100 + patch}) with DIALECT. */
    static final int FIRST_WITH_DIALECT = 20400;

    /**
     * The {@code TIMEOUT} every query sends, in milliseconds: the largest a server takes (2^31 - 1,
     * 24.8 days), that is, none. RediSearch cuts a query at its timeout (500 ms by default) and,
     * with {@code ON_TIMEOUT return} (the default), answers the rows it has so far without an
     * error: a {@code SORTBY} or {@code GROUPBY} over many documents then answers an empty row, and
     * a read would miss keys. {@code TIMEOUT 0} does not lift the limit on RediSearch 2.2 (the
     * module's timeout applies: found with 1,000,000 documents).
     */
    public static final int NO_TIMEOUT_MILLIS = Integer.MAX_VALUE;

    private static final Pattern SEARCH_MODULE =
            Pattern.compile("(?m)^module:name=search,ver=(\\d+)");

    private RedisSearchQueries() {}

    /**
     * The version of the search module in an {@code INFO modules} reply ({@code
     * module:name=search,ver=20209,...}: 2.2.9), or -1 where there is none.
     */
    public static int searchVersion(String infoModules) {
        Matcher m = SEARCH_MODULE.matcher(infoModules);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /**
     * The start of every {@code FT.AGGREGATE} this connector sends: {@code <index> <query> TIMEOUT
     * 2147483647} ({@link #NO_TIMEOUT_MILLIS}); the caller adds its steps, then {@link
     * #sendWithCursor}.
     */
    public static CommandArgs<byte[], byte[]> aggregate(String index, String query) {
        return new CommandArgs<>(ByteArrayCodec.INSTANCE)
                .add(index)
                .add(query)
                .add("TIMEOUT")
                .add(NO_TIMEOUT_MILLIS);
    }

    /**
     * Sends {@code FT.AGGREGATE <args> WITHCURSOR COUNT <pageSize> [DIALECT <dialect>]} (not
     * flushed), with the first {@code pageSize} rows in its reply.
     *
     * @param args from {@link #aggregate}, with the steps
     * @param dialect the query dialect to send, or 0 for none
     */
    public static RedisFuture<List<Object>> sendWithCursor(
            RedisClusterAsyncCommands<byte[], byte[]> commands,
            CommandArgs<byte[], byte[]> args,
            int pageSize,
            int dialect) {
        args.add("WITHCURSOR").add("COUNT").add(pageSize);
        if (dialect > 0) {
            args.add("DIALECT").add(dialect);
        }
        return commands.dispatch(
                CommandType.FT_AGGREGATE, new ArrayOutput<>(ByteArrayCodec.INSTANCE), args);
    }

    /**
     * Sends {@code FT.CURSOR READ <index> <cursor> COUNT <pageSize>} (not flushed): the next page
     * of an {@code FT.AGGREGATE ... WITHCURSOR}.
     */
    public static RedisFuture<List<Object>> sendCursorRead(
            RedisClusterAsyncCommands<byte[], byte[]> commands,
            String index,
            long cursor,
            int pageSize) {
        return commands.dispatch(
                RedisModuleCommand.FT_CURSOR,
                new ArrayOutput<>(ByteArrayCodec.INSTANCE),
                new CommandArgs<>(ByteArrayCodec.INSTANCE)
                        .add("READ")
                        .add(index)
                        .add(cursor)
                        .add("COUNT")
                        .add(pageSize));
    }

    /**
     * A reply of {@code FT.AGGREGATE ... WITHCURSOR} or {@code FT.CURSOR READ} in the RESP2 shape
     * {@code [[total, row, ...], cursor]}: its rows ({@code [name, value, ...]} each), the {@code
     * total} (0 where the reply has none) and the cursor of the rest (0 at the end).
     */
    public record CursorPage(List<List<?>> rows, long total, long cursor) {}

    /**
     * The {@link CursorPage} of {@code reply}.
     *
     * @throws IllegalStateException for a reply of another shape
     */
    public static CursorPage cursorPage(List<Object> reply) {
        if (reply.size() != 2 || !(reply.get(0) instanceof List<?> rows)) {
            throw new IllegalStateException("Unexpected FT.AGGREGATE WITHCURSOR reply: " + reply);
        }
        List<List<?>> out = new ArrayList<>(Math.max(0, rows.size() - 1));
        for (int i = 1; i < rows.size(); i++) {
            if (!(rows.get(i) instanceof List<?> row)) {
                throw new IllegalStateException("Unexpected FT.AGGREGATE row: " + rows.get(i));
            }
            out.add(row);
        }
        long total = rows.isEmpty() ? 0 : ((Number) rows.get(0)).longValue();
        return new CursorPage(out, total, ((Number) reply.get(1)).longValue());
    }

    /** The query dialect to send to a search module of {@code version}: 2, or 0 for none. */
    public static int dialectOf(int version) {
        return version >= FIRST_WITH_DIALECT ? 2 : 0;
    }
}
