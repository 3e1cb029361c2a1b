package io.github.flinkredis.connector.config;

import io.lettuce.core.RedisURI;
import io.lettuce.core.protocol.ProtocolVersion;
import java.io.Serializable;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Where and how to connect to Redis: an immutable, serializable value built from the {@code url}
 * option (or {@link #builder()}) with credentials, database, TLS and timeouts.
 *
 * <p>The deployment follows from the URL: {@code redis://} or {@code rediss://} with one node is a
 * standalone server (or a cluster, see {@link ClusterMode}); with several comma-separated nodes it
 * is a Redis Cluster (the nodes are seeds); {@code redis-sentinel://} names Sentinels and the
 * primary's name after {@code #}.
 *
 * <p>The password is kept apart from the URL and never appears in {@link #toString()}, {@link
 * #endpoint()} or any message of this connector.
 */
@PublicEvolving
public final class RedisConnectionConfig implements Serializable {

    private static final long serialVersionUID = 2L;

    /** Scheme of a Sentinel URL. */
    public static final String SENTINEL_SCHEME = "redis-sentinel";

    private static final int DEFAULT_SENTINEL_PORT = 26379;

    private final boolean tls;
    private final List<RedisEndpoint> nodes;
    @Nullable private final String sentinelMasterId;
    private final ClusterMode clusterMode;
    private final ReadFrom readFrom;
    private final int database;
    @Nullable private final String username;
    @Nullable private final String password;
    @Nullable private final String sentinelPassword;
    private final Duration connectTimeout;
    private final Duration commandTimeout;
    @Nullable private final String clientName;
    private final RedisTlsOptions tlsOptions;
    private final Duration topologyRefreshPeriod;
    @Nullable private final ProtocolVersion protocolVersion;

    private RedisConnectionConfig(Builder b) {
        if (b.nodes.isEmpty()) {
            throw new IllegalArgumentException("No Redis node given.");
        }
        this.tls = b.tls;
        this.nodes = List.copyOf(b.nodes);
        this.sentinelMasterId = b.sentinelMasterId;
        this.clusterMode = b.clusterMode;
        this.readFrom = b.readFrom;
        this.database = b.database;
        this.username = b.username;
        this.password = b.password;
        this.sentinelPassword = b.sentinelPassword;
        this.connectTimeout = b.connectTimeout;
        this.commandTimeout = b.commandTimeout;
        this.clientName = b.clientName;
        this.tlsOptions = b.tlsOptions;
        this.topologyRefreshPeriod = b.topologyRefreshPeriod;
        this.protocolVersion = null;
        if (isSentinel() && clusterMode == ClusterMode.ENABLED) {
            throw new IllegalArgumentException(
                    "A redis-sentinel:// URL names a Sentinel-managed primary, not a cluster.");
        }
    }

    private RedisConnectionConfig(RedisConnectionConfig c, ProtocolVersion protocolVersion) {
        this.tls = c.tls;
        this.nodes = c.nodes;
        this.sentinelMasterId = c.sentinelMasterId;
        this.clusterMode = c.clusterMode;
        this.readFrom = c.readFrom;
        this.database = c.database;
        this.username = c.username;
        this.password = c.password;
        this.sentinelPassword = c.sentinelPassword;
        this.connectTimeout = c.connectTimeout;
        this.commandTimeout = c.commandTimeout;
        this.clientName = c.clientName;
        this.tlsOptions = c.tlsOptions;
        this.topologyRefreshPeriod = c.topologyRefreshPeriod;
        this.protocolVersion = protocolVersion;
    }

    /**
     * This configuration with connections that speak {@code protocolVersion} (a HELLO 3 handshake
     * for RESP3; AUTH, or PING without a password, and CLIENT SETNAME for RESP2) instead of the one
     * Lettuce negotiates (RESP3 where the server has HELLO). A reader uses it where one protocol's
     * replies are cheaper to produce and decode (see the timeseries scan).
     */
    @Internal
    public RedisConnectionConfig withProtocolVersion(ProtocolVersion protocolVersion) {
        return new RedisConnectionConfig(this, Objects.requireNonNull(protocolVersion));
    }

    /** The protocol connections speak; null when Lettuce negotiates it (RESP3 where it can). */
    @Internal
    @Nullable
    public ProtocolVersion getProtocolVersion() {
        return protocolVersion;
    }

    /** A builder with Redis's defaults: localhost:6379, database 0, no credentials. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder initialised from a URL: {@code redis://[[user]:password@]host[:port][,host[:port]
     * ...][/database]}, the same with {@code rediss://} for TLS, or {@code
     * redis-sentinel://[[user]:password@]host[:port][,...][/database]#primaryName}. User and
     * password are URL-decoded; ports default to 6379 (26379 for Sentinels).
     *
     * @throws IllegalArgumentException if the URL does not parse; the message shows the URL with
     *     its user info masked
     */
    public static Builder fromUrl(String url) {
        String u = url.trim();
        int schemeEnd = u.indexOf("://");
        String scheme = schemeEnd > 0 ? u.substring(0, schemeEnd) : "";
        boolean sentinel = scheme.equals(SENTINEL_SCHEME);
        if (!sentinel
                && !scheme.equals(RedisURI.URI_SCHEME_REDIS)
                && !scheme.equals(RedisURI.URI_SCHEME_REDIS_SECURE)) {
            throw invalid(u, "the scheme must be redis://, rediss:// or redis-sentinel://");
        }
        Builder b = new Builder();
        b.tls = scheme.equals(RedisURI.URI_SCHEME_REDIS_SECURE);
        String rest = u.substring(schemeEnd + 3);
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            if (!sentinel) {
                throw invalid(u, "only a redis-sentinel:// URL names a primary after '#'");
            }
            b.sentinelMasterId = rest.substring(hash + 1);
            rest = rest.substring(0, hash);
        } else if (sentinel) {
            throw invalid(u, "a redis-sentinel:// URL needs the primary's name after '#'");
        }
        int query = rest.indexOf('?');
        if (query >= 0) {
            throw invalid(u, "URL parameters are not supported; use the connector's options");
        }
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = userInfo.indexOf(':');
            String user = colon >= 0 ? userInfo.substring(0, colon) : userInfo;
            String pass = colon >= 0 ? userInfo.substring(colon + 1) : null;
            if (colon < 0) {
                // redis://secret@host is a password, as in Lettuce and redis-cli
                pass = user;
                user = "";
            }
            b.username = user.isEmpty() ? null : decode(user);
            b.password = pass == null || pass.isEmpty() ? null : decode(pass);
        }
        int slash = rest.indexOf('/');
        String hosts = slash >= 0 ? rest.substring(0, slash) : rest;
        String path = slash >= 0 ? rest.substring(slash + 1) : "";
        if (!path.isEmpty()) {
            try {
                b.database = Integer.parseInt(path);
            } catch (NumberFormatException e) {
                throw invalid(u, "the path must be a database number, not '" + path + "'");
            }
        }
        b.nodes.clear();
        for (String host : hosts.split(",")) {
            try {
                b.nodes.add(
                        RedisEndpoint.parse(
                                host,
                                sentinel ? DEFAULT_SENTINEL_PORT : RedisURI.DEFAULT_REDIS_PORT));
            } catch (IllegalArgumentException e) {
                throw invalid(u, e.getMessage());
            }
        }
        return b;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static IllegalArgumentException invalid(String url, String why) {
        return new IllegalArgumentException(
                String.format("Invalid Redis URL '%s': %s.", maskUrl(url), why));
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

    /** Whether the URL names a Sentinel-managed primary. */
    public boolean isSentinel() {
        return sentinelMasterId != null;
    }

    /**
     * Whether the nodes are known to be a cluster without asking them: {@link ClusterMode#ENABLED},
     * or {@link ClusterMode#AUTO} with several nodes.
     */
    public boolean isClusterByConfiguration() {
        return clusterMode == ClusterMode.ENABLED
                || (clusterMode == ClusterMode.AUTO && nodes.size() > 1 && !isSentinel());
    }

    /**
     * A Lettuce URI of the standalone node, or of the Sentinels with the primary's name, with
     * credentials, database, TLS and timeout.
     */
    public RedisURI toRedisURI() {
        if (isSentinel()) {
            RedisURI.Builder b = RedisURI.builder().withSentinelMasterId(sentinelMasterId);
            for (RedisEndpoint sentinel : nodes) {
                RedisURI.Builder s =
                        RedisURI.builder()
                                .withHost(sentinel.host())
                                .withPort(sentinel.port())
                                .withSsl(tls)
                                .withVerifyPeer(tlsOptions.verifyMode())
                                .withTimeout(commandTimeout);
                if (sentinelPassword != null) {
                    s.withPassword(sentinelPassword.toCharArray());
                }
                b.withSentinel(s.build());
            }
            return withCommon(b).build();
        }
        return toRedisURI(nodes.get(0));
    }

    /** A Lettuce URI of one node (a standalone server or a cluster node). */
    public RedisURI toRedisURI(RedisEndpoint node) {
        return withCommon(RedisURI.builder().withHost(node.host()).withPort(node.port())).build();
    }

    /** Lettuce URIs of every configured node: the seeds of a cluster. */
    public List<RedisURI> toRedisURIs() {
        List<RedisURI> uris = new ArrayList<>(nodes.size());
        for (RedisEndpoint node : nodes) {
            uris.add(toRedisURI(node));
        }
        return uris;
    }

    private RedisURI.Builder withCommon(RedisURI.Builder b) {
        b.withSsl(tls)
                .withVerifyPeer(tlsOptions.verifyMode())
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
        return b;
    }

    /**
     * The URL without credentials, for messages: {@code redis://host:port/db}, {@code
     * rediss://h1:p1,h2:p2/db} or {@code redis-sentinel://h:p/db#name}.
     */
    public String endpoint() {
        String scheme = isSentinel() ? SENTINEL_SCHEME : tls ? "rediss" : "redis";
        return scheme
                + "://"
                + nodes.stream().map(RedisEndpoint::toString).collect(Collectors.joining(","))
                + "/"
                + database
                + (isSentinel() ? "#" + sentinelMasterId : "");
    }

    public boolean isTls() {
        return tls;
    }

    /** The configured nodes: the server, the cluster seeds, or the Sentinels. */
    public List<RedisEndpoint> getNodes() {
        return nodes;
    }

    /** The first configured node's host. */
    public String getHost() {
        return nodes.get(0).host();
    }

    /** The first configured node's port. */
    public int getPort() {
        return nodes.get(0).port();
    }

    @Nullable
    public String getSentinelMasterId() {
        return sentinelMasterId;
    }

    public ClusterMode getClusterMode() {
        return clusterMode;
    }

    /** Which node of each shard a scan reads (option {@code read-from}). */
    public ReadFrom getReadFrom() {
        return readFrom;
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

    public RedisTlsOptions getTlsOptions() {
        return tlsOptions;
    }

    /** How often a cluster client refreshes its view of the topology. */
    public Duration getTopologyRefreshPeriod() {
        return topologyRefreshPeriod;
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
                && nodes.equals(that.nodes)
                && Objects.equals(sentinelMasterId, that.sentinelMasterId)
                && clusterMode == that.clusterMode
                && readFrom == that.readFrom
                && database == that.database
                && Objects.equals(username, that.username)
                && Objects.equals(password, that.password)
                && Objects.equals(sentinelPassword, that.sentinelPassword)
                && connectTimeout.equals(that.connectTimeout)
                && commandTimeout.equals(that.commandTimeout)
                && Objects.equals(clientName, that.clientName)
                && tlsOptions.equals(that.tlsOptions)
                && topologyRefreshPeriod.equals(that.topologyRefreshPeriod)
                && protocolVersion == that.protocolVersion;
    }

    @Override
    public int hashCode() {
        return Objects.hash(tls, nodes, sentinelMasterId, database, username, commandTimeout);
    }

    @Override
    public String toString() {
        return endpoint()
                + (username != null ? " user=" + username : "")
                + (password != null ? " password=***" : "")
                + (tls ? " " + tlsOptions : "");
    }

    /** Builder of {@link RedisConnectionConfig}. */
    @PublicEvolving
    public static final class Builder {
        private boolean tls;
        private final List<RedisEndpoint> nodes =
                new ArrayList<>(List.of(new RedisEndpoint("localhost", 6379)));
        private String sentinelMasterId;
        private ClusterMode clusterMode = ClusterMode.AUTO;
        private ReadFrom readFrom = ReadFrom.PRIMARY;
        private int database;
        private String username;
        private String password;
        private String sentinelPassword;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration commandTimeout = Duration.ofSeconds(60);
        private String clientName = "flink-connector-redis";
        private RedisTlsOptions tlsOptions = RedisTlsOptions.defaults();
        private Duration topologyRefreshPeriod = Duration.ofSeconds(30);

        private Builder() {}

        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /** One node: a standalone server (replaces the nodes). */
        public Builder node(String host, int port) {
            nodes.clear();
            nodes.add(new RedisEndpoint(host, port));
            return this;
        }

        /** Several nodes: cluster seeds, or Sentinels with {@link #sentinelMasterId}. */
        public Builder nodes(List<RedisEndpoint> endpoints) {
            nodes.clear();
            nodes.addAll(endpoints);
            return this;
        }

        /** The name of the Sentinel-managed primary; the nodes are then Sentinels. */
        public Builder sentinelMasterId(@Nullable String masterId) {
            this.sentinelMasterId = masterId;
            return this;
        }

        public Builder clusterMode(ClusterMode clusterMode) {
            this.clusterMode = Objects.requireNonNull(clusterMode);
            return this;
        }

        /** Which node of each shard a scan reads; {@link ReadFrom#PRIMARY} by default. */
        public Builder readFrom(ReadFrom readFrom) {
            this.readFrom = Objects.requireNonNull(readFrom);
            return this;
        }

        /** Database number (SELECT), 0 by default; a cluster has only database 0. */
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

        /** Password of the Sentinels themselves, if they require one. */
        public Builder sentinelPassword(@Nullable String sentinelPassword) {
            this.sentinelPassword = sentinelPassword;
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

        public Builder tlsOptions(RedisTlsOptions tlsOptions) {
            this.tlsOptions = Objects.requireNonNull(tlsOptions);
            return this;
        }

        public Builder topologyRefreshPeriod(Duration period) {
            this.topologyRefreshPeriod = Objects.requireNonNull(period);
            return this;
        }

        /**
         * @throws IllegalArgumentException for contradicting settings
         */
        public RedisConnectionConfig build() {
            return new RedisConnectionConfig(this);
        }
    }
}
