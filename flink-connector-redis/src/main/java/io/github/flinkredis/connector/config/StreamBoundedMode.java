package io.github.flinkredis.connector.config;

import static org.apache.flink.configuration.description.TextElement.text;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;

/**
 * Where a stream source stops reading each stream: the value of {@code scan.bounded.mode}. Every
 * mode but {@link #UNBOUNDED} makes the source bounded: it ends once every stream reached its end.
 */
@PublicEvolving
public enum StreamBoundedMode implements DescribedEnum {
    /** Never: the source tails the streams until the job is cancelled. */
    UNBOUNDED("Never stop: tail the streams (XREAD BLOCK) until the job is cancelled."),
    /** At the stream's last entry when the source reaches its end (a batch read). */
    LATEST(
            "Stop at the last entry of each stream: with 'scan.startup.mode' = 'earliest' a"
                    + " bounded scan (XRANGE pages) that reads each stream to its end when it"
                    + " gets there, with filter and limit pushdown; with another startup mode,"
                    + " at the last entry each stream holds when the job starts."),
    /**
     * Before the first entry whose ID time is at or after {@code scan.bounded.timestamp-millis}.
     */
    TIMESTAMP(
            "Stop before the first entry whose ID time is at or after"
                    + " 'scan.bounded.timestamp-millis' (that entry excluded)."),
    /** Before the entry IDs in {@code scan.bounded.specific-ids}. */
    SPECIFIC_IDS(
            "Stop before the entry ID given per stream in 'scan.bounded.specific-ids' (that"
                    + " entry excluded); streams not listed stop at their last entry when the job"
                    + " starts.");

    private final String description;

    StreamBoundedMode(String description) {
        this.description = description;
    }

    /**
     * The option value: {@code unbounded}, {@code latest}, {@code timestamp}, {@code specific-ids}.
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
