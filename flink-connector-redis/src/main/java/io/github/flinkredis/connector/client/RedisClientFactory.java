package io.github.flinkredis.connector.client;

import io.github.flinkredis.connector.config.ClusterMode;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisConnectorOptions;
import io.github.flinkredis.connector.config.RedisEndpoint;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.lettuce.core.sentinel.api.sync.RedisSentinelCommands;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.util.ExceptionUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens Lettuce connections for a {@link RedisConnectionConfig} on the {@link
 * SharedClientResources}: to a standalone server, to the primary a Sentinel names, to one cluster
 * node, or to a whole cluster; lists the shards of a deployment; and turns connection failures into
 * {@link RedisConnectionException}s that say what went wrong.
 */
@Internal
public final class RedisClientFactory {

    private static final Logger LOG = LoggerFactory.getLogger(RedisClientFactory.class);

    /** Lettuce's message for a channel that closed during the connection handshake. */
    private static final String CLOSED_DURING_HANDSHAKE = "Connection closed prematurely";

    /** Lettuce's message for a command on a connection that closed, e.g. during the handshake. */
    private static final String NOT_CONNECTED = "Currently not connected";

    /**
     * Lettuce's message for a channel that connected but closed before its handshake handler ran
     * (its pipeline already torn down).
     */
    private static final String CLOSED_BEFORE_HANDSHAKE = "RedisHandshakeHandler not registered";

    /** Lettuce's messages for a command whose connection closed before its reply. */
    private static final List<String> CLOSED =
            List.of("Connection closed", "Connection disconnected");

    /** Lettuce's messages for a channel that closed while a connection was being made. */
    private static final String[] CLOSED_WHILE_CONNECTING =
            java.util.stream.Stream.concat(
                            CLOSED.stream(),
                            java.util.stream.Stream.of(
                                    CLOSED_DURING_HANDSHAKE,
                                    NOT_CONNECTED,
                                    CLOSED_BEFORE_HANDSHAKE))
                    .toArray(String[]::new);

    /** Attempts to connect when the channel closed during the handshake (see above). */
    private static final int CONNECT_ATTEMPTS = 3;

    private RedisClientFactory() {}

    private static ClientOptions.Builder clientOptions(
            ClientOptions.Builder b, RedisConnectionConfig config) {
        b.socketOptions(SocketOptions.builder().connectTimeout(config.getConnectTimeout()).build())
                .timeoutOptions(TimeoutOptions.enabled(config.getCommandTimeout()))
                // a command sent while the connection is down fails at once instead of waiting
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
        if (config.getProtocolVersion() != null) {
            b.protocolVersion(config.getProtocolVersion());
        }
        if (config.isTls()) {
            // the TLS handshake is part of connecting: bounded by the connect timeout (Lettuce's
            // own default is 10 s whatever the connect timeout)
            b.sslOptions(
                    config.getTlsOptions()
                            .toSslOptions()
                            .mutate()
                            .handshakeTimeout(config.getConnectTimeout())
                            .build());
        }
        return b;
    }

    /**
     * Connects to the standalone server, or to the primary the Sentinels name, with a binary-safe
     * codec (keys and values as {@code byte[]}).
     *
     * @throws RedisConnectionException if the node cannot be reached or refuses the credentials
     */
    public static RedisNodeConnection connect(RedisConnectionConfig config) {
        return connect(config, config.toRedisURI(), null);
    }

    /** Connects to one node (e.g. a cluster node) with the configuration's credentials and TLS. */
    public static RedisNodeConnection connectNode(
            RedisConnectionConfig config, RedisEndpoint node) {
        return connect(config, config.toRedisURI(node), node);
    }

    /**
     * @param node the one node connected to, for messages; null for the configured endpoint
     */
    private static RedisNodeConnection connect(
            RedisConnectionConfig config, RedisURI uri, @Nullable RedisEndpoint node) {
        RedisClient client = RedisClient.create(SharedClientResources.acquire(), uri);
        try {
            // no silent reconnect: a connection that drops may come back to another node (a
            // Sentinel failover) or to a restarted server, where a SCAN cursor means nothing;
            // the reader notices the failure and decides where to go on
            client.setOptions(
                    clientOptions(ClientOptions.builder(), config).autoReconnect(false).build());
            StatefulRedisConnection<byte[], byte[]> connection = null;
            for (int attempt = 1; connection == null; attempt++) {
                try {
                    connection = client.connect(ByteArrayCodec.INSTANCE);
                } catch (RuntimeException e) {
                    if (attempt == CONNECT_ATTEMPTS || !closedWhileConnecting(e)) {
                        throw e;
                    }
                    // the channel closed before the handshake's reply was read (seen with a
                    // wrong password, and through a Sentinel just started or refusing a
                    // password-less client, on a loaded machine): another attempt reports what
                    // the server actually says
                    LOG.debug("Connecting to {} again after: {}", uri.getHost(), rootMessage(e));
                }
            }
            return new RedisNodeConnection(client, connection, config);
        } catch (RuntimeException e) {
            client.shutdown();
            SharedClientResources.release();
            throw translate(config, node, e);
        }
    }

