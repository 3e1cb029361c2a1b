package io.github.flinkredis.connector;

import io.github.flinkredis.testutils.RedisServer;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/** Plain Lettuce access to a test server: loading data and reading command statistics. */
public final class RedisTestClient implements AutoCloseable {

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    public RedisTestClient(RedisServer server) {
        this.client = RedisClient.create(server.url());
        this.connection = client.connect();
    }

    public RedisCommands<String, String> sync() {
        return connection.sync();
    }

    /** Writes {@code count} hashes {@code keyOf(i) -> fieldsOf(i)}, pipelined. */
    public void loadHashes(
            int count, IntFunction<String> keyOf, IntFunction<Map<String, String>> fieldsOf) {
        RedisAsyncCommands<String, String> async = connection.async();
        connection.setAutoFlushCommands(false);
        try {
            List<RedisFuture<?>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                futures.add(async.hset(keyOf.apply(i), fieldsOf.apply(i)));
                if (futures.size() == 1000 || i == count - 1) {
                    connection.flushCommands();
                    LettuceFutures.awaitAll(
                            Duration.ofSeconds(30), futures.toArray(new RedisFuture[0]));
                    futures.clear();
                }
            }
        } finally {
            connection.setAutoFlushCommands(true);
        }
    }

    /** Calls per command since the last CONFIG RESETSTAT, from INFO commandstats. */
    public Map<String, Long> commandCalls() {
        Map<String, Long> calls = new HashMap<>();
        for (String line : connection.sync().info("commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_")) {
                String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                String stats = line.substring(line.indexOf(':') + 1);
                for (String kv : stats.split(",")) {
                    if (kv.startsWith("calls=")) {
                        calls.put(name, Long.parseLong(kv.substring(6)));
                    }
                }
            }
        }
        return calls;
    }

    /** Calls of {@code command} (lower case, e.g. "hmget") since the last reset. */
    public long calls(String command) {
        return commandCalls().getOrDefault(command, 0L);
    }

    public void resetStats() {
        connection.sync().configResetstat();
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
