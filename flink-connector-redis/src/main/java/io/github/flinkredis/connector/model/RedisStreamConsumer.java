package io.github.flinkredis.connector.model;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.flink.annotation.PublicEvolving;

/**
 * A consumer group and the consumer name a {@link RedisStreamSource} reads as ({@code XREADGROUP
 * GROUP <group> <consumer>}). Consumer groups are per stream, and each stream is read by one reader
 * of the source, so all readers of one source share the consumer name; two sources (or jobs, or
 * other applications) that share a group need different consumer names, and Redis then delivers
 * each entry to one of them.
 *
 * <p>With a {@linkplain #withClaimMinIdle claim threshold}, the source also takes over the entries
 * other consumers of the group were delivered and have left unacknowledged for at least that long
 * (a consumer that died): it finds them with {@code XPENDING key group IDLE ms - + n}, claims them
 * with {@code XCLAIM key group <consumer>-claimed ms id...} and emits them. Claimed entries belong
 * to the consumer {@link #claimConsumer()} until the checkpoint holding them completes and they are
 * acknowledged, so that after a restore the source tells the claimed entries it emitted (kept in
 * its checkpoint) from those it must emit again. The threshold must exceed the time a healthy
 * consumer keeps entries unacknowledged (for a Flink job, its checkpoint interval plus the time a
 * checkpoint takes), or live consumers lose entries to each other and emit them twice.
 */
@PublicEvolving
public final class RedisStreamConsumer implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String group;
    private final String consumer;
    @Nullable private final Duration claimMinIdle;

    /** Reads as {@code consumer} of {@code group}, claiming no entries of other consumers. */
    public RedisStreamConsumer(String group, String consumer) {
        this(group, consumer, null);
    }

    private RedisStreamConsumer(String group, String consumer, @Nullable Duration claimMinIdle) {
        this.group = Objects.requireNonNull(group);
        this.consumer = Objects.requireNonNull(consumer);
        if (claimMinIdle != null && claimMinIdle.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "The claim threshold must be at least 1 ms, not " + claimMinIdle);
        }
        this.claimMinIdle = claimMinIdle;
    }

    /**
     * This consumer, also claiming the entries other consumers of the group have left pending
     * (delivered, not acknowledged) for at least {@code minIdle}.
     *
     * @throws IllegalArgumentException if {@code minIdle} is below 1 ms
     */
    public RedisStreamConsumer withClaimMinIdle(Duration minIdle) {
        return new RedisStreamConsumer(group, consumer, Objects.requireNonNull(minIdle));
    }

    /** The idle time after which entries of other consumers are claimed, or null: none are. */
    @Nullable
    public Duration claimMinIdle() {
        return claimMinIdle;
    }

    /**
     * The consumer that owns claimed entries until they are acknowledged: {@code
     * <consumer>-claimed}.
     */
    public String claimConsumer() {
        return consumer + "-claimed";
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
                && consumer.equals(((RedisStreamConsumer) o).consumer)
                && Objects.equals(claimMinIdle, ((RedisStreamConsumer) o).claimMinIdle);
    }

    @Override
    public int hashCode() {
        return Objects.hash(group, consumer, claimMinIdle);
    }

    @Override
    public String toString() {
        return group
                + "/"
                + consumer
                + (claimMinIdle == null ? "" : " claiming after " + claimMinIdle);
    }
}
