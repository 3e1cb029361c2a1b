package io.github.flinkredis.connector.search;

import io.github.flinkredis.connector.client.RedisClientFactory;
import io.github.flinkredis.connector.client.RedisPipeline;
import io.github.flinkredis.connector.client.RedisRetryPolicy;
import io.github.flinkredis.connector.client.RedisShard;
import io.github.flinkredis.connector.client.SharedClientResources;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisConnectorOptions;
import io.github.flinkredis.connector.config.RedisScanOptions;
import io.github.flinkredis.connector.search.RedisSearchFilters.FilterColumn;
import io.github.flinkredis.connector.search.RedisSearchFilters.Translation;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.protocol.ProtocolVersion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.expressions.ResolvedExpression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, when a query is planned, whether a table's bounded scan reads through a RediSearch index
 * (option {@code search.index}), and with which query: asks every shard's primary ({@code INFO
 * modules}, {@code FT._LIST}, {@code FT.INFO}), chooses the index ({@link RedisSearchIndexes}) and
 * translates the filters ({@link RedisSearchFilters}).
 *
 * <p>With {@code auto}, anything that keeps an index from serving the table (no search module, no
 * index covering the table, an index missing or different on a shard, a cluster with the search
 * coordinator, Redis unreachable) means a read with SCAN, and the reason is logged; with an index
 * name, it fails the planning with a message naming the index and what does not match.
 *
 * <p>In a Redis Cluster every primary must have the index, since each scan split queries its own
 * shard. RediSearch without the search coordinator declares an index's name a key: the index lives
 * on the one shard that owns that slot and indexes that shard's keys only, and {@code FT.INFO} on
 * any other primary answers {@code MOVED}, so such a table is read with SCAN. A cluster whose nodes
 * know {@code _FT.SEARCH} runs the coordinator, whose {@code FT.AGGREGATE} answers for the whole
 * cluster on every shard: such a table is read with SCAN too (not read through the coordinator
 * yet).
 */
@Internal
public final class RedisSearchPlanner {

    private static final Logger LOG = LoggerFactory.getLogger(RedisSearchPlanner.class);

    private static final String OWNER = "search index planning";

    /** A hash field name a query can spell as {@code @name}. */
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private RedisSearchPlanner() {}

    /**
     * The read of a table through an index.
     *
     * @param query the keys' query
     * @param translated the filters the query applies (Flink evaluates them again)
     */
    public record Plan(RedisSearchKeyQuery query, List<ResolvedExpression> translated) {}

    /**
     * The read through an index of a table of hashes or JSON documents ({@code json}) whose keys
     * start with {@code keyPrefix}, filtered by {@code filters}; empty where the table is read with
     * SCAN: {@code search.index} is {@code none}, no filter translates, or ({@code auto}) no index
     * serves the table.
     *
     * @param option the value of {@code search.index}
     * @param columns the columns the filters may name that are hash fields or JSON members
     * @param segmentSize keys a segment sorts at most ({@link
     *     RedisSearchKeyQuery#DEFAULT_SEGMENT_SIZE})
     * @throws ValidationException where {@code option} names an index that does not exist or cannot
     *     serve the table on some shard
     */
    public static Optional<Plan> plan(
            RedisConnectionConfig config,
            String option,
            boolean json,
            String keyPrefix,
            List<ResolvedExpression> filters,
            Map<String, FilterColumn> columns,
            int segmentSize) {
        if (option.equals(RedisScanOptions.SEARCH_INDEX_NONE)
                || filters.isEmpty()
                || columns.isEmpty()) {
            return Optional.empty();
        }
        Optional<Found> lookup =
                find(config, option, json, keyPrefix, "Reading the table with SCAN");
        if (lookup.isEmpty()) {
            return Optional.empty();
        }
        Found found = lookup.get();
        RedisSearchIndex index = found.index();
        Translation translation = RedisSearchFilters.translate(filters, index, columns);
        if (translation.query() == null) {
            LOG.info(
                    "Reading the table of key prefix '{}' with SCAN: no filter of {} translates to"
                            + " a query on index '{}'",
                    keyPrefix,
                    filters,
                    index.name());
            return Optional.empty();
        }
        RedisSearchKeyQuery query =
                new RedisSearchKeyQuery(
                        index.name(),
                        translation.query(),
                        RedisSearchQueries.dialectOf(found.version()),
                        segmentSize);
        LOG.info("Reading the table of key prefix '{}' through {}", keyPrefix, query);
        return Optional.of(new Plan(query, translation.translated()));
    }

