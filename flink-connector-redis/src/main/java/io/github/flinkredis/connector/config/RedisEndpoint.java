package io.github.flinkredis.connector.config;

import java.io.Serializable;
import java.util.Objects;
import org.apache.flink.annotation.PublicEvolving;

/** A Redis node address: host and port. */
@PublicEvolving
public final class RedisEndpoint implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String host;
    private final int port;

    public RedisEndpoint(String host, int port) {
        this.host = Objects.requireNonNull(host);
        this.port = port;
    }

    /**
     * Parses {@code host}, {@code host:port} or {@code [ipv6]:port}.
     *
     * @throws IllegalArgumentException for a malformed address or port
     */
    public static RedisEndpoint parse(String address, int defaultPort) {
        String a = address.trim();
        String host;
        String port = null;
        if (a.startsWith("[")) {
            int close = a.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '[' in address '" + a + "'");
            }
            host = a.substring(1, close);
            if (a.length() > close + 1) {
                if (a.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("malformed address '" + a + "'");
                }
                port = a.substring(close + 2);
            }
        } else {
            int colon = a.lastIndexOf(':');
            host = colon >= 0 ? a.substring(0, colon) : a;
            port = colon >= 0 ? a.substring(colon + 1) : null;
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("no host in address '" + a + "'");
        }
        int p = defaultPort;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid port '" + port + "' in '" + a + "'");
            }
            if (p <= 0 || p > 65535) {
                throw new IllegalArgumentException("invalid port " + p + " in '" + a + "'");
            }
        }
        return new RedisEndpoint(host, p);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RedisEndpoint
                && ((RedisEndpoint) o).host.equals(host)
                && ((RedisEndpoint) o).port == port;
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port);
    }

    /** {@code host:port}, with an IPv6 host in brackets. */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
