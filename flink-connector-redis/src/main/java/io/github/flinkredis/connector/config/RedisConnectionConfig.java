package io.github.flinkredis.connector.config;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Where and how to connect to Redis: an immutable, serializable value built from the {@code url}
 * option (or {@link #builder()}) with credentials, database and timeouts.
 *
 * <p>The password is kept apart from the URL and never appears in {@link #toString()}, {@link
 * #endpoint()} or any message of this connector.
 */
@PublicEvolving
public final class RedisConnectionConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    private final boolean tls;
    private final String host;
    private final int port;
    private final int database;
    @Nullable private final String username;
    @Nullable private final String password;
    private final Duration connectTimeout;
    private final Duration commandTimeout;
    @Nullable private final String clientName;

    private RedisConnectionConfig(Builder b) {
        this.tls = b.tls;
        this.host = Objects.requireNonNull(b.host, "host");
        this.port = b.port;
        this.database = b.database;
        this.username = b.username;
        this.password = b.password;
        this.connectTimeout = b.connectTimeout;
        this.commandTimeout = b.commandTimeout;
        this.clientName = b.clientName;
    }

    /** A builder with Redis's defaults: localhost, port 6379, database 0, no credentials. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder initialised from a URL {@code redis://[[user]:password@]host[:port][/database]} or
     * {@code rediss://...} (TLS).
     *
     * @throws IllegalArgumentException if the URL does not parse; the message names the URL with
     *     its password masked
     */
    public static Builder fromUrl(String url) {
        String trimmed = url.trim();
        String scheme = trimmed.contains("://") ? trimmed.substring(0, trimmed.indexOf("://")) : "";
        if (!scheme.equals(RedisURI.URI_SCHEME_REDIS)
                && !scheme.equals(RedisURI.URI_SCHEME_REDIS_SECURE)) {
            throw new IllegalArgumentException(
                    String.format(
                            "Invalid Redis URL '%s': the scheme must be redis:// or rediss://.",
                            maskUrl(trimmed)));
        }
        RedisURI uri;
        try {
            uri = RedisURI.create(trimmed);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    String.format("Invalid Redis URL '%s': %s", maskUrl(trimmed), e.getMessage()));
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException(
                    String.format("Invalid Redis URL '%s': no host.", maskUrl(trimmed)));
        }
        Builder b = new Builder();
        b.tls = uri.isSsl();
        b.host = uri.getHost();
        b.port = uri.getPort();
        b.database = uri.getDatabase();
        RedisCredentials credentials =
                uri.getCredentialsProvider() == null
                        ? null
                        : uri.getCredentialsProvider().resolveCredentials().block();
        if (credentials != null) {
            b.username = credentials.hasUsername() ? credentials.getUsername() : null;
            b.password =
                    credentials.hasPassword() && credentials.getPassword().length > 0
                            ? new String(credentials.getPassword())
                            : null;
        }
        return b;
    }

    /** Replaces the user info of a URL by {@code ***} so that it can be shown. */
    public static String maskUrl(String url) {
        int scheme = url.indexOf("://");
        int at = url.lastIndexOf('@');
        if (scheme < 0 || at < scheme) {
            return url;
        }
        return url.substring(0, scheme + 3) + "***" + url.substring(at);
    }

    /** A Lettuce URI with everything in this configuration, password included. */
    public RedisURI toRedisURI() {
        RedisURI.Builder b =
                RedisURI.builder()
                        .withHost(host)
                        .withPort(port)
                        .withSsl(tls)
                        .withDatabase(database)
                        .withTimeout(commandTimeout);
        if (password != null) {
            if (username != null) {
                b.withAuthentication(username, password);
            } else {
                b.withPassword(password.toCharArray());
            }
        }
        if (clientName != null) {
            b.withClientName(clientName);
        }
        return b.build();
    }

    /** {@code redis://host:port/db} (or {@code rediss://}), without credentials: for messages. */
    public String endpoint() {
        return (tls ? "rediss://" : "redis://") + host + ":" + port + "/" + database;
    }

    public boolean isTls() {
        return tls;
    }

    public String getHost() {
        return host;
    }

    public int getPort() {
        return port;
    }

    public int getDatabase() {
        return database;
    }

    @Nullable
    public String getUsername() {
        return username;
    }

    /** Whether a password is configured (the password itself has no public getter). */
    public boolean hasPassword() {
        return password != null;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public Duration getCommandTimeout() {
        return commandTimeout;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RedisConnectionConfig)) {
            return false;
        }
        RedisConnectionConfig that = (RedisConnectionConfig) o;
        return tls == that.tls
                && port == that.port
                && database == that.database
                && host.equals(that.host)
                && Objects.equals(username, that.username)
                && Objects.equals(password, that.password)
                && connectTimeout.equals(that.connectTimeout)
                && commandTimeout.equals(that.commandTimeout)
                && Objects.equals(clientName, that.clientName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tls, host, port, database, username, connectTimeout, commandTimeout);
    }

    @Override
    public String toString() {
        return endpoint()
                + (username != null ? " user=" + username : "")
                + (password != null ? " password=***" : "");
    }

    /** Builder of {@link RedisConnectionConfig}. */
    @PublicEvolving
    public static final class Builder {
        private boolean tls;
        private String host = "localhost";
        private int port = RedisURI.DEFAULT_REDIS_PORT;
        private int database;
        private String username;
        private String password;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration commandTimeout = Duration.ofSeconds(60);
        private String clientName = "flink-connector-redis";

        private Builder() {}

        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Database number (SELECT), 0 by default. */
        public Builder database(int database) {
            this.database = database;
            return this;
        }

        /** ACL user name; {@code null} for the default user. */
        public Builder username(@Nullable String username) {
            this.username = username;
            return this;
        }

        /** Password sent with AUTH / HELLO; {@code null} for none. */
        public Builder password(@Nullable String password) {
            this.password = password;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout);
            return this;
        }

        /** How long one command, or one pipelined batch, may take to be answered. */
        public Builder commandTimeout(Duration commandTimeout) {
            this.commandTimeout = Objects.requireNonNull(commandTimeout);
            return this;
        }

        /** Connection name (CLIENT SETNAME); {@code null} for none. */
        public Builder clientName(@Nullable String clientName) {
            this.clientName = clientName;
            return this;
        }

        public RedisConnectionConfig build() {
            return new RedisConnectionConfig(this);
        }
    }
}
