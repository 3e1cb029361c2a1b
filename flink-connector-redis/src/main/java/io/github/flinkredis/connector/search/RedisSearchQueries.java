package io.github.flinkredis.connector.search;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.annotation.Internal;

/**
 * Sending queries to RediSearch on every version from 2.2: {@code FT.SEARCH} goes through Lettuce's
 * command dispatch rather than its search API, whose arguments always add {@code DIALECT 2}, which
 * RediSearch before 2.4 rejects ("Unknown argument `DIALECT`"). {@code DIALECT 2} is sent where the
 * server's search module knows it ({@link #dialectOf}); the queries of {@link RedisSearchFilters}
 * mean the same in both dialects.
 */
@Internal
public final class RedisSearchQueries {

    /** The first RediSearch version ({@code major * 10000 + minor * 100 + patch}) with DIALECT. */
    static final int FIRST_WITH_DIALECT = 20400;

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

    /** The query dialect to send to a search module of {@code version}: 2, or 0 for none. */
    public static int dialectOf(int version) {
        return version >= FIRST_WITH_DIALECT ? 2 : 0;
    }

    /**
     * {@code FT.SEARCH <index> <query> NOCONTENT LIMIT <offset> <count> [DIALECT <dialect>]}: the
     * total number of matching documents, then the keys of the page.
     *
     * @param dialect 2, or 0 to send none
     */
    public static RedisFuture<List<Object>> sendKeysOf(
            RedisClusterAsyncCommands<byte[], byte[]> commands,
            String index,
            String query,
            long offset,
            long count,
            int dialect) {
        CommandArgs<byte[], byte[]> args =
                new CommandArgs<>(ByteArrayCodec.INSTANCE)
                        .add(index)
                        .add(query)
                        .add("NOCONTENT")
                        .add("LIMIT")
                        .add(offset)
                        .add(count);
        if (dialect > 0) {
            args.add("DIALECT").add(dialect);
        }
        return commands.dispatch(
                CommandType.FT_SEARCH, new ArrayOutput<>(ByteArrayCodec.INSTANCE), args);
    }
}
