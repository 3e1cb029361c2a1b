package io.github.flinkredis.connector.config;

import static org.apache.flink.configuration.description.TextElement.text;

import java.util.Locale;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;

/**
 * What RedisTimeSeries does with a sample whose timestamp the series holds already: the value of
 * {@code sink.timeseries.duplicate-policy}, sent as {@code TS.ADD ... ON_DUPLICATE <policy>}.
 */
@PublicEvolving
public enum RedisDuplicatePolicy implements DescribedEnum {
    /** Keep the new value: a replayed sample, or an update, writes the same value again. */
    LAST("Keep the new value, so replays after a restore and upserts are idempotent."),
    /** Keep the value already there. */
    FIRST("Keep the value already there."),
    /** Keep the smaller value. */
    MIN("Keep the smaller value."),
    /** Keep the larger value. */
    MAX("Keep the larger value."),
    /** Add the new value to the one there: replays count twice. */
    SUM("Add the new value to the one there (a replay after a restore counts twice)."),
    /** Reject the sample: the job fails on a replay or an update. */
    BLOCK("Reject the sample with an error, which fails the job (also on replays).");

    private final String description;

    RedisDuplicatePolicy(String description) {
        this.description = description;
    }

    /** The option value, e.g. {@code last}; TS.ADD takes it in upper case. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public InlineElement getDescription() {
        return text(description);
    }
}
