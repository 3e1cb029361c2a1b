package io.github.flinkredis.testutils;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of one Redis server that drops a client's connection when the client sends a
 * given command: the command is not forwarded, and both sockets are closed. It makes "the
 * connection broke right before this command" happen on demand, e.g. the first command a reader
 * sends on a new connection, which a server restart or a network failure can do only by chance.
 *
 * <p>The command is recognised by its RESP encoding as clients send it: {@code dropOn("INFO",
 * "server")} matches {@code *2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n} (the name in upper case, as
 * Lettuce sends it). Only the first {@code times} matches drop a connection; later ones are
 * forwarded.
 */
public final class RedisFaultProxy implements AutoCloseable {

    private static final int BUFFER_BYTES = 16 * 1024;

    private final RedisServer target;
    private final byte[] trigger;
    private final AtomicInteger dropsLeft;
    private final AtomicInteger drops = new AtomicInteger();
    private final ServerSocket listener;
    private final List<Socket> sockets = new ArrayList<>();
    private final Thread acceptor;
    private volatile boolean closed;

    private RedisFaultProxy(RedisServer target, byte[] trigger, int times) throws IOException {
        this.target = target;
        this.trigger = trigger;
        this.dropsLeft = new AtomicInteger(times);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptAll, "redis-fault-proxy-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Starts a proxy to {@code target} on a free loopback port that drops the connection of the
     * first {@code times} commands {@code command args...} it sees.
     */
    public static RedisFaultProxy dropOn(RedisServer target, int times, String... command)
            throws IOException {
        StringBuilder resp = new StringBuilder("*").append(command.length).append("\r\n");
        for (String part : command) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            resp.append('$').append(bytes.length).append("\r\n").append(part).append("\r\n");
        }
        return new RedisFaultProxy(target, resp.toString().getBytes(StandardCharsets.UTF_8), times);
    }

    /**
     * Starts a proxy to {@code target} that drops the connection of the first {@code times}
     * commands of {@code arguments} arguments in all (the name counts) that begin with {@code
     * firstParts}: e.g. {@code dropOnPrefix(server, 1, 22, "XADD", "dlq")} for an {@code XADD dlq
     * ...} of 22 arguments.
     */
    public static RedisFaultProxy dropOnPrefix(
            RedisServer target, int times, int arguments, String... firstParts) throws IOException {
        StringBuilder resp = new StringBuilder("*").append(arguments).append("\r\n");
        for (String part : firstParts) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            resp.append('$').append(bytes.length).append("\r\n").append(part).append("\r\n");
        }
        return new RedisFaultProxy(target, resp.toString().getBytes(StandardCharsets.UTF_8), times);
    }

    /** {@code redis://host:port} of the proxy. */
    public String url() {
        return "redis://"
                + listener.getInetAddress().getHostAddress()
                + ":"
                + listener.getLocalPort();
    }

    /** How many connections the proxy dropped so far. */
    public int drops() {
        return drops.get();
    }

    private void acceptAll() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            Socket server;
            try {
                server = new Socket();
                server.connect(new InetSocketAddress(target.host(), target.port()));
            } catch (IOException e) {
                closeQuietly(client);
                continue;
            }
            synchronized (sockets) {
                sockets.add(client);
                sockets.add(server);
            }
            start(() -> forward(client, server, true), "to-server");
            start(() -> forward(server, client, false), "to-client");
        }
    }

    private void start(Runnable task, String name) {
        Thread t = new Thread(task, "redis-fault-proxy-" + name);
        t.setDaemon(true);
        t.start();
    }

    /**
     * Copies bytes from {@code from} to {@code to}. On the client's side, while drops are left, an
     * end of a read that may begin the trigger waits for the next read, and a complete trigger
     * closes both sockets instead of being forwarded.
     */
    private void forward(Socket from, Socket to, boolean watch) {
        byte[] buffer = new byte[BUFFER_BYTES];
        byte[] seen = new byte[0];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (!watch) {
                    out.write(buffer, 0, n);
                    out.flush();
                    continue;
                }
                byte[] data = new byte[seen.length + n];
                System.arraycopy(seen, 0, data, 0, seen.length);
                System.arraycopy(buffer, 0, data, seen.length, n);
                int at = indexOf(data, trigger);
                if (at >= 0 && dropsLeft.getAndDecrement() > 0) {
                    out.write(data, 0, at);
                    out.flush();
                    drops.incrementAndGet();
                    closeQuietly(from);
                    closeQuietly(to);
                    return;
                }
                // hold back an end that may be the start of a trigger completed by the next read
                int keep = at < 0 && dropsLeft.get() > 0 ? partialTrigger(data) : 0;
                out.write(data, 0, data.length - keep);
                out.flush();
                seen = Arrays.copyOfRange(data, data.length - keep, data.length);
            }
            out.write(seen);
        } catch (IOException e) {
            // one side closed: close the other
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /**
     * The length of the longest end of {@code data} that is a proper beginning of the trigger. A
     * complete command never ends that way unless its last argument ends with such bytes (e.g.
     * {@code "*2"}), which the tests using this proxy do not send.
     */
    private int partialTrigger(byte[] data) {
        for (int len = Math.min(data.length, trigger.length - 1); len > 0; len--) {
            if (Arrays.equals(data, data.length - len, data.length, trigger, 0, len)) {
                return len;
            }
        }
        return 0;
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        synchronized (sockets) {
            for (Socket s : sockets) {
                closeQuietly(s);
            }
            sockets.clear();
        }
    }
}
