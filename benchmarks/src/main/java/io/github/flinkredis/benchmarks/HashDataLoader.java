package io.github.flinkredis.benchmarks;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisHashAsyncCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the benchmark's data set: {@code keys} hashes {@code <prefix><i>} for {@code i} in {@code
 * [0, keys)}, each with the fields {@code f0} to {@code f9} holding 10-byte ASCII values.
 *
 * <p>The writes are pipelined: {@code HSET} commands go out in batches of {@link #BATCH_SIZE} on
 * one connection with auto-flush off, and each batch is awaited before the next is sent.
 */
public final class HashDataLoader {

    /** Number of fields per hash. */
    public static final int FIELD_COUNT = 10;

    /** Length in bytes of every field value. */
    public static final int VALUE_LENGTH = 10;

    /** Commands per pipelined batch. */
    public static final int BATCH_SIZE = 1000;

    private static final Duration BATCH_TIMEOUT = Duration.ofSeconds(60);

    private HashDataLoader() {}

    /** The field names {@code f0} .. {@code f9}. */
    public static List<String> fieldNames() {
        List<String> names = new ArrayList<>(FIELD_COUNT);
        for (int j = 0; j < FIELD_COUNT; j++) {
            names.add("f" + j);
        }
        return names;
    }

    /**
     * Writes the data set through {@code client}.
     *
     * @return the number of hashes written
     */
    public static long load(RedisClient client, String keyPrefix, long keys) {
        try (StatefulRedisConnection<byte[], byte[]> connection =
                client.connect(ByteArrayCodec.INSTANCE)) {
            return load(connection, connection.async(), keyPrefix, keys);
        }
    }

    /**
     * Writes the data set into a Redis Cluster; each pipelined batch is split by Lettuce among the
     * nodes serving the keys' slots.
     *
     * @return the number of hashes written
     */
    public static long load(RedisClusterClient client, String keyPrefix, long keys) {
        try (StatefulRedisClusterConnection<byte[], byte[]> connection =
                client.connect(ByteArrayCodec.INSTANCE)) {
            return load(connection, connection.async(), keyPrefix, keys);
        }
    }

    private static long load(
            StatefulConnection<byte[], byte[]> connection,
            RedisHashAsyncCommands<byte[], byte[]> async,
            String keyPrefix,
            long keys) {
        byte[][] fields = new byte[FIELD_COUNT][];
        for (int j = 0; j < FIELD_COUNT; j++) {
            fields[j] = ("f" + j).getBytes(StandardCharsets.US_ASCII);
        }
        connection.setAutoFlushCommands(false);
        List<RedisFuture<Long>> batch = new ArrayList<>(BATCH_SIZE);
        for (long i = 0; i < keys; i++) {
            Map<byte[], byte[]> hash = new LinkedHashMap<>(2 * FIELD_COUNT);
            for (int j = 0; j < FIELD_COUNT; j++) {
                hash.put(fields[j], value(i * FIELD_COUNT + j));
            }
            batch.add(async.hset((keyPrefix + i).getBytes(StandardCharsets.UTF_8), hash));
            if (batch.size() == BATCH_SIZE || i == keys - 1) {
                connection.flushCommands();
                awaitBatch(batch);
                batch.clear();
            }
        }
        return keys;
    }

    /** {@code n} as 10 ASCII digits, zero-padded (wrapping above 10^10). */
    static byte[] value(long n) {
        byte[] v = new byte[VALUE_LENGTH];
        long rest = n;
        for (int k = VALUE_LENGTH - 1; k >= 0; k--) {
            v[k] = (byte) ('0' + (rest % 10));
            rest /= 10;
        }
        return v;
    }

    private static void awaitBatch(List<RedisFuture<Long>> batch) {
        RedisFuture<?>[] futures = batch.toArray(new RedisFuture<?>[0]);
        if (!LettuceFutures.awaitAll(BATCH_TIMEOUT, futures)) {
            throw new IllegalStateException(
                    "Redis did not answer " + futures.length + " HSET within " + BATCH_TIMEOUT);
        }
    }
}
