package io.github.flinkredis.connector.source.stream;

import java.io.Serializable;
import java.util.Objects;
import org.apache.flink.annotation.PublicEvolving;

/**
 * A consumer group and the consumer name a {@link RedisStreamSource} reads as ({@code XREADGROUP
 * GROUP <group> <consumer>}). Consumer groups are per stream, and each stream is read by one reader
 * of the source, so all readers of one source share the consumer name; two sources (or jobs, or
 * other applications) that share a group need different consumer names, and Redis then delivers
 * each entry to one of them.
 */
@PublicEvolving
public final class RedisStreamConsumer implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String group;
    private final String consumer;

    public RedisStreamConsumer(String group, String consumer) {
        this.group = Objects.requireNonNull(group);
        this.consumer = Objects.requireNonNull(consumer);
    }

    public String group() {
        return group;
    }

    public String consumer() {
        return consumer;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RedisStreamConsumer
                && group.equals(((RedisStreamConsumer) o).group)
                && consumer.equals(((RedisStreamConsumer) o).consumer);
    }

    @Override
    public int hashCode() {
        return Objects.hash(group, consumer);
    }

    @Override
    public String toString() {
        return group + "/" + consumer;
    }
}
