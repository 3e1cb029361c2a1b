package io.github.flinkredis.connector.config;

import static org.apache.flink.configuration.description.TextElement.text;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;

/**
 * What a read does with a value that does not parse as its column's type, or with a missing value
 * in a NOT NULL column. Whatever the policy, each such value is counted in the reader's {@code
 * numParseErrors} metric.
 */
@PublicEvolving
public enum ParseErrorPolicy implements DescribedEnum {
    /** Fail the job with a message naming the key, the field, the value and the column type. */
    FAIL("Fail the job with a message naming the key, field, value and column type."),
    /** Read the value as NULL (a NOT NULL column cannot hold NULL: the job fails as with FAIL). */
    SET_NULL(
            "Read the value as NULL; in a NOT NULL column the job fails as with 'fail', since"
                    + " NULL cannot be stored there."),
    /** Drop the whole row; it is also counted in {@code numRecordsInErrors}. */
    SKIP_ROW("Drop the row; it is also counted in the numRecordsInErrors metric.");

    private final String description;

    ParseErrorPolicy(String description) {
        this.description = description;
    }

    /** The option value: {@code fail}, {@code set-null} or {@code skip-row}. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    @Override
    public InlineElement getDescription() {
        return text(description);
    }
}
