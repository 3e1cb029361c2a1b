package io.github.flinkredis.connector.search;

import io.github.flinkredis.connector.client.RedisModuleCommand;
import io.github.flinkredis.connector.client.RedisReplies;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.protocol.CommandArgs;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;

/**
 * Finding the RediSearch index a table can read through: {@code FT._LIST} names the indexes, {@code
 * FT.INFO} describes each ({@link RedisSearchIndex}), and {@link #choose} picks the one for a
 * table's data type and key prefix, or says why there is none.
 */
@Internal
public final class RedisSearchIndexes {

    private RedisSearchIndexes() {}

    /** {@code FT._LIST} (Lettuce's {@code ftList}): the names of the server's indexes. */
    public static RedisFuture<List<byte[]>> sendList(
            RedisClusterAsyncCommands<byte[], byte[]> commands) {
        return commands.ftList();
    }

    /** The index names of an {@code FT._LIST} reply. */
    public static List<String> names(List<byte[]> reply) {
        List<String> names = new ArrayList<>(reply.size());
        for (byte[] name : reply) {
            names.add(RedisReplies.text(name));
        }
        return names;
    }

    /** {@code FT.INFO <index>}; parse its reply with {@link RedisSearchIndex#parse}. */
    public static RedisFuture<List<Object>> sendInfo(
            RedisClusterAsyncCommands<byte[], byte[]> commands, String index) {
        return commands.dispatch(
                RedisModuleCommand.FT_INFO,
                new ArrayOutput<>(ByteArrayCodec.INSTANCE),
                new CommandArgs<>(ByteArrayCodec.INSTANCE).add(index));
    }

    /**
     * The index for a table of hashes or JSON documents ({@code json}) whose keys start with {@code
     * keyPrefix}, among {@code indexes}: one {@code ON HASH} / {@code ON JSON} as the table, with a
     * prefix that covers {@code keyPrefix}, no {@code FILTER} (it would leave keys of the table
     * out), no document it failed to index, and done indexing. Of several, the one with the longest
     * covering prefix (the fewest other keys), then the first by name.
     */
    public static Choice choose(List<RedisSearchIndex> indexes, boolean json, String keyPrefix) {
        List<String> rejected = new ArrayList<>();
        RedisSearchIndex best = null;
        int bestPrefix = -1;
        List<RedisSearchIndex> sorted = new ArrayList<>(indexes);
        sorted.sort(Comparator.comparing(RedisSearchIndex::name));
        for (RedisSearchIndex index : sorted) {
            String why = whyNot(index, json, keyPrefix);
            if (why != null) {
                rejected.add(why);
                continue;
            }
            int prefix = index.prefixCovering(keyPrefix).orElseThrow().length();
            if (prefix > bestPrefix) {
                best = index;
                bestPrefix = prefix;
            }
        }
        return new Choice(best, rejected);
    }

    /**
     * Why {@code index} cannot serve a table of {@code json} documents (else hashes) under {@code
     * keyPrefix}, or null if it can: a message naming the index and what does not match.
     */
    @Nullable
    public static String whyNot(RedisSearchIndex index, boolean json, String keyPrefix) {
        if (index.onJson() != json) {
            return String.format(
                    "index '%s' is ON %s, the table reads %s",
                    index.name(), index.onJson() ? "JSON" : "HASH", json ? "JSON" : "hashes");
        }
        if (index.prefixCovering(keyPrefix).isEmpty()) {
            return String.format(
                    "index '%s' covers the key prefixes %s, not the table's '%s'",
                    index.name(), index.prefixes(), keyPrefix);
        }
        if (index.filter() != null) {
            return String.format(
                    "index '%s' has FILTER '%s', which may leave keys of the table out",
                    index.name(), index.filter());
        }
        return whyIncomplete(index);
    }

    /**
     * Why {@code index} does not hold every document it covers now, or null if it does: it failed
     * to index some ({@code hash_indexing_failures}), or is still indexing the keys that existed
     * when it was created ({@code indexing}).
     */
    @Nullable
    public static String whyIncomplete(RedisSearchIndex index) {
        if (index.indexingFailures() > 0) {
            return String.format(
                    "index '%s' failed to index %d documents (hash_indexing_failures), which no"
                            + " query would find",
                    index.name(), index.indexingFailures());
        }
        if (index.indexing()) {
            return String.format(
                    "index '%s' is still indexing the keys that existed when it was created",
                    index.name());
        }
        return null;
    }

    /**
     * The index chosen for a table, or null, and why each other index was not.
     *
     * @param index the index, or null if none serves the table
     * @param rejected one message per index that does not serve it
     */
    public record Choice(@Nullable RedisSearchIndex index, List<String> rejected) {}
}