    /**
     * The {@code COUNT(*)} of a table of hashes whose keys start with {@code keyPrefix}, grouped by
     * {@code fields}, as one aggregation of a RediSearch index ({@link RedisSearchGroupCount});
     * empty where it cannot be exact, and Flink counts the rows of a scan: {@code search.index} is
     * {@code none}; Redis is a cluster; no index, or an index whose prefixes are not exactly the
     * table's (its documents must be exactly the table's keys), with indexing failures or still
     * indexing; a field that the index normalizes ({@code NUMERIC}, {@code GEO}, {@code SORTABLE},
     * an alias), or whose name a query cannot spell.
     *
     * @param option the value of {@code search.index}
     * @throws ValidationException where {@code option} names an index that does not exist or cannot
     *     serve the table
     */
    public static Optional<RedisSearchGroupCount> planGroupCount(
            RedisConnectionConfig config, String option, String keyPrefix, List<String> fields) {
        if (option.equals(RedisScanOptions.SEARCH_INDEX_NONE)) {
            return Optional.empty();
        }
        for (String field : fields) {
            if (!PLAIN_NAME.matcher(field).matches() || field.startsWith("__")) {
                LOG.info("Counting with Flink: RediSearch cannot group by field '{}'", field);
                return Optional.empty();
            }
        }
        Optional<Found> lookup = find(config, option, false, keyPrefix, "Counting with Flink");
        if (lookup.isEmpty()) {
            return Optional.empty();
        }
        Found found = lookup.get();
        String why = whyNotCountable(found, keyPrefix, fields);
        if (why != null) {
            LOG.info("Counting the table of key prefix '{}' with Flink: {}", keyPrefix, why);
            return Optional.empty();
        }
        RedisSearchGroupCount count =
                new RedisSearchGroupCount(
                        found.index().name(),
                        fields,
                        RedisSearchQueries.dialectOf(found.version()));
        LOG.info("Counting the table of key prefix '{}' with {}", keyPrefix, count);
        return Optional.of(count);
    }

    /**
     * The index {@code option} names, or ({@code auto}) the one chosen, found on every shard's
     * primary; empty with {@code auto} where there is none, after logging {@code fallback} and why.
     *
     * @throws ValidationException where {@code option} names an index that is missing or cannot
     *     serve the table
     */
    private static Optional<Found> find(
            RedisConnectionConfig config,
            String option,
            boolean json,
            String keyPrefix,
            String fallback) {
        boolean auto = option.equals(RedisScanOptions.SEARCH_INDEX_AUTO);
        // one set of event loops for the connections opened one after the other
        try (SharedClientResources.Held held = SharedClientResources.hold()) {
            return Optional.of(indexOnEveryShard(config, auto ? null : option, json, keyPrefix));
        } catch (NoIndex e) {
            if (!auto) {
                throw new ValidationException(
                        String.format(
                                "Option '%s' = '%s': %s. Set it to '%s' to read the table with"
                                        + " SCAN.",
                                RedisConnectorOptions.SEARCH_INDEX.key(),
                                option,
                                e.getMessage(),
                                RedisScanOptions.SEARCH_INDEX_NONE));
            }
            LOG.info("{} (key prefix '{}'): {}", fallback, keyPrefix, e.getMessage());
            return Optional.empty();
        }
    }

    /** Why {@code found} cannot count the table's keys exactly by {@code fields}, or null. */
    @Nullable
    private static String whyNotCountable(Found found, String keyPrefix, List<String> fields) {
        RedisSearchIndex index = found.index();
        if (found.cluster()) {
            return "a Redis Cluster's shards are not counted through RediSearch";
        }
        if (!index.prefixes().equals(List.of(keyPrefix))) {
            return String.format(
                    "index '%s' holds the keys of prefixes %s, not exactly those of '%s'",
                    index.name(), index.prefixes(), keyPrefix);
        }
        String incomplete = RedisSearchIndexes.whyIncomplete(index);
        if (incomplete != null) {
            return incomplete;
        }
        for (String field : fields) {
            for (RedisSearchAttribute a : index.attributes()) {
                if (!a.name().equals(field) && !a.identifier().equals(field)) {
                    continue;
                }
                boolean raw =
                        a.name().equals(a.identifier())
                                && !a.sortable()
                                && (a.type() == RedisSearchFieldType.TAG
                                        || a.type() == RedisSearchFieldType.TEXT);
                if (!raw) {
                    return String.format(
                            "index '%s' normalizes the values of field '%s' (attribute %s)",
                            index.name(), field, a);
                }
            }
        }
        return null;
    }

    /** Why no index serves the table. */
    private static final class NoIndex extends Exception {
        private static final long serialVersionUID = 1L;

        NoIndex(String message) {
            super(message);
        }
    }

    /**
     * The index found on every shard's primary.
     *
     * @param index its description on the first shard
     * @param version the lowest search module version of the shards
     * @param cluster whether Redis is a cluster
     */
    private record Found(RedisSearchIndex index, int version, boolean cluster) {}

