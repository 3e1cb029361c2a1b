package io.github.flinkredis.connector.client;

import io.github.flinkredis.connector.config.RedisEndpoint;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;

/**
 * A node's reply to {@code ROLE}: {@code master} with its replicas, {@code slave} with its primary
 * and the state of its replication link, or {@code sentinel}.
 *
 * <p>Reply shapes: {@code ["master", offset, [[ip, port, offset], ...]]} and {@code ["slave", ip,
 * port, state, offset]}, where state is {@code connect}, {@code connecting}, {@code sync} or {@code
 * connected}. Strings may come as {@code byte[]} (binary codec) or {@code String}.
 */
@Internal
public final class RedisRole {

    /** The role name of a primary in the ROLE reply. */
    public static final String PRIMARY = "master";

    /** The role name of a replica in the ROLE reply. */
    public static final String REPLICA = "slave";

    private final String name;
    private final List<RedisEndpoint> replicas;
    @Nullable private final RedisEndpoint upstream;
    @Nullable private final String linkState;

    private RedisRole(
            String name,
            List<RedisEndpoint> replicas,
            @Nullable RedisEndpoint upstream,
            @Nullable String linkState) {
        this.name = name;
        this.replicas = replicas;
        this.upstream = upstream;
        this.linkState = linkState;
    }

    /**
     * Parses a ROLE reply.
     *
     * @throws IllegalArgumentException for a reply of another shape
     */
    public static RedisRole parse(List<?> reply) {
        if (reply == null || reply.isEmpty()) {
            throw new IllegalArgumentException("Empty ROLE reply");
        }
        String name = RedisReplies.text(reply.get(0));
        try {
            if (PRIMARY.equals(name)) {
                List<RedisEndpoint> replicas = new ArrayList<>();
                if (reply.size() > 2 && reply.get(2) instanceof List) {
                    for (Object r : (List<?>) reply.get(2)) {
                        List<?> replica = (List<?>) r;
                        replicas.add(
                                new RedisEndpoint(
                                        RedisReplies.text(replica.get(0)),
                                        Integer.parseInt(RedisReplies.text(replica.get(1)))));
                    }
                }
                return new RedisRole(name, replicas, null, null);
            }
            if (REPLICA.equals(name)) {
                RedisEndpoint upstream =
                        new RedisEndpoint(
                                RedisReplies.text(reply.get(1)),
                                Integer.parseInt(RedisReplies.text(reply.get(2))));
                return new RedisRole(name, List.of(), upstream, RedisReplies.text(reply.get(3)));
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Unexpected ROLE reply: " + describe(reply), e);
        }
        return new RedisRole(name, List.of(), null, null);
    }

    private static String describe(List<?> reply) {
        List<String> parts = new ArrayList<>();
        for (Object o : reply) {
            parts.add(o instanceof List ? describe((List<?>) o) : RedisReplies.text(o));
        }
        return parts.toString();
    }

    /** {@code master}, {@code slave} or {@code sentinel}. */
    public String name() {
        return name;
    }

    public boolean isPrimary() {
        return PRIMARY.equals(name);
    }

    public boolean isReplica() {
        return REPLICA.equals(name);
    }

    /** The replicas a primary lists (as the primary sees their addresses); empty otherwise. */
    public List<RedisEndpoint> replicas() {
        return replicas;
    }

    /** The primary a replica replicates from; null for other roles. */
    @Nullable
    public RedisEndpoint upstream() {
        return upstream;
    }

    /** Whether this is a replica whose replication link is up ({@code connected}). */
    public boolean isLinkUp() {
        return "connected".equals(linkState);
    }

    /** The replication link state of a replica; null for other roles. */
    @Nullable
    public String linkState() {
        return linkState;
    }

    @Override
    public String toString() {
        return isReplica() ? name + " of " + upstream + " (" + linkState + ")" : name;
    }
}
