package io.github.flinkredis.connector.config;

import static org.apache.flink.configuration.description.TextElement.text;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;

/**
 * What a sink does with a row whose write Redis refused with an error of that row's own key (a
 * {@code WRONGTYPE} reply, or an {@code ERR} reply about the value, such as a timeseries sample
 * older than the series' retention): the value of {@code sink.error-policy}. Connection failures,
 * timeouts, transient server states and errors of the job itself ({@code NOPERM}, an unknown
 * command, ...) are never such errors: they are retried and then fail the job, whatever the policy.
 */
@PublicEvolving
public enum RedisWriteErrorPolicy implements DescribedEnum {
    /** The job fails, naming the key, the command and Redis's error (the default). */
    FAIL("The job fails, naming the key, the command and Redis's error."),
    /** The row is written to a Redis stream (the dead-letter stream) and the job goes on. */
    DEAD_LETTER(
            "The row is written, with the key, the command and Redis's error, as an entry of the"
                    + " stream 'sink.dead-letter.stream' (XADD) before its checkpoint completes,"
                    + " and the job goes on."),
    /** The row is logged (rate-limited), counted and dropped. */
    SKIP("The row is logged (at most one line per 10 s per writer), counted and dropped.");

    private final String description;

    RedisWriteErrorPolicy(String description) {
        this.description = description;
    }

    /** The option value: {@code fail}, {@code dead-letter} or {@code skip}. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    @Override
    public InlineElement getDescription() {
        return text(description);
    }
}
