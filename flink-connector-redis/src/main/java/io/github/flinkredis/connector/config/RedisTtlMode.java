package io.github.flinkredis.connector.config;

import static org.apache.flink.configuration.description.TextElement.text;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;

/**
 * When a sink sets a key's time to live ({@code sink.ttl}, or a row's {@code ttl} metadata column):
 * the value of {@code sink.ttl.mode}.
 */
@PublicEvolving
public enum RedisTtlMode implements DescribedEnum {
    /** Every write sets the key's TTL again: a key lives the TTL after its last write. */
    ON_WRITE(
            "Every write sets the key's time to live again (PEXPIRE, SET ... PX): a key expires"
                    + " the TTL after its last write."),
    /**
     * The TTL is set only on a key that has none (the write created it, or it existed without one):
     * {@code PEXPIRE key ttl NX} (Redis 7.0+); a key with a TTL keeps it.
     */
    ON_CREATE(
            "The time to live is set only on a key that has none, e.g. the key the write created"
                    + " (PEXPIRE ... NX, Redis 7.0+): a key expires the TTL after its first write;"
                    + " later writes keep its TTL."),
    /** The sink sets no TTL, and its writes keep a key's existing one. */
    KEEP(
            "The sink sets no time to live, and its writes keep the one a key has (SET ..."
                    + " KEEPTTL; 'replace' and 'skip-existing' scripts restore it).");

    private final String description;

    RedisTtlMode(String description) {
        this.description = description;
    }

    /** The option value: {@code on-write}, {@code on-create} or {@code keep}. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    @Override
    public InlineElement getDescription() {
        return text(description);
    }
}
