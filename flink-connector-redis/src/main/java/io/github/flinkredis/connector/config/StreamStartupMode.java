package io.github.flinkredis.connector.config;

import static org.apache.flink.configuration.description.TextElement.text;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;

/**
 * Where an unbounded stream source starts reading each stream it finds when the job starts: the
 * value of {@code scan.startup.mode}. A job restored from a checkpoint or savepoint resumes after
 * the last entry it emitted instead; a stream discovered later, while the job runs, is read from
 * its first entry.
 */
@PublicEvolving
public enum StreamStartupMode implements DescribedEnum {
    /** The stream's first entry. */
    EARLIEST("From the first entry of each stream."),
    /** After the stream's last entry when the job starts: only entries added later. */
    LATEST("After the last entry each stream holds when the job starts: only newer entries."),
    /** The first entry whose ID time is at or after {@code scan.startup.timestamp-millis}. */
    TIMESTAMP(
            "From the first entry whose ID time (its milliseconds part) is at or after"
                    + " 'scan.startup.timestamp-millis'."),
    /** The entry IDs in {@code scan.startup.specific-ids}, inclusive. */
    SPECIFIC_IDS(
            "From the entry ID given per stream in 'scan.startup.specific-ids' (that entry"
                    + " included); streams not listed start at their first entry.");

    private final String description;

    StreamStartupMode(String description) {
        this.description = description;
    }

    /**
     * The option value: {@code earliest}, {@code latest}, {@code timestamp}, {@code specific-ids}.
     */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    @Override
    public InlineElement getDescription() {
        return text(description);
    }
}
