package io.github.flinkredis.connector.config;

import static org.apache.flink.configuration.description.TextElement.text;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;

/**
 * Which aggregates of a batch query a RediSearch index computes for a {@code hash} table (option
 * {@code search.aggregate-pushdown}). The index only ever counts hashes per group of field values
 * ({@code FT.AGGREGATE ... GROUPBY ... REDUCE COUNT}); every other aggregate is computed exactly
 * from those counts by grouping on the aggregated column's values too, which costs Redis a group
 * per distinct value.
 */
@PublicEvolving
public enum RedisSearchAggregatePushdown implements DescribedEnum {
    /** No aggregate is pushed: Flink aggregates the rows read. */
    NONE("Flink aggregates the rows read."),
    /** Only {@code COUNT(*)}, grouped by the query's GROUP BY. */
    COUNT("Only COUNT(*), counted per group of the query's GROUP BY."),
    /**
     * Also {@code COUNT(col)}, {@code MIN}, {@code MAX}, and {@code SUM} and {@code AVG} of integer
     * columns, by grouping on the aggregated columns' values as well.
     */
    BY_VALUE(
            "Also COUNT(col), MIN, MAX, and SUM and AVG of integer columns, by grouping on the"
                    + " aggregated columns' values as well: Redis then holds a group per distinct"
                    + " combination of values until the result is read (about 200 bytes each:"
                    + " 210 MB for a column of a million distinct values). For columns of few"
                    + " distinct values.");

    private final String description;

    RedisSearchAggregatePushdown(String description) {
        this.description = description;
    }

    /** The option value: {@code none}, {@code count} or {@code by-value}. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    @Override
    public InlineElement getDescription() {
        return text(description);
    }
}
