package io.github.flinkredis.connector.catalog;

import io.github.flinkredis.connector.client.RedisClientFactory;
import io.github.flinkredis.connector.client.RedisPipeline;
import io.github.flinkredis.connector.client.RedisRetryPolicy;
import io.github.flinkredis.connector.client.RedisShard;
import io.github.flinkredis.connector.client.SharedClientResources;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.model.RedisGlob;
import io.github.flinkredis.connector.model.RedisText;
import io.github.flinkredis.connector.search.RedisSearchIndex;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;

/**
 * Finds the tables of a keyspace from a bounded sample of its keys: {@code SCAN cursor COUNT 1000}
 * on every shard's primary (the sample shared evenly among them) and {@code TYPE} of each key found
 * (pipelined per page), until {@code sampleKeys} keys or the end of the keyspace or {@code
 * timeLimitMillis}. Keys group by data type and by their prefix up to the last separator ({@code
 * user:1}, {@code user:2}: the hashes under {@code user:}); a key without a separator (or ending
 * with one) is a group of its own ({@code event-stream}). Keys that are not UTF-8 text, and keys of
 * data types the connector does not read, are left out.
 */
@Internal
final class RedisKeyspaceSampler {

    private static final int SCAN_COUNT = 1000;

    private RedisKeyspaceSampler() {}

    /**
     * A group of keys of one data type: those under {@code prefix}, or the one key {@code
     * literalKey}.
     *
     * @param keys the first keys of the group found, at most the values sample
     * @param seen the keys of the group found in the sample
     */
    record KeyGroup(
            RedisDataType dataType,
            @Nullable String prefix,
            @Nullable String literalKey,
            List<byte[]> keys,
            long seen,
            @Nullable RedisSearchIndex index) {

        KeyGroup(
                RedisDataType dataType,
                @Nullable String prefix,
                @Nullable String literalKey,
                List<byte[]> keys,
                long seen) {
            this(dataType, prefix, literalKey, keys, seen, null);
        }

        /** The same group, read through {@code index}. */
        KeyGroup withIndex(RedisSearchIndex index) {
            return new KeyGroup(dataType, prefix, literalKey, keys, seen, index);
        }

        /** The table name: the prefix without its trailing separator, or the key. */
        String baseName(String separator) {
            if (prefix == null) {
                return literalKey;
            }
            return prefix.endsWith(separator) && prefix.length() > separator.length()
                    ? prefix.substring(0, prefix.length() - separator.length())
                    : prefix;
        }
    }

    /**
     * The key groups of a sample of the keyspace, by data type then prefix (or key).
     *
     * @param sampleKeys keys to look at in all, shared among the shards
     * @param sampleValues keys to keep per group (for the inference of its columns)
     * @param separator what separates a key's prefix from its variable part
     * @param include glob patterns of the keys to look at (all where empty)
     * @param exclude glob patterns of the keys to leave out
     */
    static List<KeyGroup> sample(
            RedisConnectionConfig config,
            int sampleKeys,
            int sampleValues,
            String separator,
            long timeLimitMillis,
            List<String> include,
            List<String> exclude)
            throws IOException {
        KeyFilter filter = new KeyFilter(include, exclude);
        long deadline = System.nanoTime() + timeLimitMillis * 1_000_000L;
        // groups by data type, then prefix (or key): sorted, so names are given in a stable order
        Map<String, Group> groups = new TreeMap<>();
        try (SharedClientResources.Held held = SharedClientResources.hold()) {
            List<RedisShard> shards = RedisClientFactory.discoverShards(config);
            int perShard = Math.max(1, sampleKeys / shards.size());
            RedisRetryPolicy noRetries = RedisRetryPolicy.maxRetries(0, "none");
            for (RedisShard shard : shards) {
                try (RedisPipeline node =
                        RedisPipeline.onShard(config, shard, noRetries, "catalog")) {
                    long onShard = 0;
                    ScanCursor cursor = ScanCursor.INITIAL;
                    do {
                        RedisFuture<KeyScanCursor<byte[]>> scan =
                                node.commands().scan(cursor, new ScanArgs().limit(SCAN_COUNT));
                        KeyScanCursor<byte[]> page = node.await(scan, "SCAN");
                        List<byte[]> found = page.getKeys();
                        List<byte[]> keys =
                                found.subList(0, (int) Math.min(found.size(), perShard - onShard));
                        List<RedisFuture<String>> types = new ArrayList<>(keys.size());
                        for (byte[] key : keys) {
                            types.add(node.commands().type(key));
                        }
                        for (int i = 0; i < keys.size(); i++) {
                            String type = node.await(types.get(i), "TYPE");
                            onShard++;
                            if (filter.test(keys.get(i))) {
                                add(groups, keys.get(i), type, separator, sampleValues);
                            }
                        }
                        cursor = page;
                    } while (!cursor.isFinished()
                            && onShard < perShard
                            && System.nanoTime() < deadline);
                }
            }
        }
        List<KeyGroup> out = new ArrayList<>();
        for (Group g : groups.values()) {
            out.add(new KeyGroup(g.dataType, g.prefix, g.literalKey, g.keys, g.seen));
        }
        return out;
    }

    /** Whether a key matches an include pattern (any, where there is none) and no exclude one. */
    static final class KeyFilter {
        private final List<byte[]> include = new ArrayList<>();
        private final List<byte[]> exclude = new ArrayList<>();

        KeyFilter(List<String> include, List<String> exclude) {
            include.forEach(p -> this.include.add(p.getBytes(StandardCharsets.UTF_8)));
            exclude.forEach(p -> this.exclude.add(p.getBytes(StandardCharsets.UTF_8)));
        }

        boolean test(byte[] key) {
            boolean in = include.isEmpty();
            for (byte[] p : include) {
                in |= RedisGlob.matches(p, key);
            }
            for (byte[] p : exclude) {
                in &= !RedisGlob.matches(p, key);
            }
            return in;
        }
    }

    private static final class Group {
        final RedisDataType dataType;
        final String prefix;
        final String literalKey;
        final List<byte[]> keys = new ArrayList<>();
        long seen;

        Group(RedisDataType dataType, String prefix, String literalKey) {
            this.dataType = dataType;
            this.prefix = prefix;
            this.literalKey = literalKey;
        }
    }

    private static void add(
            Map<String, Group> groups,
            byte[] key,
            String type,
            String separator,
            int sampleValues) {
        RedisDataType dataType = dataTypeOf(type);
        if (dataType == null || !RedisText.isUtf8(key)) {
            return;
        }
        String text = new String(key, StandardCharsets.UTF_8);
        int at = text.lastIndexOf(separator);
        boolean literal = at < 0 || at + separator.length() == text.length();
        String prefix = literal ? null : text.substring(0, at + separator.length());
        String id = dataType.value() + "\u0000" + (literal ? "=" + text : ":" + prefix);
        Group g =
                groups.computeIfAbsent(id, k -> new Group(dataType, prefix, literal ? text : null));
        g.seen++;
        if (g.keys.size() < sampleValues) {
            g.keys.add(key);
        }
    }

    /** The data type of a {@code TYPE} reply, or null for one the connector does not read. */
    @Nullable
    static RedisDataType dataTypeOf(String type) {
        for (RedisDataType t : RedisDataType.values()) {
            if (t.scanType().equals(type)) {
                return t;
            }
        }
        return null;
    }
}
