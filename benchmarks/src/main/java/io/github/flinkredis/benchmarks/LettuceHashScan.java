package io.github.flinkredis.benchmarks;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The hand-written baseline of a full scan of hashes: what an application would write with Lettuce
 * alone, in the calling thread, on one connection.
 *
 * <p>For each page of {@code SCAN cursor MATCH pattern COUNT scanCount} it sends {@code HGETALL}
 * for every key of the page in one pipelined write (async commands, auto-flush off, one {@code
 * flushCommands()}), waits for all replies (one {@code CompletableFuture.allOf}), then touches each
 * reply (its field count and value sizes) so that the replies are really decoded and used. No
 * conversion into rows.
 */
public final class LettuceHashScan {

    private static final long TIMEOUT_SECONDS = 60;

    private LettuceHashScan() {}

    /** What one scan read. */
    public record Result(long rows, long fields, long valueBytes) {}

    /** Scans all keys matching {@code pattern} on a new connection of {@code client}. */
    public static Result scan(RedisClient client, String pattern, int scanCount)
            throws InterruptedException, ExecutionException {
        long rows = 0;
        long fields = 0;
        long valueBytes = 0;
        try (StatefulRedisConnection<byte[], byte[]> connection =
                client.connect(ByteArrayCodec.INSTANCE)) {
            connection.setAutoFlushCommands(false);
            RedisAsyncCommands<byte[], byte[]> async = connection.async();
            ScanArgs args = ScanArgs.Builder.matches(pattern).limit(scanCount);
            ScanCursor cursor = ScanCursor.INITIAL;
            KeyScanCursor<byte[]> page;
            do {
                RedisFuture<KeyScanCursor<byte[]>> scan = async.scan(cursor, args);
                connection.flushCommands();
                page = scan.get();
                List<byte[]> keys = page.getKeys();
                List<RedisFuture<Map<byte[], byte[]>>> replies = new ArrayList<>(keys.size());
                for (byte[] key : keys) {
                    replies.add(async.hgetall(key));
                }
                connection.flushCommands();
                awaitAll(replies, keys.size());
                for (RedisFuture<Map<byte[], byte[]>> reply : replies) {
                    Map<byte[], byte[]> hash = reply.get();
                    if (hash.isEmpty()) {
                        continue; // deleted since SCAN
                    }
                    rows++;
                    fields += hash.size();
                    for (byte[] value : hash.values()) {
                        valueBytes += value.length;
                    }
                }
                cursor = page;
            } while (!page.isFinished());
        }
        return new Result(rows, fields, valueBytes);
    }

    /**
     * Waits for all replies of a page with one wake-up of the calling thread, as the connector's
     * reader does ({@code LettuceFutures.awaitAll} instead calls {@code get} on each future in
     * turn).
     */
    private static void awaitAll(List<? extends RedisFuture<?>> replies, int keys)
            throws InterruptedException, ExecutionException {
        CompletableFuture<?>[] futures = new CompletableFuture<?>[replies.size()];
        for (int i = 0; i < futures.length; i++) {
            futures[i] = replies.get(i).toCompletableFuture();
        }
        try {
            CompletableFuture.allOf(futures).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "Redis did not answer " + keys + " HGETALL within " + TIMEOUT_SECONDS + " s",
                    e);
        }
    }
}
