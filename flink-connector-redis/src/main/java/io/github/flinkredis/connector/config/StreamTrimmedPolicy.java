package io.github.flinkredis.connector.config;

import static org.apache.flink.configuration.description.TextElement.text;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;

/**
 * What a stream source does when entries after its position were deleted before it read them (the
 * stream was trimmed past a checkpoint, or past a start ID): the value of {@code
 * scan.stream.trimmed-policy}.
 */
@PublicEvolving
public enum StreamTrimmedPolicy implements DescribedEnum {
    /** Fail the job, naming the stream and the IDs. */
    FAIL("Fail the job with an error naming the stream, the position and the deleted IDs."),
    /** Log a warning, count the gap in a metric, and go on with the oldest entry left. */
    CONTINUE(
            "Log a warning, count the gap in the metric 'numStreamGaps', and go on with the oldest"
                    + " entry left.");

    private final String description;

    StreamTrimmedPolicy(String description) {
        this.description = description;
    }

    /** The option value: {@code fail} or {@code continue}. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public InlineElement getDescription() {
        return text(description);
    }
}
