package io.github.flinkredis.connector.search;

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
}
