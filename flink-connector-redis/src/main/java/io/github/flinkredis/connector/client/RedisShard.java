package io.github.flinkredis.connector.client;

import io.github.flinkredis.connector.config.RedisEndpoint;
import java.util.Objects;
import org.apache.flink.annotation.Internal;

/**
 * A part of the keyspace served by one node: the single node of a standalone server or a
 * Sentinel-managed primary ({@code firstSlot == -1}), or the primary of a cluster shard, named by
 * the first hash slot it serves.
 */
@Internal
public final class RedisShard {

    /** {@link #firstSlot()} of a deployment without slots. */
    public static final int NO_SLOT = -1;

    private final int firstSlot;
    private final RedisEndpoint node;

    public RedisShard(int firstSlot, RedisEndpoint node) {
        this.firstSlot = firstSlot;
        this.node = Objects.requireNonNull(node);
    }

    /** The lowest hash slot the shard serves, or {@link #NO_SLOT}. */
    public int firstSlot() {
        return firstSlot;
    }

    /** The node serving the shard now. */
    public RedisEndpoint node() {
        return node;
    }

    public boolean isClusterShard() {
        return firstSlot != NO_SLOT;
    }

    @Override
    public String toString() {
        return (isClusterShard() ? "slot " + firstSlot + "+ at " : "") + node;
    }
}
