package io.github.flinkredis.testutils;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Sentinel-managed deployment on loopback: a primary, one replica and three Sentinels (quorum 2)
 * that monitor the primary under {@link #NAME}, all started from the {@code redis-server} binary.
 */
public final class RedisSentinels implements AutoCloseable {

    /** The name under which the Sentinels know the primary. */
    public static final String NAME = "mymaster";

    private final List<RedisServer> dataNodes = new ArrayList<>();
    private final List<RedisServer> sentinels = new ArrayList<>();

    private RedisSentinels() {}

    /**
     * Starts the deployment; returns once the replica is in sync and every Sentinel knows the
     * replica.
     */
    public static RedisSentinels start() throws IOException {
        RedisSentinels s = new RedisSentinels();
        try {
            RedisServer primary = RedisServer.startLocal(List.of());
            s.dataNodes.add(primary);
            RedisServer replica =
                    RedisServer.startLocal(
                            List.of(
                                    "--replicaof",
                                    primary.host(),
                                    Integer.toString(primary.port())));
            s.dataNodes.add(replica);
            RedisCluster.await(
                    "replica in sync",
                    () -> {
                        try {
                            return replica.command("INFO", "replication")
                                    .contains("master_link_status:up");
                        } catch (IOException e) {
                            return false;
                        }
                    });
            for (int i = 0; i < 3; i++) {
                s.sentinels.add(RedisServer.startSentinel(primary, NAME, 2));
            }
            RedisCluster.await(
                    "every Sentinel sees the replica, connected and in sync",
                    () -> s.sentinelsSeeHealthyReplica(replica));
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /**
     * Whether every Sentinel lists {@code replica} as a replica it is connected to (flags exactly
     * {@code slave}) whose link to the primary is up: only such a replica can be promoted (else
     * SENTINEL FAILOVER answers NOGOODSLAVE).
     */
    private boolean sentinelsSeeHealthyReplica(RedisServer replica) {
        for (RedisServer sentinel : sentinels) {
            try {
                // the reply, flattened: name, <name>, ip, <ip>, port, <port>, ..., per replica
                String[] lines = sentinel.command("SENTINEL", "REPLICAS", NAME).split("\n");
                boolean healthy = false;
                Map<String, String> entry = new HashMap<>();
                for (int i = 0; i + 1 < lines.length; i += 2) {
                    if (lines[i].equals("name")) {
                        entry = new HashMap<>();
                    }
                    entry.put(lines[i], lines[i + 1]);
                    healthy |=
                            Integer.toString(replica.port()).equals(entry.get("port"))
                                    && "slave".equals(entry.get("flags"))
                                    && "ok".equals(entry.get("master-link-status"));
                }
                if (!healthy) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    /** {@code redis-sentinel://127.0.0.1:p1,...:p3/0#mymaster}. */
    public String url() {
        StringBuilder sb = new StringBuilder("redis-sentinel://");
        for (int i = 0; i < sentinels.size(); i++) {
            sb.append(i > 0 ? "," : "")
                    .append(sentinels.get(i).host())
                    .append(':')
                    .append(sentinels.get(i).port());
        }
        return sb.append("/0#").append(NAME).toString();
    }

    /** The data node the Sentinels name as primary now. */
    public RedisServer currentPrimary() throws IOException {
        String address = sentinels.get(0).command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", NAME);
        int port = Integer.parseInt(address.split("\n")[1]);
        for (RedisServer node : dataNodes) {
            if (node.port() == port) {
                return node;
            }
        }
        throw new IOException("Sentinel names an unknown primary: " + address);
    }

    /** The primary first started, then the replica. */
    public List<RedisServer> dataNodes() {
        return List.copyOf(dataNodes);
    }

    /**
     * Forces a failover (SENTINEL FAILOVER) and waits until every Sentinel names the former replica
     * and it has the primary role.
     */
    public void failover() throws IOException {
        RedisServer before = currentPrimary();
        RedisServer target = dataNodes.get(0) == before ? dataNodes.get(1) : dataNodes.get(0);
        RedisCluster.await(
                "every Sentinel sees " + target.port() + " as a replica in sync",
                () -> sentinelsSeeHealthyReplica(target));
        sentinels.get(0).command("SENTINEL", "FAILOVER", NAME);
        RedisCluster.await(
                "Sentinels name " + target.port(),
                () -> {
                    try {
                        for (RedisServer sentinel : sentinels) {
                            String a =
                                    sentinel.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", NAME);
                            if (!a.endsWith("\n" + target.port())) {
                                return false;
                            }
                        }
                        return target.command("ROLE").startsWith("master");
                    } catch (IOException e) {
                        return false;
                    }
                });
        RedisCluster.await(
                "former primary " + before.port() + " replicating",
                () -> {
                    try {
                        String info = before.command("INFO", "replication");
                        return info.contains("role:slave")
                                && info.contains("master_port:" + target.port())
                                && info.contains("master_link_status:up");
                    } catch (IOException e) {
                        return false;
                    }
                });
    }

    @Override
    public void close() {
        for (RedisServer s : sentinels) {
            s.close();
        }
        for (RedisServer s : dataNodes) {
            s.close();
        }
    }
}
