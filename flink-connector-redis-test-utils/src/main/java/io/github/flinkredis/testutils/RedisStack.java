package io.github.flinkredis.testutils;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Redis servers with the JSON, TimeSeries and Search modules, for the tests that need them, found
 * in this order:
 *
 * <ol>
 *   <li>{@code REDIS_STACK_URL}: an external server (Redis Stack, Redis 8) at that address;
 *   <li>{@code REDIS_MODULES}: module files ({@code .so}), separated by {@code :}, that a {@code
 *       redis-server} started by the harness loads with {@code --loadmodule}; a Redis Cluster with
 *       them is only available this way.
 * </ol>
 *
 * <p>Servers started here are shared by the tests of one JVM and stopped when it exits. Without
 * either variable, {@link #server()} and {@link #cluster()} are empty and {@link
 * RedisStackExtension} skips the tests with the reason.
 */
public final class RedisStack {

    /** Environment variable listing Redis module files to load, separated by {@code :}. */
    public static final String REDIS_MODULES_ENV = "REDIS_MODULES";

    private static RedisServer server;
    private static RedisCluster cluster;

    private RedisStack() {}

    /** Why no server with modules is available, or empty if one is. */
    public static Optional<String> unavailableReason() {
        if (RedisServer.stack().isPresent() || !modules().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                "needs a Redis server with the JSON/TimeSeries/Search modules: set "
                        + RedisServer.REDIS_STACK_URL_ENV
                        + " (e.g. redis://127.0.0.1:6390) or "
                        + REDIS_MODULES_ENV
                        + " (module .so files to load, separated by ':')");
    }

    /** Why no cluster with modules is available, or empty if one is. */
    public static Optional<String> clusterUnavailableReason() {
        return modules().isEmpty()
                ? Optional.of(
                        "a Redis Cluster with modules needs "
                                + REDIS_MODULES_ENV
                                + " (module .so files for the harness to load)")
                : Optional.empty();
    }

    /** The server with modules: the external one, or one started with the module files. */
    public static synchronized Optional<RedisServer> server() throws IOException {
        Optional<RedisServer> external = RedisServer.stack();
        if (external.isPresent()) {
            return external;
        }
        if (modules().isEmpty()) {
            return Optional.empty();
        }
        if (server == null) {
            RedisServer started =
                    RedisServer.startBinary(RedisServer.redisServerBinary(), moduleArgs());
            Runtime.getRuntime().addShutdownHook(new Thread(started::close));
            server = started;
        }
        return Optional.of(server);
    }

    /** A cluster of 3 primaries and 3 replicas that load the module files, if they are listed. */
    public static synchronized Optional<RedisCluster> cluster() throws IOException {
        if (modules().isEmpty()) {
            return Optional.empty();
        }
        if (cluster == null) {
            RedisCluster started = RedisCluster.start(3, 1, moduleArgs());
            Runtime.getRuntime().addShutdownHook(new Thread(started::close));
            cluster = started;
        }
        return Optional.of(cluster);
    }

    /** The module files listed in {@code REDIS_MODULES}, each checked to exist. */
    static List<Path> modules() {
        String value = System.getenv(REDIS_MODULES_ENV);
        List<Path> modules = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return modules;
        }
        for (String part : value.split(File.pathSeparator)) {
            if (part.isBlank()) {
                continue;
            }
            Path module = Path.of(part.trim());
            if (!Files.isRegularFile(module)) {
                throw new IllegalStateException(
                        REDIS_MODULES_ENV + " names " + module + ", which is not a file");
            }
            modules.add(module.toAbsolutePath());
        }
        return modules;
    }

    private static List<String> moduleArgs() {
        List<String> args = new ArrayList<>();
        for (Path module : modules()) {
            args.add("--loadmodule");
            args.add(module.toString());
        }
        return args;
    }
}
