package io.github.flinkredis.testutils;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Redis Cluster on loopback: {@code primaries} primaries with {@code replicasPerPrimary}
 * replicas each, every node a {@code redis-server} process (the same binary {@link RedisServer}
 * finds) on a free port, joined with CLUSTER MEET, ADDSLOTS and REPLICATE. The slots are split
 * evenly in ranges over the primaries.
 *
 * <p>Each node gets its own config epoch before it meets the others ({@code CLUSTER
 * SET-CONFIG-EPOCH}, as {@code redis-cli --cluster create} does). Nodes formed with the epoch 0
 * they start with settle their epochs by gossip afterwards (a colliding node takes a new one), and
 * a slot assigned by hand while that goes on can be taken back by a stale claim of its old owner
 * carrying a higher epoch: the new owner then answers MOVED to the old one and the old one MOVED
 * back, for good.
 */
public final class RedisCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisCluster.class);

    /** Number of hash slots of a Redis Cluster. */
    public static final int SLOTS = 16384;

    private static final long FORM_TIMEOUT_MILLIS = 60_000;

    private final List<RedisServer> primaries = new ArrayList<>();
    private final List<RedisServer> replicas = new ArrayList<>();

    private RedisCluster() {}

    /**
     * Starts and forms a cluster; returns once every node reports {@code cluster_state:ok} and all
     * nodes agree on every node, its role and its slots (none failing or unconnected).
     *
     * @throws IOException if a node does not start or the cluster does not form in time
     */
    public static RedisCluster start(int primaries, int replicasPerPrimary) throws IOException {
        return start(primaries, replicasPerPrimary, List.of());
    }

    /**
     * As {@link #start(int, int)}, with {@code extraArgs} for every node (e.g. {@code --loadmodule
     * path}).
     */
    public static RedisCluster start(int primaries, int replicasPerPrimary, List<String> extraArgs)
            throws IOException {
        Path binary = RedisServer.redisServerBinary();
        RedisCluster cluster = new RedisCluster();
        try {
            List<String> args =
                    new ArrayList<>(
                            List.of(
                                    "--cluster-enabled",
                                    "yes",
                                    "--cluster-config-file",
                                    "nodes.conf",
                                    "--cluster-node-timeout",
                                    "2000"));
            args.addAll(extraArgs);
            for (int i = 0; i < primaries; i++) {
                cluster.primaries.add(RedisServer.startBinary(binary, args));
            }
            for (int i = 0; i < primaries * replicasPerPrimary; i++) {
                cluster.replicas.add(RedisServer.startBinary(binary, args));
            }
            cluster.form(replicasPerPrimary);
            LOG.info("Started Redis Cluster {}", cluster.seedUrls());
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void form(int replicasPerPrimary) throws IOException {
        int epoch = 1;
        for (RedisServer node : nodes()) {
            node.command("CLUSTER", "SET-CONFIG-EPOCH", Integer.toString(epoch++));
        }
        RedisServer first = primaries.get(0);
        for (RedisServer node : nodes()) {
            if (node != first) {
                first.command("CLUSTER", "MEET", node.host(), Integer.toString(node.port()));
            }
        }
        int n = primaries.size();
        for (int i = 0; i < n; i++) {
            int from = SLOTS * i / n;
            int to = SLOTS * (i + 1) / n - 1;
            List<String> cmd = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
            for (int slot = from; slot <= to; slot++) {
                cmd.add(Integer.toString(slot));
            }
            primaries.get(i).command(cmd.toArray(new String[0]));
        }
        Set<String> ids = new HashSet<>();
        for (RedisServer node : nodes()) {
            ids.add(node.command("CLUSTER", "MYID"));
        }
        await("every node knows every other", () -> allNodesKnow(ids));
        for (int i = 0; i < replicas.size(); i++) {
            RedisServer primary = primaries.get(i / replicasPerPrimary);
            replicas.get(i).command("CLUSTER", "REPLICATE", primary.command("CLUSTER", "MYID"));
        }
        await("every node agrees on the whole cluster", this::isFormed);
    }

    /**
     * Whether every node knows every node of {@code ids} by its id, its handshake done (a node
     * still in handshake is listed under a made-up id: CLUSTER REPLICATE of its id would fail).
     */
    private boolean allNodesKnow(Set<String> ids) {
        for (RedisServer node : nodes()) {
            try {
                Set<String> known = new HashSet<>();
                for (String line : node.command("CLUSTER", "NODES").split("\n")) {
                    String[] parts = line.trim().split(" ");
                    if (parts.length > 2
                            && !parts[2].contains("handshake")
                            && !parts[2].contains("noaddr")) {
                        known.add(parts[0]);
                    }
                }
                if (!known.equals(ids)) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the cluster is whole: every node answers, reports {@code cluster_state:ok} with all
     * slots served, knows every node (none failing, in handshake or unconnected), sees every
     * replica attached, and every node has the same view of which node serves which slots, so a
     * client that reads the topology from any of them routes every key to its owner.
     */
    private boolean isFormed() {
        String agreed = null;
        for (RedisServer node : nodes()) {
            try {
                String info = node.command("CLUSTER", "INFO");
                if (!info.contains("cluster_state:ok")
                        || !info.contains("cluster_slots_ok:" + SLOTS)
                        || !info.contains("cluster_known_nodes:" + nodes().size())) {
                    return false;
                }
                String view = topologyView(node.command("CLUSTER", "NODES"));
                if (view == null || (agreed != null && !agreed.equals(view))) {
                    return false;
                }
                agreed = view;
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    /**
     * A node's CLUSTER NODES reply without what differs between nodes (which line is "myself", ping
     * times, epochs): each node's id, address, role, primary and slots, sorted; or null if the
     * reply lists a node that is failing, in handshake, without address or not connected, or a
     * wrong number of nodes or replicas.
     */
    private String topologyView(String nodesInfo) {
        List<String> lines = new ArrayList<>();
        long replicaCount = 0;
        for (String line : nodesInfo.split("\n")) {
            String[] parts = line.trim().split(" ");
            if (parts.length < 8) {
                continue;
            }
            String flags = parts[2];
            if (flags.contains("fail")
                    || flags.contains("handshake")
                    || flags.contains("noaddr")
                    || !"connected".equals(parts[7])) {
                return null;
            }
            boolean replica = flags.contains("slave");
            if (replica) {
                replicaCount++;
            }
            StringBuilder view =
                    new StringBuilder(parts[0])
                            .append(' ')
                            .append(parts[1])
                            .append(replica ? " replica of " + parts[3] : " primary");
            for (int i = 8; i < parts.length; i++) {
                view.append(' ').append(parts[i]);
            }
            lines.add(view.toString());
        }
        if (lines.size() != nodes().size() || replicaCount != replicas.size()) {
            return null;
        }
        lines.sort(null);
        return String.join("\n", lines);
    }

    /**
     * Polls {@code condition} every 50 ms until it holds, at most {@value #FORM_TIMEOUT_MILLIS} ms.
     *
     * @throws IOException naming {@code what} if it does not hold in time
     */
    public static void await(String what, BooleanSupplier condition) throws IOException {
        long deadline = System.currentTimeMillis() + FORM_TIMEOUT_MILLIS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IOException("Timed out waiting for: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted waiting for: " + what, e);
            }
        }
    }

    /** Every node: the primaries, then the replicas. */
    public List<RedisServer> nodes() {
        List<RedisServer> all = new ArrayList<>(primaries);
        all.addAll(replicas);
        return all;
    }

    /** The nodes that were started as primaries (a failover may have changed their role). */
    public List<RedisServer> primaries() {
        return List.copyOf(primaries);
    }

    public List<RedisServer> replicas() {
        return List.copyOf(replicas);
    }

    /** The nodes now serving slots, from CLUSTER NODES of a reachable node. */
    public List<RedisServer> currentPrimaries() throws IOException {
        String nodesInfo = anyReachable().command("CLUSTER", "NODES");
        List<RedisServer> result = new ArrayList<>();
        for (String line : nodesInfo.split("\n")) {
            String[] parts = line.split(" ");
            if (parts[2].contains("master") && !parts[2].contains("fail") && parts.length > 8) {
                int port = port(parts);
                nodes().stream().filter(s -> s.port() == port).findFirst().ifPresent(result::add);
            }
        }
        return result;
    }

    /** The node now serving {@code slot}, from CLUSTER NODES of a reachable node. */
    public RedisServer primaryOfSlot(int slot) throws IOException {
        String nodesInfo = anyReachable().command("CLUSTER", "NODES");
        for (String line : nodesInfo.split("\n")) {
            String[] parts = line.trim().split(" ");
            if (!parts[2].contains("master") || parts[2].contains("fail")) {
                continue;
            }
            if (servesSlot(parts, slot)) {
                int port = port(parts);
                for (RedisServer node : nodes()) {
                    if (node.port() == port) {
                        return node;
                    }
                }
            }
        }
        throw new IOException("no node serves slot " + slot);
    }

    /**
     * Ends the migration of {@code slot} to {@code target} (its keys already moved there with
     * MIGRATE): {@code CLUSTER SETSLOT slot NODE <target>} on the target first, which takes a new
     * config epoch for it, then on every other node; returns once every node names the target as
     * the slot's owner.
     *
     * @throws IOException if a node refuses, or the nodes do not agree in time
     */
    public void assignSlot(int slot, RedisServer target) throws IOException {
        String targetId = target.command("CLUSTER", "MYID").trim();
        List<RedisServer> order = new ArrayList<>();
        order.add(target);
        for (RedisServer node : nodes()) {
            if (node != target) {
                order.add(node);
            }
        }
        for (RedisServer node : order) {
            node.command("CLUSTER", "SETSLOT", Integer.toString(slot), "NODE", targetId);
        }
        await(
                "every node names " + target.port() + " as the owner of slot " + slot,
                () -> everyNodeNamesOwner(slot, target));
    }

    private boolean everyNodeNamesOwner(int slot, RedisServer target) {
        for (RedisServer node : nodes()) {
            try {
                int owners = 0;
                for (String line : node.command("CLUSTER", "NODES").split("\n")) {
                    String[] parts = line.trim().split(" ");
                    if (servesSlot(parts, slot)) {
                        if (port(parts) != target.port()) {
                            return false;
                        }
                        owners++;
                    }
                }
                if (owners != 1) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    /** The port of the node of a CLUSTER NODES line (split at spaces). */
    private static int port(String[] parts) {
        return Integer.parseInt(parts[1].substring(parts[1].indexOf(':') + 1).split("@")[0]);
    }

    /** Whether a CLUSTER NODES line (split at spaces) lists {@code slot} among its ranges. */
    private static boolean servesSlot(String[] parts, int slot) {
        for (int i = 8; i < parts.length; i++) {
            String[] range = parts[i].split("-");
            if (range[0].startsWith("[")) {
                continue; // a slot being migrated
            }
            int from = Integer.parseInt(range[0]);
            int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
            if (slot >= from && slot <= to) {
                return true;
            }
        }
        return false;
    }

    private RedisServer anyReachable() throws IOException {
        for (RedisServer node : nodes()) {
            try {
                node.command("PING");
                return node;
            } catch (IOException e) {
                // try the next
            }
        }
        throw new IOException("no cluster node answers");
    }

    /**
     * Promotes {@code replica} to primary of its shard with CLUSTER FAILOVER and waits until every
     * reachable node sees it as a primary.
     */
    public void failover(RedisServer replica) throws IOException {
        replica.command("CLUSTER", "FAILOVER");
        awaitPromoted(replica);
    }

    /**
     * Kills {@code primary} (SIGKILL) and waits until its replica {@code replica} was elected in
     * its place (after {@code cluster-node-timeout}, 2 s) and the reachable nodes agree. The killed
     * node stays down until {@link #rejoin}.
     */
    public void killPrimary(RedisServer primary, RedisServer replica) throws IOException {
        primary.kill();
        awaitPromoted(replica);
    }

    /** Waits until {@code replica} is a primary and every reachable node agrees. */
    private void awaitPromoted(RedisServer replica) throws IOException {
        await(
                "replica " + replica.port() + " promoted",
                () -> {
                    try {
                        return replica.command("ROLE").startsWith("master");
                    } catch (IOException e) {
                        return false;
                    }
                });
        await(
                "every node sees " + replica.port() + " as a primary",
                () -> allReachableNodesSeeAsPrimary(replica));
        await("no node sees a primary without slots", this::noPrimaryWithoutSlots);
        await("cluster_state:ok after failover", this::isOkOnReachableNodes);
    }

    /**
     * Starts a killed node again; it rejoins with its node id (from its {@code nodes.conf}) as a
     * replica of the primary elected in its place. Waits until the cluster is whole again.
     */
    public void rejoin(RedisServer node) throws IOException {
        node.restart();
        await("every node agrees on the whole cluster", this::isFormed);
    }

    private boolean allReachableNodesSeeAsPrimary(RedisServer server) {
        String address = server.host() + ":" + server.port() + "@";
        return everyReachableNodesView(
                nodesInfo ->
                        nodesInfo
                                .lines()
                                .anyMatch(l -> l.contains(" " + address) && l.contains("master")));
    }

    /**
     * Whether no reachable node lists a primary that serves no slot and is not failing: a former
     * primary is seen as a replica everywhere, so that clients send writes to the new one.
     */
    private boolean noPrimaryWithoutSlots() {
        return everyReachableNodesView(
                nodesInfo ->
                        nodesInfo
                                .lines()
                                .map(line -> line.trim().split(" "))
                                .noneMatch(
                                        parts ->
                                                parts.length == 8
                                                        && parts[2].contains("master")
                                                        && !parts[2].contains("fail")));
    }

    /** Whether {@code holds} accepts the CLUSTER NODES reply of every node that answers. */
    private boolean everyReachableNodesView(Predicate<String> holds) {
        for (RedisServer node : nodes()) {
            String nodesInfo;
            try {
                nodesInfo = node.command("CLUSTER", "NODES");
            } catch (IOException e) {
                continue; // a stopped node
            }
            if (!holds.test(nodesInfo)) {
                return false;
            }
        }
        return true;
    }

    private boolean isOkOnReachableNodes() {
        for (RedisServer node : nodes()) {
            try {
                if (!node.command("CLUSTER", "INFO").contains("cluster_state:ok")) {
                    return false;
                }
            } catch (IOException e) {
                // a stopped node
            }
        }
        return true;
    }

    /**
     * A replica of the shard whose primary is {@code primary}, if it has one: any node, since a
     * failover turns primaries into replicas.
     */
    public Optional<RedisServer> replicaOf(RedisServer primary) throws IOException {
        String id = primary.command("CLUSTER", "MYID");
        for (RedisServer replica : nodes()) {
            if (replica == primary) {
                continue;
            }
            String role = replica.command("CLUSTER", "NODES");
            for (String line : role.split("\n")) {
                if (line.contains("myself") && line.contains("slave " + id)) {
                    return Optional.of(replica);
                }
            }
        }
        return Optional.empty();
    }

    /** {@code redis://host:port} of every node, comma separated: the seeds for a client. */
    public String seedUrls() {
        StringBuilder sb = new StringBuilder("redis://");
        List<RedisServer> all = nodes();
        for (int i = 0; i < all.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(all.get(i).host()).append(':').append(all.get(i).port());
        }
        return sb.toString();
    }

    @Override
    public void close() {
        for (RedisServer node : nodes()) {
            node.close();
        }
    }
}
