package io.github.flinkredis.testutils;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import redis.embedded.core.ExecutableProvider;

/**
 * A real Redis server for tests, examples and benchmarks.
 *
 * <p>{@link #start()} finds one in this order:
 *
 * <ol>
 *   <li>the address in the environment variable {@code REDIS_URL} (an external server, not owned);
 *   <li>a {@code redis-server} binary on the {@code PATH}, started on a free loopback port in a
 *       temporary directory;
 *   <li>the {@code redis-server} binary shipped in the Maven artifact {@code
 *       com.github.codemonstur:embedded-redis}, started the same way;
 *   <li>a {@code redis:7.2} container through Testcontainers, where a Docker engine runs.
 * </ol>
 *
 * <p>{@link #stack()} returns the server named by {@code REDIS_STACK_URL} (one with the JSON,
 * TimeSeries and Search modules), or empty with no such variable.
 *
 * <p>A server this class started is stopped by {@link #close()}; an external one is left alone.
 */
public final class RedisServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisServer.class);

    /** Environment variable naming an external Redis server, e.g. {@code redis://host:6379}. */
    public static final String REDIS_URL_ENV = "REDIS_URL";

    /** Environment variable naming a Redis server with the JSON, TimeSeries and Search modules. */
    public static final String REDIS_STACK_URL_ENV = "REDIS_STACK_URL";

    private static final long START_TIMEOUT_MILLIS = 30_000;

    /**
     * Ports tried before a start fails, each after the last was taken before the server bound it.
     */
    private static final int PORT_ATTEMPTS = 20;

    private final String host;
    private final int port;
    private final String origin;
    private final boolean owned;
    private final Path binary;
    private final Path directory;
    private final List<String> extraArgs;
    private Process process;
    private GenericContainer<?> container;
    private javax.net.ssl.SSLContext tls;
    private Path sentinelConfig;
    private volatile boolean paused;

    private RedisServer(
            String host,
            int port,
            String origin,
            boolean owned,
            Path binary,
            Path directory,
            List<String> extraArgs) {
        this.host = host;
        this.port = port;
        this.origin = origin;
        this.owned = owned;
        this.binary = binary;
        this.directory = directory;
        this.extraArgs = extraArgs;
    }

    /**
     * Returns a running server: the one named by {@code REDIS_URL}, or a new one started from a
     * binary or a container (see the class comment).
     *
     * @throws IllegalStateException if no way to get a server works on this machine
     */
    public static RedisServer start() {
        String url = System.getenv(REDIS_URL_ENV);
        if (url != null && !url.isBlank()) {
            return external(url, REDIS_URL_ENV);
        }
        return startLocal(List.of());
    }

    /**
     * The {@code redis-server} binary that {@link #startLocal} uses: the one on the PATH, else the
     * one in the embedded-redis artifact.
     */
    public static Path redisServerBinary() throws IOException {
        Optional<Path> onPath = findOnPath("redis-server");
        return onPath.isPresent() ? onPath.get() : embeddedBinary();
    }

    /**
     * Starts a new server owned by the caller from a {@code redis-server} binary (PATH, then the
     * embedded-redis artifact), never an external one; {@code extraArgs} are passed to {@code
     * redis-server} (e.g. {@code --requirepass secret}).
     */
    public static RedisServer startLocal(List<String> extraArgs) {
        List<String> failures = new ArrayList<>();
        Optional<Path> onPath = findOnPath("redis-server");
        if (onPath.isPresent()) {
            try {
                return startProcess(onPath.get(), "redis-server on PATH", extraArgs);
            } catch (IOException | RuntimeException e) {
                failures.add("redis-server on PATH (" + onPath.get() + "): " + e.getMessage());
            }
        } else {
            failures.add("no redis-server on PATH");
        }
        try {
            return startProcess(embeddedBinary(), "embedded-redis artifact", extraArgs);
        } catch (IOException | RuntimeException e) {
            failures.add("embedded-redis artifact: " + e.getMessage());
        }
        if (extraArgs.isEmpty()) {
            try {
                if (DockerClientFactory.instance().isDockerAvailable()) {
                    GenericContainer<?> c =
                            new GenericContainer<>("redis:7.2").withExposedPorts(6379);
                    c.start();
                    RedisServer server =
                            new RedisServer(
                                    c.getHost(),
                                    c.getMappedPort(6379),
                                    "Testcontainers redis:7.2",
                                    true,
                                    null,
                                    null,
                                    List.of());
                    server.container = c;
                    return server;
                }
                failures.add("Testcontainers: no Docker engine");
            } catch (RuntimeException e) {
                failures.add("Testcontainers: " + e.getMessage());
            }
        }
        throw new IllegalStateException(
                "Could not get a Redis server; set "
                        + REDIS_URL_ENV
                        + " or put redis-server on PATH. Tried: "
                        + String.join("; ", failures));
    }

    /**
     * Starts a new server from the given {@code redis-server} binary on a free loopback port.
     *
     * @throws IOException if it does not become ready
     */
    public static RedisServer startBinary(Path binary, List<String> extraArgs) throws IOException {
        return startProcess(binary, "redis-server at " + binary, extraArgs);
    }

    /**
     * Starts a server that accepts only TLS connections, with a server certificate from {@code
     * certs} (valid for localhost and 127.0.0.1); with {@code requireClientCertificates}, clients
     * must present a certificate signed by the same CA (mutual TLS). {@link #url()} is then a
     * {@code rediss://} URL.
     */
    public static RedisServer startTls(TestCertificates certs, boolean requireClientCertificates)
            throws IOException {
        List<String> args =
                List.of(
                        "--tls-cert-file",
                        certs.file("server.crt").toString(),
                        "--tls-key-file",
                        certs.file("server.key").toString(),
                        "--tls-ca-cert-file",
                        certs.file("ca.crt").toString(),
                        "--tls-auth-clients",
                        requireClientCertificates ? "yes" : "no");
        Path binary = redisServerBinary();
        javax.net.ssl.SSLContext clientContext = certs.sslContext();
        return launchOnFreePort(
                (port, dir) -> {
                    RedisServer server =
                            new RedisServer(
                                    "127.0.0.1", port, "TLS redis-server", true, binary, dir, args);
                    server.tls = clientContext;
                    return server;
                });
    }

    /**
     * Starts a Sentinel that monitors {@code primary} under {@code name}, with a quorum of {@code
     * quorum}, declaring it down after 1 s without answer.
     */
    public static RedisServer startSentinel(RedisServer primary, String name, int quorum)
            throws IOException {
        return startSentinel(primary, name, quorum, List.of());
    }

    /**
     * As {@link #startSentinel(RedisServer, String, int)}, with more lines for its configuration
     * file (e.g. {@code requirepass secret}: clients of this Sentinel must authenticate; {@link
     * #command} cannot talk to it then).
     */
    public static RedisServer startSentinel(
            RedisServer primary, String name, int quorum, List<String> extraConfig)
            throws IOException {
        Path binary = redisServerBinary();
        return launchOnFreePort(
                (port, dir) -> {
                    RedisServer sentinel =
                            new RedisServer(
                                    "127.0.0.1",
                                    port,
                                    "redis-sentinel",
                                    true,
                                    binary,
                                    dir,
                                    List.of());
                    sentinel.sentinelConfig = dir.resolve("sentinel.conf");
                    Files.writeString(
                            sentinel.sentinelConfig,
                            String.join(
                                    "\n",
                                    "port " + port,
                                    "bind 127.0.0.1",
                                    "dir " + dir,
                                    "sentinel monitor "
                                            + name
                                            + " "
                                            + primary.host()
                                            + " "
                                            + primary.port()
                                            + " "
                                            + quorum,
                                    "sentinel down-after-milliseconds " + name + " 1000",
                                    "sentinel failover-timeout " + name + " 5000",
                                    String.join("\n", extraConfig),
                                    ""));
                    return sentinel;
                });
    }

    /**
     * The {@code redis-server} binary for this OS and CPU shipped in the {@code
     * com.github.codemonstur:embedded-redis} artifact, extracted to a temporary file.
     */
    public static Path embeddedBinary() throws IOException {
        File extracted = ExecutableProvider.newJarResourceProvider().get();
        if (!extracted.canExecute() && !extracted.setExecutable(true)) {
            throw new IOException("cannot make " + extracted + " executable");
        }
        return extracted.toPath();
    }

    /** The server named by {@code REDIS_STACK_URL}, if that variable is set. */
    public static Optional<RedisServer> stack() {
        String url = System.getenv(REDIS_STACK_URL_ENV);
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(external(url, REDIS_STACK_URL_ENV));
    }

    private static RedisServer external(String url, String variable) {
        URI uri = URI.create(url.trim());
        int port = uri.getPort() > 0 ? uri.getPort() : 6379;
        return new RedisServer(
                uri.getHost(), port, "external server from " + variable, false, null, null, null);
    }

    private static Optional<Path> findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static RedisServer startProcess(Path binary, String origin, List<String> extraArgs)
            throws IOException {
        List<String> args = List.copyOf(extraArgs);
        boolean clusterNode = FreePorts.isClusterNode(args);
        return launchOnFreePort(
                clusterNode,
                (port, dir) -> new RedisServer("127.0.0.1", port, origin, true, binary, dir, args));
    }

    /** Makes a server that is not started yet, for a port and a working directory. */
    @FunctionalInterface
    private interface Unstarted {
        RedisServer create(int port, Path directory) throws IOException;
    }

    /**
     * Creates and launches a server on a free loopback port in a new temporary directory. A port
     * free when probed can be taken before the server binds it (by another server, test or
     * process): the server then exits saying so, and another port is tried. Any other start failure
     * is thrown at once.
     *
     * @param clusterNode whether the server also binds its cluster bus port (port + 10000)
     */
    private static RedisServer launchOnFreePort(boolean clusterNode, Unstarted unstarted)
            throws IOException {
        PortTakenException last = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            RedisServer server =
                    unstarted.create(
                            FreePorts.find(clusterNode), Files.createTempDirectory("redis-test-"));
            try {
                server.launch();
                LOG.info("Started Redis at {} ({})", server.url(), server.origin);
                return server;
            } catch (PortTakenException e) {
                LOG.info("Port {} was taken, trying another: {}", server.port, e.getMessage());
                last = e;
                server.close();
            } catch (IOException | RuntimeException e) {
                server.close();
                throw e;
            }
        }
        throw new IOException(
                "redis-server found no free port in " + PORT_ATTEMPTS + " attempts", last);
    }

    private static RedisServer launchOnFreePort(Unstarted unstarted) throws IOException {
        return launchOnFreePort(false, unstarted);
    }

    private void launch() throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        if (sentinelConfig != null) {
            cmd.add(sentinelConfig.toString());
            cmd.add("--sentinel");
            startAndAwait(cmd, "+monitor master");
            return;
        }
        cmd.addAll(
                tls != null
                        ? List.of("--port", "0", "--tls-port", Integer.toString(port))
                        : List.of("--port", Integer.toString(port)));
        cmd.addAll(
                List.of(
                        "--bind",
                        "127.0.0.1",
                        "--dir",
                        directory.toString(),
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--daemonize",
                        "no",
                        "--protected-mode",
                        "no"));
        cmd.addAll(extraArgs);
        startAndAwait(cmd, "Ready to accept connections");
    }

    private void startAndAwait(List<String> cmd, String readyMarker) throws IOException {
        process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        paused = false;
        CompletableFuture<Void> ready = new CompletableFuture<>();
        StringBuilder output = new StringBuilder();
        Thread reader =
                new Thread(
                        () -> {
                            try (BufferedReader in =
                                    new BufferedReader(
                                            new InputStreamReader(
                                                    process.getInputStream(),
                                                    StandardCharsets.UTF_8))) {
                                String line;
                                while ((line = in.readLine()) != null) {
                                    if (!ready.isDone()) {
                                        output.append(line).append('\n');
                                        if (line.contains(readyMarker)) {
                                            ready.complete(null);
                                        }
                                    }
                                }
                            } catch (IOException ignored) {
                                // the process ended
                            }
                            String log = output.toString();
                            ready.completeExceptionally(
                                    FreePorts.saysPortTaken(log)
                                            ? new PortTakenException(
                                                    "redis-server could not listen on port "
                                                            + port
                                                            + ":\n"
                                                            + log)
                                            : new IOException("redis-server exited:\n" + log));
                        },
                        "redis-server-output-" + port);
        reader.setDaemon(true);
        reader.start();
        try {
            ready.get(START_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PortTakenException) {
                throw (PortTakenException) e.getCause();
            }
            throw new IOException(
                    "redis-server did not become ready on port " + port + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IOException(
                    "redis-server did not become ready on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** The server exited because its port (or cluster bus port) was not free. */
    static final class PortTakenException extends IOException {
        private static final long serialVersionUID = 1L;

        PortTakenException(String message) {
            super(message);
        }
    }

    /** The server's host name or address. */
    public String host() {
        return host;
    }

    /** The server's TCP port. */
    public int port() {
        return port;
    }

    /**
     * A {@code redis://host:port} URL of this server, {@code rediss://} for a TLS server (without
     * credentials or database).
     */
    public String url() {
        return (tls != null ? "rediss://" : "redis://") + host + ":" + port;
    }

    /** Where this server came from, e.g. "redis-server on PATH"; for logs and skip reasons. */
    public String origin() {
        return origin;
    }

    /** Whether this object started the server (and may flush, restart and stop it). */
    public boolean isOwned() {
        return owned;
    }

    /**
     * Sends one command over a plain RESP connection and returns the raw reply text. A tiny client
     * that keeps the harness independent of the connector under test.
     */
    public String command(String... args) throws IOException {
        try (Socket socket =
                tls != null
                        ? tls.getSocketFactory().createSocket(host, port)
                        : new Socket(host, port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            StringBuilder req = new StringBuilder("*").append(args.length).append("\r\n");
            for (String a : args) {
                byte[] b = a.getBytes(StandardCharsets.UTF_8);
                req.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
            }
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in =
                    new BufferedReader(
                            new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            return readReply(in);
        }
    }

    /** Keys in the server's current database (DBSIZE). */
    public long dbSize() throws IOException {
        return Long.parseLong(command("DBSIZE").trim());
    }

    /**
     * Calls of {@code command} (lower case, e.g. {@code hmget}) on this server since its start or
     * its last CONFIG RESETSTAT, from INFO commandstats.
     */
    public long calls(String command) throws IOException {
        String prefix = "cmdstat_" + command + ":calls=";
        for (String line : command("INFO", "commandstats").split("\r?\n")) {
            if (line.startsWith(prefix)) {
                return Long.parseLong(line.substring(prefix.length(), line.indexOf(',')));
            }
        }
        return 0;
    }

    private static String readReply(BufferedReader in) throws IOException {
        String line = in.readLine();
        if (line == null) {
            throw new IOException("connection closed");
        }
        char type = line.charAt(0);
        String rest = line.substring(1);
        switch (type) {
            case '+':
            case ':':
                return rest;
            case '-':
                throw new IOException("Redis error: " + rest);
            case '$':
                int len = Integer.parseInt(rest);
                if (len < 0) {
                    return null;
                }
                char[] buf = new char[len];
                int read = 0;
                while (read < len) {
                    int n = in.read(buf, read, len - read);
                    if (n < 0) {
                        throw new IOException("connection closed");
                    }
                    read += n;
                }
                in.readLine();
                return new String(buf);
            case '*':
                int n = Integer.parseInt(rest);
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        sb.append('\n');
                    }
                    sb.append(readReply(in));
                }
                return sb.toString();
            default:
                throw new IOException("unexpected reply: " + line);
        }
    }

    /**
     * Stops the server process and starts it again on the same port (the data set is lost: the
     * server runs without persistence). Only for servers this class started from a binary.
     */
    public void restart() throws IOException {
        if (process == null) {
            throw new IllegalStateException("cannot restart " + origin);
        }
        stopProcess();
        launch();
    }

    /**
     * Kills the server process (SIGKILL: no shutdown, no goodbye to clients or cluster peers), as a
     * crash would, leaving the port closed until {@link #restart()}.
     */
    public void kill() {
        if (process == null) {
            throw new IllegalStateException("cannot kill " + origin);
        }
        try {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Suspends the server process (SIGSTOP): its port stays open and the kernel still accepts
     * connections, but the server reads and answers nothing, as a stalled node would, until {@link
     * #resume()}.
     */
    public void pause() throws IOException {
        signal("STOP");
        paused = true;
    }

    /** Lets a {@link #pause() paused} server process run again (SIGCONT). */
    public void resume() throws IOException {
        signal("CONT");
        paused = false;
    }

    private void signal(String name) throws IOException {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("cannot signal " + origin + ": no running process");
        }
        Process kill =
                new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                        .redirectErrorStream(true)
                        .start();
        try {
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IOException(
                        "kill -"
                                + name
                                + " "
                                + process.pid()
                                + " failed: "
                                + new String(
                                        kill.getInputStream().readAllBytes(),
                                        StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted sending SIG" + name, e);
        }
    }

    /** Stops the server process, leaving the port closed until {@link #restart()}. */
    public void stop() {
        if (process == null) {
            throw new IllegalStateException("cannot stop " + origin);
        }
        stopProcess();
    }

    private void stopProcess() {
        if (process != null && process.isAlive()) {
            if (paused) {
                try {
                    resume(); // a stopped process would not act on SIGTERM
                } catch (IOException e) {
                    LOG.warn("Could not resume {} before stopping it: {}", url(), e.getMessage());
                }
            }
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        if (process != null) {
            stopProcess();
            process = null;
        }
        if (container != null) {
            container.stop();
            container = null;
        }
        if (directory != null) {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // temp directory clean-up is best effort
            }
        }
    }

    @Override
    public String toString() {
        return url() + " (" + origin + ")";
    }
}
