package io.github.flinkredis.connector.client;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.util.Locale;
import org.apache.flink.annotation.Internal;
import org.apache.flink.util.ExceptionUtils;

/**
 * Opens Lettuce connections for a {@link RedisConnectionConfig} on the {@link
 * SharedClientResources}, and turns connection failures into {@link RedisConnectionException}s that
 * say what went wrong.
 */
@Internal
public final class RedisClientFactory {

    private RedisClientFactory() {}

    /**
     * Connects to the node of {@code config} with a binary-safe codec (keys and values as {@code
     * byte[]}).
     *
     * @throws RedisConnectionException if the node cannot be reached or refuses the credentials
     */
    public static RedisNodeConnection connect(RedisConnectionConfig config) {
        RedisClient client =
                RedisClient.create(SharedClientResources.acquire(), config.toRedisURI());
        try {
            client.setOptions(
                    ClientOptions.builder()
                            .socketOptions(
                                    SocketOptions.builder()
                                            .connectTimeout(config.getConnectTimeout())
                                            .build())
                            .timeoutOptions(TimeoutOptions.enabled(config.getCommandTimeout()))
                            .build());
            StatefulRedisConnection<byte[], byte[]> connection =
                    client.connect(ByteArrayCodec.INSTANCE);
            return new RedisNodeConnection(client, connection, config);
        } catch (RuntimeException e) {
            client.shutdown();
            SharedClientResources.release();
            throw translate(config, e);
        }
    }

    /** Turns a Lettuce connect failure into a message naming the endpoint and the options. */
    static RedisConnectionException translate(RedisConnectionConfig config, Throwable e) {
        String detail = rootMessage(e);
        String lower = detail.toLowerCase(Locale.ROOT);
        String what;
        if (lower.contains("wrongpass")
                || lower.contains("noauth")
                || lower.contains("invalid password")
                || lower.contains("invalid username-password")) {
            what =
                    String.format(
                            "Authentication to Redis at %s failed for user '%s' (check the"
                                    + " options 'username' and 'password', or the URL's user"
                                    + " info)",
                            config.endpoint(),
                            config.getUsername() == null ? "default" : config.getUsername());
        } else if (lower.contains("db index is out of range")
                || lower.contains("invalid db index")) {
            what =
                    String.format(
                            "Redis at %s has no database %d (check the option 'database' or the"
                                    + " URL's path)",
                            config.endpoint(), config.getDatabase());
        } else if (lower.contains("ssl") || lower.contains("tls") || lower.contains("handshake")) {
            what =
                    String.format(
                            "TLS connection to Redis at %s failed (check rediss:// and the TLS"
                                    + " options)",
                            config.endpoint());
        } else {
            what =
                    String.format(
                            "Cannot connect to Redis at %s (check the option 'url'; connect"
                                    + " timeout %d ms)",
                            config.endpoint(), config.getConnectTimeout().toMillis());
        }
        return new RedisConnectionException(what + ": " + detail, e);
    }

    private static String rootMessage(Throwable e) {
        StringBuilder sb = new StringBuilder();
        Throwable t = e;
        int depth = 0;
        while (t != null && depth++ < 6) {
            if (t.getMessage() != null && !sb.toString().contains(t.getMessage())) {
                if (sb.length() > 0) {
                    sb.append(": ");
                }
                sb.append(t.getMessage());
            }
            t = t.getCause();
        }
        return sb.length() == 0 ? ExceptionUtils.stringifyException(e) : sb.toString();
    }
}
