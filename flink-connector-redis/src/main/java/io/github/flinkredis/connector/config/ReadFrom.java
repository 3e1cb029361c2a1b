package io.github.flinkredis.connector.config;

import java.util.Locale;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Which node of a shard a scan reads: the value of the {@code read-from} option.
 *
 * <p>A scan reads all of a shard from one node, keys (SCAN) and values alike, so that it sees one
 * consistent data set. A replica is found through the deployment: the cluster topology (CLUSTER
 * NODES), the Sentinels (SENTINEL REPLICAS), or the ROLE of a standalone primary. Only replicas
 * whose link to their primary is up are chosen; among them, the one with the smallest address, so
 * that a restored scan finds the same node again.
 */
@PublicEvolving
public enum ReadFrom {
    /** The primary of each shard. */
    PRIMARY,
    /** A replica of each shard; a shard without a connected replica fails the job, naming it. */
    REPLICA,
    /** A replica of each shard where one is connected, else its primary. */
    REPLICA_PREFERRED;

    /** The option value: {@code primary}, {@code replica} or {@code replica-preferred}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