    /** Finds the index ({@code name}, or chosen where null) on every shard's primary. */
    private static Found indexOnEveryShard(
            RedisConnectionConfig config, String name, boolean json, String keyPrefix)
            throws NoIndex {
        List<RedisShard> shards;
        try {
            shards = RedisClientFactory.discoverShards(config);
        } catch (RuntimeException e) {
            throw new NoIndex("Redis at " + config.endpoint() + " is unreachable: " + e);
        }
        RedisConnectionConfig resp2 = config.withProtocolVersion(ProtocolVersion.RESP2);
        RedisRetryPolicy noRetries = RedisRetryPolicy.maxRetries(0, "planning");
        int version = Integer.MAX_VALUE;
        String indexName = name;
        RedisSearchIndex first = null;
        for (RedisShard shard : shards) {
            RedisPipeline pipeline;
            try {
                pipeline = RedisPipeline.onShard(resp2, shard, noRetries, OWNER);
            } catch (RuntimeException e) {
                throw new NoIndex("Redis node " + shard.node() + " is unreachable: " + e);
            }
            try {
                int shardVersion =
                        RedisSearchQueries.searchVersion(
                                await(
                                        pipeline,
                                        pipeline.commands().info("modules"),
                                        "INFO modules"));
                if (shardVersion < 0) {
                    throw new NoIndex("Redis node " + shard.node() + " has no RediSearch module");
                }
                version = Math.min(version, shardVersion);
                if (shard.isClusterShard() && hasCoordinator(pipeline)) {
                    throw new NoIndex(
                            "the Redis Cluster at "
                                    + config.endpoint()
                                    + " runs the search coordinator, which this connector does not"
                                    + " read through yet");
                }
                if (indexName == null) {
                    RedisSearchIndexes.Choice choice =
                            RedisSearchIndexes.choose(
                                    describeAll(pipeline, shard), json, keyPrefix);
                    if (choice.index() == null) {
                        throw new NoIndex(
                                "no RediSearch index on Redis node "
                                        + shard.node()
                                        + " serves the table"
                                        + (choice.rejected().isEmpty()
                                                ? ""
                                                : " ("
                                                        + String.join("; ", choice.rejected())
                                                        + ")"));
                    }
                    indexName = choice.index().name();
                    first = choice.index();
                    continue;
                }
                RedisSearchIndex index = describe(pipeline, shard, indexName);
                String why = RedisSearchIndexes.whyNot(index, json, keyPrefix);
                if (why != null) {
                    throw new NoIndex(why + " on Redis node " + shard.node());
                }
                if (first == null) {
                    first = index;
                }
            } finally {
                pipeline.close();
            }
        }
        return new Found(first, version, shards.get(0).isClusterShard());
    }

    /** The descriptions ({@code FT.INFO}) of every index on the shard ({@code FT._LIST}). */
    private static List<RedisSearchIndex> describeAll(RedisPipeline pipeline, RedisShard shard)
            throws NoIndex {
        List<String> names =
                RedisSearchIndexes.names(
                        await(
                                pipeline,
                                RedisSearchIndexes.sendList(pipeline.commands()),
                                "FT._LIST"));
        List<RedisSearchIndex> indexes = new ArrayList<>(names.size());
        for (String name : names) {
            indexes.add(describe(pipeline, shard, name));
        }
        return indexes;
    }

    private static RedisSearchIndex describe(RedisPipeline pipeline, RedisShard shard, String name)
            throws NoIndex {
        List<Object> reply;
        try {
            reply =
                    await(
                            pipeline,
                            RedisSearchIndexes.sendInfo(pipeline.commands(), name),
                            "FT.INFO " + name);
        } catch (NoIndex e) {
            if (shard.isClusterShard() && e.getMessage().contains("MOVED")) {
                throw new NoIndex(
                        String.format(
                                "index '%s' is not on Redis node %s: RediSearch without the search"
                                        + " coordinator keeps an index on the one shard that owns"
                                        + " the slot of its name, and indexes that shard's keys"
                                        + " only, so it cannot select the keys of a table of the"
                                        + " whole cluster (%s)",
                                name, shard.node(), e.getMessage()));
            }
            throw new NoIndex(
                    "index '"
                            + name
                            + "' does not exist on Redis node "
                            + shard.node()
                            + " ("
                            + e.getMessage()
                            + ")");
        }
        return RedisSearchIndex.parse(name, reply);
    }

    /** Whether the node knows {@code _FT.SEARCH}, the shard-local search of the coordinator. */
    private static boolean hasCoordinator(RedisPipeline pipeline) throws NoIndex {
        List<Object> info =
                await(
                        pipeline,
                        pipeline.commands().commandInfo("_FT.SEARCH"),
                        "COMMAND INFO _FT.SEARCH");
        return !info.isEmpty() && info.get(0) != null;
    }

    /** The reply of {@code command}, or why there is none as a {@link NoIndex}. */
    private static <T> T await(RedisPipeline pipeline, RedisFuture<T> future, String command)
            throws NoIndex {
        try {
            return pipeline.await(future, command);
        } catch (IOException e) {
            throw new NoIndex(e.getMessage());
        }
    }
}