    /**
     * Connects to a Redis Cluster through the configured seed nodes, with periodic and adaptive
     * topology refresh so that failovers and resharding are followed.
     */
    public static RedisClusterAccess connectCluster(RedisConnectionConfig config) {
        RedisClusterClient client =
                RedisClusterClient.create(SharedClientResources.acquire(), config.toRedisURIs());
        try {
            ClusterClientOptions.Builder options = ClusterClientOptions.builder();
            clientOptions(options, config);
            // node connections open on first use, asynchronously: commands routed to a node
            // wait for its connection (within the command timeout) instead of being rejected
            options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS);
            options.topologyRefreshOptions(
                    ClusterTopologyRefreshOptions.builder()
                            .enablePeriodicRefresh(config.getTopologyRefreshPeriod())
                            .enableAllAdaptiveRefreshTriggers()
                            .build());
            client.setOptions(options.build());
            StatefulRedisClusterConnection<byte[], byte[]> connection =
                    client.connect(ByteArrayCodec.INSTANCE);
            return new RedisClusterAccess(client, connection);
        } catch (RuntimeException e) {
            client.shutdown();
            SharedClientResources.release();
            throw translate(config, e);
        }
    }

    /**
     * Whether the deployment is a cluster: by configuration, or, for {@link ClusterMode#AUTO} with
     * one node, by asking the node ({@code INFO cluster}).
     */
    public static boolean isCluster(RedisConnectionConfig config) {
        if (config.isSentinel() || config.getClusterMode() == ClusterMode.DISABLED) {
            return false;
        }
        if (config.isClusterByConfiguration()) {
            return true;
        }
        for (int attempt = 1; ; attempt++) {
            try (RedisNodeConnection node = connect(config)) {
                String info = node.sync().info("cluster");
                return info.contains("cluster_enabled:1");
            } catch (RedisException e) {
                // a connection that broke right after it opened (seen on a loaded machine, as
                // during the handshake, see connect): another one answers, or says what fails
                String message = String.valueOf(e.getMessage());
                if (attempt == CONNECT_ATTEMPTS
                        || !(message.contains(NOT_CONNECTED)
                                || CLOSED.stream().anyMatch(message::contains))) {
                    throw e;
                }
                LOG.debug("Asking {} again after: {}", config.endpoint(), e.getMessage());
            }
        }
    }

    /**
     * The shards of the deployment now: one per cluster primary (by first slot), or the single node
     * of a standalone or Sentinel-managed deployment.
     */
    public static List<RedisShard> discoverShards(RedisConnectionConfig config) {
        if (!isCluster(config)) {
            return List.of(new RedisShard(RedisShard.NO_SLOT, standalonePrimary(config)));
        }
        try (RedisClusterAccess cluster = connectCluster(config)) {
            return cluster.shards();
        }
    }

    /**
     * The node of a deployment that is not a cluster: the primary the Sentinels name now ({@link
     * #sentinelPrimary}), or the configured server.
     */
    public static RedisEndpoint standalonePrimary(RedisConnectionConfig config) {
        return config.isSentinel() ? sentinelPrimary(config) : config.getNodes().get(0);
    }

    /** The primary the Sentinels name now (SENTINEL GET-MASTER-ADDR-BY-NAME). */
    public static RedisEndpoint sentinelPrimary(RedisConnectionConfig config) {
        return askSentinels(
                config,
                (sentinel, name) -> {
                    SocketAddress address = sentinel.getMasterAddrByName(name);
                    if (!(address instanceof InetSocketAddress)) {
                        throw new IllegalStateException(
                                "Sentinel knows no primary named '" + name + "'");
                    }
                    InetSocketAddress inet = (InetSocketAddress) address;
                    return new RedisEndpoint(inet.getHostString(), inet.getPort());
                });
    }

    /**
     * Asks the configured Sentinels in turn until one answers; {@code question} gets a Sentinel's
     * commands and the primary's name.
     *
     * @throws RedisConnectionException with the last Sentinel's failure if none answers
     */
    private static <T> T askSentinels(
            RedisConnectionConfig config,
            BiFunction<RedisSentinelCommands<String, String>, String, T> question) {
        RedisURI uri = config.toRedisURI();
        RedisClient client = RedisClient.create(SharedClientResources.acquire());
        try {
            client.setOptions(clientOptions(ClientOptions.builder(), config).build());
            RuntimeException last = null;
            for (RedisURI sentinel : uri.getSentinels()) {
                try (StatefulRedisSentinelConnection<String, String> c =
                        client.connectSentinel(StringCodec.UTF8, sentinel)) {
                    return question.apply(c.sync(), uri.getSentinelMasterId());
                } catch (RuntimeException e) {
                    last = e;
                }
            }
            throw translate(config, last);
        } finally {
            client.shutdown();
            SharedClientResources.release();
        }
    }

    /**
     * The replicas of the standalone primary ({@code ROLE}) or of the Sentinel-managed primary
     * ({@code SENTINEL REPLICAS}) whose replication link is up, sorted by address. A configured
     * node that is itself a replica has no replicas.
     *
     * @throws RedisConnectionException if no node could be asked
     */
    public static List<RedisEndpoint> replicas(RedisConnectionConfig config) {
        List<RedisEndpoint> replicas = new ArrayList<>();
        if (config.isSentinel()) {
            replicas.addAll(sentinelReplicas(config));
        } else {
            try (RedisNodeConnection node = connect(config)) {
                RedisRole role = RedisRole.parse(node.sync().role());
                for (RedisEndpoint replica : role.replicas()) {
                    if (isUpReplica(config, replica)) {
                        replicas.add(replica);
                    }
                }
            }
        }
        replicas.sort(Comparator.comparing(RedisEndpoint::toString));
        return replicas;
    }

    /** Whether {@code node} answers ROLE as a replica with its link up. */
    private static boolean isUpReplica(RedisConnectionConfig config, RedisEndpoint node) {
        try (RedisNodeConnection c = connectNode(config, node)) {
            RedisRole role = RedisRole.parse(c.sync().role());
            return role.isReplica() && role.isLinkUp();
        } catch (RuntimeException e) {
            LOG.warn("Not reading from replica {}: {}", node, rootMessage(e));
            return false;
        }
    }

    private static List<RedisEndpoint> sentinelReplicas(RedisConnectionConfig config) {
        return askSentinels(
                config,
                (sentinel, name) -> {
                    List<RedisEndpoint> replicas = new ArrayList<>();
                    for (Map<String, String> r : sentinel.replicas(name)) {
                        String flags = r.getOrDefault("flags", "");
                        if (!flags.contains("s_down")
                                && !flags.contains("o_down")
                                && !flags.contains("disconnected")
                                && "ok".equals(r.get("master-link-status"))) {
                            replicas.add(
                                    new RedisEndpoint(
                                            r.get("ip"), Integer.parseInt(r.get("port"))));
                        }
                    }
                    return replicas;
                });
    }

    /** The shards of a cluster from its partitions: each primary and its first slot. */
    static List<RedisShard> shards(Partitions partitions) {
        List<RedisShard> shards = new ArrayList<>();
        for (RedisClusterNode node : partitions) {
            if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty()) {
                int first = node.getSlots().stream().min(Integer::compare).orElseThrow();
                shards.add(new RedisShard(first, RedisClusterAccess.endpointOf(node)));
            }
        }
        shards.sort(Comparator.comparingInt(RedisShard::firstSlot));
        return shards;
    }

    /** Turns a Lettuce connect failure into a message naming the endpoint and the options. */
    static RedisConnectionException translate(RedisConnectionConfig config, Throwable e) {
        return translate(config, null, e);
    }

    /**
     * As {@link #translate(RedisConnectionConfig, Throwable)}, for a connection to one {@code node}
     * of the deployment (a cluster node, a replica), which the message names.
     */
    static RedisConnectionException translate(
            RedisConnectionConfig config, @Nullable RedisEndpoint node, Throwable e) {
        String endpoint =
                node == null ? config.endpoint() : node + " (of " + config.endpoint() + ")";
        String detail = rootMessage(e);
        String lower = detail.toLowerCase(Locale.ROOT);
        String what = credentialsProblem(config, endpoint, lower);
        if (what == null) {
            what = transportProblem(config, endpoint, lower);
        }
        LOG.warn("{}: {}", what, detail, e);
        return new RedisConnectionException(what + ": " + detail);
    }

    /**
     * The message of a failure of the credentials or rights (AUTH, an ACL's NOPERM, SELECT of a
     * database the server does not have), or null for another failure.
     *
     * @param lower the root message, lower case
     */
    @Nullable
    private static String credentialsProblem(
            RedisConnectionConfig config, String endpoint, String lower) {
        if (lower.contains("wrongpass")
                || lower.contains("noauth")
                || lower.contains("invalid password")
                || lower.contains("invalid username-password")) {
            return String.format(
                    "Authentication to Redis at %s failed for user '%s' (check the"
                            + " options 'username' and 'password', or the URL's user"
                            + " info%s)",
                    endpoint,
                    config.getUsername() == null ? "default" : config.getUsername(),
                    config.isSentinel()
                            ? "; the Sentinels' own password is the option" + " 'sentinel.password'"
                            : "");
        } else if (lower.contains("noperm") || lower.contains("no permissions")) {
            return String.format(
                    "The ACL user '%s' may not run a command the connector needs at %s"
                            + " (grant it the commands and keys listed in the"
                            + " deployment guide)",
                    config.getUsername() == null ? "default" : config.getUsername(), endpoint);
        } else if (lower.contains("db index is out of range")
                || lower.contains("invalid db index")) {
            return String.format(
                    "Redis at %s has no database %d (check the option 'database' or the"
                            + " URL's path)",
                    endpoint, config.getDatabase());
        }
        return null;
    }

    /**
     * The message of a failure to connect: TLS (the client key, the handshake), a server that does
     * not answer, or none reached.
     *
     * @param lower the root message, lower case
     */
    private static String transportProblem(
            RedisConnectionConfig config, String endpoint, String lower) {
        if (lower.contains("private key")) {
            return String.format(
                    "TLS connection to Redis at %s failed: the client key could not be"
                            + " read (check the options 'tls.key-file' and"
                            + " 'tls.key.password', or 'tls.keystore' and"
                            + " 'tls.keystore.password')",
                    endpoint);
        } else if (config.isTls() && lower.contains("handshake timed out")) {
            return String.format(
                    "TLS connection to Redis at %s failed: the TLS handshake did not"
                            + " complete within the connect timeout of %d ms (option"
                            + " '%s'; does the server serve TLS at that port? rediss://"
                            + " needs a TLS port)",
                    endpoint,
                    config.getConnectTimeout().toMillis(),
                    RedisConnectorOptions.CONNECT_TIMEOUT.key());
        } else if (lower.contains("connection initialization timed out")) {
            // the connection opened, but the server did not answer its handshake (HELLO, AUTH,
            // SELECT, CLIENT SETNAME), which Lettuce waits for as long as a command
            return String.format(
                    "Redis at %s accepted the connection but did not answer within the"
                            + " command timeout of %d ms (option '%s'; is it a Redis"
                            + " server, and is it responsive?)",
                    endpoint,
                    config.getCommandTimeout().toMillis(),
                    RedisConnectorOptions.COMMAND_TIMEOUT.key());
        } else if (lower.contains("ssl")
                || lower.contains("tls")
                || (config.isTls() && lower.contains("handshake"))
                || lower.contains("pkix")
                || lower.contains("certificat")) {
            return String.format(
                    "TLS connection to Redis at %s failed (check rediss:// and the"
                            + " 'tls.*' options)",
                    endpoint);
        } else {
            return String.format(
                    "Cannot connect to Redis at %s (check the option 'url'; connect"
                            + " timeout %d ms, option '%s')",
                    endpoint,
                    config.getConnectTimeout().toMillis(),
                    RedisConnectorOptions.CONNECT_TIMEOUT.key());
        }
    }

    /**
     * Whether {@code e} says that the channel closed while the connection was being made: during
     * the handshake, or, through a Sentinel, on the Sentinel's connection before its {@code
     * SENTINEL} command was answered (Lettuce reports that one as a timeout, "Cannot obtain master
     * using SENTINEL MASTER", and the real error as suppressed by it). Causes and suppressed
     * exceptions are searched.
     */
    static boolean closedWhileConnecting(Throwable e) {
        return mentions(e, 0, CLOSED_WHILE_CONNECTING);
    }

    private static boolean mentions(Throwable t, int depth, String... texts) {
        if (t == null || depth > 8) {
            return false;
        }
        String message = String.valueOf(t.getMessage());
        for (String text : texts) {
            if (message.contains(text)) {
                return true;
            }
        }
        for (Throwable suppressed : t.getSuppressed()) {
            if (mentions(suppressed, depth + 1, texts)) {
                return true;
            }
        }
        return t.getCause() != t && mentions(t.getCause(), depth + 1, texts);
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
        String message = sb.length() == 0 ? ExceptionUtils.stringifyException(e) : sb.toString();
        // Lettuce shows addresses as host/<unresolved>:port
        return message.replace("/<unresolved>", "");
    }
}
