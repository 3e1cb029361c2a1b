package io.github.flinkredis.connector;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisHashAsyncCommands;
import io.lettuce.core.api.async.RedisStringAsyncCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Plain Lettuce access to a test deployment (a standalone server or a cluster): loading data,
 * reading it back and reading command statistics, summed over all primaries.
 */
public final class RedisTestClient implements AutoCloseable {

    private final AbstractRedisClient client;
    private final StatefulRedisConnection<String, String> standalone;
    private final StatefulRedisClusterConnection<String, String> cluster;
    private Duration batchTimeout = Duration.ofSeconds(30);

    private RedisTestClient(
            AbstractRedisClient client,
            StatefulRedisConnection<String, String> standalone,
            StatefulRedisClusterConnection<String, String> cluster) {
        this.client = client;
        this.standalone = standalone;
        this.cluster = cluster;
    }

    /** A client of the standalone server at {@code url}. */
    public static RedisTestClient standalone(String url) {
        RedisClient c = RedisClient.create(url);
        return new RedisTestClient(c, c.connect(), null);
    }

    /** A client of the cluster whose seeds are {@code redis://h1:p1,h2:p2,...}. */
    public static RedisTestClient cluster(String seedUrls) {
        List<RedisURI> seeds = new ArrayList<>();
        for (String node : seedUrls.substring("redis://".length()).split(",")) {
            seeds.add(RedisURI.create("redis://" + node));
        }
        RedisClusterClient c = RedisClusterClient.create(seeds);
        return new RedisTestClient(c, null, c.connect());
    }

    public boolean isCluster() {
        return cluster != null;
    }

    private StatefulConnection<String, String> connection() {
        return cluster != null ? cluster : standalone;
    }

    private RedisHashAsyncCommands<String, String> asyncHashes() {
        return cluster != null ? cluster.async() : standalone.async();
    }

    public void hset(String key, Map<String, String> fields) {
        if (cluster != null) {
            cluster.sync().hset(key, fields);
        } else {
            standalone.sync().hset(key, fields);
        }
    }

