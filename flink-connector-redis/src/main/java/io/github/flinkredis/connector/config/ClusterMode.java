package io.github.flinkredis.connector.config;

import java.util.Locale;
import org.apache.flink.annotation.PublicEvolving;

/** Whether the {@code url} names a Redis Cluster; the value of the {@code cluster-mode} option. */
@PublicEvolving
public enum ClusterMode {
    /**
     * A URL with several nodes is a cluster; with one node, the server is asked (INFO cluster) when
     * the job starts.
     */
    AUTO,
    /** The nodes are seeds of a Redis Cluster. */
    ENABLED,
    /** The node is a standalone server (or a cluster node used as one, for its own slots). */
    DISABLED;

    /** The option value: {@code auto}, {@code enabled} or {@code disabled}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
