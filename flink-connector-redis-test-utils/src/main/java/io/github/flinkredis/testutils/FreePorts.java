package io.github.flinkredis.testutils;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

/**
 * Loopback ports for the servers {@link RedisServer} starts, and what a server's start log says
 * when the port it was given was taken before it could bind it.
 */
final class FreePorts {

    /** A cluster node's bus port is its port + this (Redis's default {@code cluster-port}). */
    static final int CLUSTER_BUS_OFFSET = 10_000;

    private static final int MAX_PROBES = 1_000;

    private FreePorts() {}

    /**
     * A loopback port that no socket uses now; with {@code withBusPort}, one whose cluster bus port
     * (+ {@value #CLUSTER_BUS_OFFSET}) exists and is free too. Another process can still take it
     * before the server binds it: see {@link #saysPortTaken}.
     */
    static int find(boolean withBusPort) throws IOException {
        for (int probe = 0; probe < MAX_PROBES; probe++) {
            int port;
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress("127.0.0.1", 0));
                port = socket.getLocalPort();
            }
            int bus = port + CLUSTER_BUS_OFFSET;
            if (!withBusPort || (bus <= 65535 && isFree(bus))) {
                return port;
            }
        }
        throw new IOException("no free port with a free cluster bus port");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Whether a server's start log says that it could not listen on its port or its cluster bus
     * port: taken by another socket, or (a cluster node) a port above 55535.
     */
    static boolean saysPortTaken(String log) {
        return log.contains("Address already in use")
                || log.contains("Failed listening on port")
                || log.contains("port number too high");
    }

    /** Whether {@code args} start a cluster node, which also listens on its bus port. */
    static boolean isClusterNode(List<String> args) {
        int i = args.indexOf("--cluster-enabled");
        return i >= 0 && i + 1 < args.size() && "yes".equalsIgnoreCase(args.get(i + 1));
    }
}