    /** HSET of a binary value. */
    public void hset(String key, String field, byte[] value) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] f = field.getBytes(StandardCharsets.UTF_8);
        if (cluster != null) {
            try (StatefulRedisClusterConnection<byte[], byte[]> c =
                    ((RedisClusterClient) client).connect(ByteArrayCodec.INSTANCE)) {
                c.sync().hset(k, f, value);
            }
        } else {
            try (StatefulRedisConnection<byte[], byte[]> c =
                    ((RedisClient) client).connect(ByteArrayCodec.INSTANCE)) {
                c.sync().hset(k, f, value);
            }
        }
    }

    /** Connections with raw byte keys and values, opened by {@link #binary()}. */
    private StatefulRedisConnection<byte[], byte[]> binaryStandalone;

    private StatefulRedisClusterConnection<byte[], byte[]> binaryCluster;

    /**
     * Synchronous commands of the deployment with raw byte keys and values (cluster commands route
     * by key; KEYS asks every primary).
     */
    public RedisClusterCommands<byte[], byte[]> binary() {
        if (cluster != null) {
            if (binaryCluster == null) {
                binaryCluster = ((RedisClusterClient) client).connect(ByteArrayCodec.INSTANCE);
            }
            return binaryCluster.sync();
        }
        if (binaryStandalone == null) {
            binaryStandalone = ((RedisClient) client).connect(ByteArrayCodec.INSTANCE);
        }
        return binaryStandalone.sync();
    }

    /** Synchronous commands of the deployment (cluster commands route by key). */
    public RedisClusterCommands<String, String> sync() {
        return cluster != null ? cluster.sync() : standalone.sync();
    }

    /**
     * Sends {@code command.apply(async, i)} for {@code i} in {@code 0 .. count - 1}, pipelined in
     * batches of 1,000, and waits for every reply.
     */
    public void load(
            int count,
            java.util.function.BiFunction<
                            RedisClusterAsyncCommands<String, String>, Integer, RedisFuture<?>>
                    command) {
        RedisClusterAsyncCommands<String, String> async =
                cluster != null ? cluster.async() : standalone.async();
        pipelined(count, i -> command.apply(async, i));
    }

    /** {@code JSON.SET key $ json} (needs the RedisJSON module). */
    public void jsonSet(String key, String json) {
        sync().dispatch(
                        CommandType.JSON_SET,
                        new StatusOutput<>(StringCodec.UTF8),
                        jsonArgs(key, json));
    }

    /** The arguments of {@code JSON.SET key $ json}, for {@link #load}. */
    public static CommandArgs<String, String> jsonArgs(String key, String json) {
        return new CommandArgs<>(StringCodec.UTF8).addKey(key).add("$").add(json);
    }

    /** Bytes the server(s) sent to clients (INFO stats total_net_output_bytes, summed). */
    public long netOutputBytes() {
        long total = 0;
        for (String info : infos("stats")) {
            for (String line : info.split("\r?\n")) {
                if (line.startsWith("total_net_output_bytes:")) {
                    total += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        }
        return total;
    }

    public void set(String key, String value) {
        if (cluster != null) {
            cluster.sync().set(key, value);
        } else {
            standalone.sync().set(key, value);
        }
    }

    public void del(String key) {
        if (cluster != null) {
            cluster.sync().del(key);
        } else {
            standalone.sync().del(key);
        }
    }

    public void pexpire(String key, long millis) {
        if (cluster != null) {
            cluster.sync().pexpire(key, millis);
        } else {
            standalone.sync().pexpire(key, millis);
        }
    }

    /**
     * Runs a command as typed in redis-cli ({@code FT.CREATE idx ON HASH ...}) and returns its
     * reply; on a cluster, on the node its first argument's slot redirects it to (RediSearch
     * without its coordinator declares the index name a key).
     */
    public Object command(String... command) {
        io.lettuce.core.protocol.ProtocolKeyword keyword =
                new io.lettuce.core.protocol.ProtocolKeyword() {
                    @Override
                    public byte[] getBytes() {
                        return command[0].getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    }

                    @Override
                    public String toString() {
                        return command[0];
                    }
                };
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8);
        for (int i = 1; i < command.length; i++) {
            if (i == 1 && cluster != null) {
                args.addKey(command[i]);
            } else {
                args.add(command[i]);
            }
        }
        return (cluster != null ? cluster.sync() : standalone.sync())
                .dispatch(
                        keyword,
                        new io.lettuce.core.output.NestedMultiOutput<>(StringCodec.UTF8),
                        args);
    }

    /** Deletes every key (on every primary of a cluster). */
    public void flushAll() {
        if (cluster != null) {
            cluster.sync().flushall();
        } else {
            standalone.sync().flushall();
        }
    }

    /** Writes {@code count} hashes {@code keyOf(i) -> fieldsOf(i)}, pipelined. */
    public void loadHashes(
            int count, IntFunction<String> keyOf, IntFunction<Map<String, String>> fieldsOf) {
        RedisHashAsyncCommands<String, String> async = asyncHashes();
        pipelined(count, i -> async.hset(keyOf.apply(i), fieldsOf.apply(i)));
    }

    /** Writes {@code count} strings {@code keyOf(i) -> valueOf(i)} with SET, pipelined. */
    public void loadStrings(int count, IntFunction<String> keyOf, IntFunction<String> valueOf) {
        RedisStringAsyncCommands<String, String> async =
                cluster != null ? cluster.async() : standalone.async();
        pipelined(count, i -> async.set(keyOf.apply(i), valueOf.apply(i)));
    }

    /**
     * Sends {@code command(0 .. count - 1)} in pipelined batches of 1,000 and awaits each.
     *
     * <p>To a standalone server, a batch is buffered and sent at once. To a cluster, each command
     * is sent as it is issued (still pipelined: nothing waits for a reply before the batch ends):
     * with auto-flush off, Lettuce's {@code flushCommands()} skips a node connection that is still
     * opening, and the commands it buffers once open are never sent (redis/lettuce#2420).
     *
     * @throws IllegalStateException if a reply is missing after {@link #batchTimeout}
     */
    private void pipelined(int count, IntFunction<RedisFuture<?>> command) {
        boolean buffered = cluster == null;
        if (buffered) {
            standalone.setAutoFlushCommands(false);
        }
        try {
            List<RedisFuture<?>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                futures.add(command.apply(i));
                if (futures.size() == 1000 || i == count - 1) {
                    if (buffered) {
                        standalone.flushCommands();
                    }
                    awaitAll(futures);
                    futures.clear();
                }
            }
        } finally {
            if (buffered) {
                standalone.setAutoFlushCommands(true);
            }
        }
    }

    private void awaitAll(List<RedisFuture<?>> futures) {
        if (!LettuceFutures.awaitAll(batchTimeout, futures.toArray(new RedisFuture[0]))) {
            long unanswered = futures.stream().filter(f -> !f.isDone()).count();
            throw new IllegalStateException(
                    String.format(
                            "%d of %d commands unanswered after %s: the data is not loaded",
                            unanswered, futures.size(), batchTimeout));
        }
    }

    /**
     * How long {@link #load}, {@link #loadHashes} and {@link #loadStrings} wait for the replies of
     * a batch before they fail (30 s unless set).
     */
    public RedisTestClient batchTimeout(Duration timeout) {
        this.batchTimeout = timeout;
        return this;
    }

    private List<String> infos(String section) {
        List<String> infos = new ArrayList<>();
        if (cluster != null) {
            RedisAdvancedClusterCommands<String, String> sync = cluster.sync();
            sync.upstream().commands().info(section).forEach(infos::add);
        } else {
            infos.add(standalone.sync().info(section));
        }
        return infos;
    }

    /** Calls per command since the last reset, from INFO commandstats, summed over primaries. */
    public Map<String, Long> commandCalls() {
        Map<String, Long> calls = new HashMap<>();
        for (String info : infos("commandstats")) {
            for (String line : info.split("\r?\n")) {
                if (line.startsWith("cmdstat_")) {
                    String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                    String stats = line.substring(line.indexOf(':') + 1);
                    for (String kv : stats.split(",")) {
                        if (kv.startsWith("calls=")) {
                            calls.merge(name, Long.parseLong(kv.substring(6)), Long::sum);
                        }
                    }
                }
            }
        }
        return calls;
    }

    /** Failed calls of {@code command} ({@code failed_calls} of INFO commandstats), summed. */
    public long failedCalls(String command) {
        long failed = 0;
        for (String info : infos("commandstats")) {
            for (String line : info.split("\r?\n")) {
                if (line.startsWith("cmdstat_" + command + ":")) {
                    for (String kv : line.substring(line.indexOf(':') + 1).split(",")) {
                        if (kv.startsWith("failed_calls=")) {
                            failed += Long.parseLong(kv.substring("failed_calls=".length()));
                        }
                    }
                }
            }
        }
        return failed;
    }

    /** Calls of {@code command} (lower case, e.g. "hmget") since the last reset. */
    public long calls(String command) {
        return commandCalls().getOrDefault(command, 0L);
    }

    /** CONFIG RESETSTAT on the server, or on every primary of a cluster. */
    public void resetStats() {
        if (cluster != null) {
            cluster.sync().upstream().commands().configResetstat();
        } else {
            standalone.sync().configResetstat();
        }
    }

    /** WAIT until {@code replicas} replicas acknowledged every write so far (10 s at most). */
    public void waitForReplicas(int replicas) {
        long acked =
                cluster != null ? replicas : standalone.sync().waitForReplication(replicas, 10_000);
        if (acked < replicas) {
            throw new IllegalStateException("only " + acked + " replicas acknowledged the writes");
        }
    }

    /** Number of keys (summed over primaries). */
    public long dbSize() {
        return cluster != null ? cluster.sync().dbsize() : standalone.sync().dbsize();
    }

    @Override
    public void close() {
        if (binaryCluster != null) {
            binaryCluster.close();
        }
        if (binaryStandalone != null) {
            binaryStandalone.close();
        }
        connection().close();
        client.shutdown();
    }
}
