package io.github.flinkredis.testutils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A Redis server of version 7.4 or later (hash field expiry: {@code HPEXPIRE}; 8.0: {@code
 * HSETEX}), for the tests of features older servers lack: started by the harness from the {@code
 * redis-server} binary (or a script that runs one) named by {@code REDIS_NEW_SERVER}, on a free
 * loopback port, shared by the tests of one JVM and stopped when it exits. Without the variable,
 * {@link #server()} is empty and the tests say why they skip ({@link #unavailableReason()}).
 */
public final class RedisNewServer {

    /** Environment variable naming a {@code redis-server} binary of Redis 7.4 or later. */
    public static final String REDIS_NEW_SERVER_ENV = "REDIS_NEW_SERVER";

    private static RedisServer server;

    private RedisNewServer() {}

    /** Why no such server is available, or empty if one is. */
    public static Optional<String> unavailableReason() {
        return binary().isPresent()
                ? Optional.empty()
                : Optional.of(
                        "needs Redis 7.4 or later: set "
                                + REDIS_NEW_SERVER_ENV
                                + " to a redis-server binary of that version");
    }

    /** The server, started on first use; empty without {@code REDIS_NEW_SERVER}. */
    public static synchronized Optional<RedisServer> server() throws IOException {
        Optional<Path> binary = binary();
        if (binary.isEmpty()) {
            return Optional.empty();
        }
        if (server == null) {
            RedisServer started = RedisServer.startBinary(binary.get(), List.of());
            Runtime.getRuntime().addShutdownHook(new Thread(started::close));
            server = started;
        }
        return Optional.of(server);
    }

    private static Optional<Path> binary() {
        String value = System.getenv(REDIS_NEW_SERVER_ENV);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        Path binary = Path.of(value.trim());
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(
                    REDIS_NEW_SERVER_ENV
                            + " names "
                            + binary
                            + ", which is not an executable file");
        }
        return Optional.of(binary);
    }
}
