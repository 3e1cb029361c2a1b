package io.github.flinkredis.connector.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.model.RedisMemberRange;
import io.github.flinkredis.connector.types.list.RedisListFilters;
import io.github.flinkredis.connector.types.spi.RedisPushedFilters;
import io.github.flinkredis.connector.types.timeseries.RedisTimeSeriesFilters;
import io.github.flinkredis.connector.types.zset.RedisSortedSetFilters;
import java.math.BigDecimal;
import java.util.List;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.expressions.CallExpression;
import org.apache.flink.table.expressions.FieldReferenceExpression;
import org.apache.flink.table.expressions.ResolvedExpression;
import org.apache.flink.table.expressions.ValueLiteralExpression;
import org.apache.flink.table.functions.BuiltInFunctionDefinitions;
import org.apache.flink.table.functions.FunctionDefinition;
import org.apache.flink.table.types.DataType;
import org.junit.jupiter.api.Test;

/** The translation of index and score comparisons into LRANGE and ZRANGE BYSCORE bounds. */
class RedisMemberFiltersTest {

    private static final FieldReferenceExpression SCORE =
            new FieldReferenceExpression("score", DataTypes.DOUBLE(), 0, 2);
    private static final FieldReferenceExpression INDEX =
            new FieldReferenceExpression("idx", DataTypes.BIGINT(), 0, 1);
    private static final FieldReferenceExpression OTHER =
            new FieldReferenceExpression("other", DataTypes.DOUBLE(), 0, 3);

    private static ResolvedExpression call(FunctionDefinition f, ResolvedExpression... args) {
        return CallExpression.anonymous(f, List.of(args), DataTypes.BOOLEAN());
    }

    private static ValueLiteralExpression lit(Object v, DataType type) {
        return new ValueLiteralExpression(v, type.notNull());
    }

    private static ValueLiteralExpression d(double v) {
        return lit(v, DataTypes.DOUBLE());
    }

    private static ValueLiteralExpression l(long v) {
        return lit(v, DataTypes.BIGINT());
    }

    @Test
    void scoreComparisonsIntersectWithTheirInclusiveness() {
        ResolvedExpression gt = call(BuiltInFunctionDefinitions.GREATER_THAN, SCORE, d(1.5));
        ResolvedExpression ge =
                call(BuiltInFunctionDefinitions.GREATER_THAN_OR_EQUAL, SCORE, d(1.5));
        // 7 >= score, the literal on the left
        ResolvedExpression le = call(BuiltInFunctionDefinitions.GREATER_THAN_OR_EQUAL, d(7), SCORE);
        ResolvedExpression unrelated = call(BuiltInFunctionDefinitions.LESS_THAN, OTHER, d(0));

        RedisPushedFilters t =
                RedisSortedSetFilters.scoreRange(List.of(ge, gt, le, unrelated), "score").get();

        assertThat(t.range()).isEqualTo(RedisMemberRange.scores(1.5, false, 7, true));
        assertThat(t.accepted()).containsExactly(ge, gt, le);
        assertThat(t.range().toString()).isEqualTo("score (1.5, 7.0]");
    }

    @Test
    void aConjunctionIsTranslatedOnlyWhole() {
        ResolvedExpression between =
                call(
                        BuiltInFunctionDefinitions.AND,
                        call(
                                BuiltInFunctionDefinitions.GREATER_THAN_OR_EQUAL,
                                SCORE,
                                lit(new BigDecimal("10.5"), DataTypes.DECIMAL(3, 1))),
                        call(BuiltInFunctionDefinitions.LESS_THAN, SCORE, d(20)));
        ResolvedExpression mixed =
                call(
                        BuiltInFunctionDefinitions.AND,
                        call(BuiltInFunctionDefinitions.LESS_THAN, SCORE, d(20)),
                        call(BuiltInFunctionDefinitions.LESS_THAN, OTHER, d(20)));
        ResolvedExpression or =
                call(
                        BuiltInFunctionDefinitions.OR,
                        call(BuiltInFunctionDefinitions.LESS_THAN, SCORE, d(1)),
                        call(BuiltInFunctionDefinitions.GREATER_THAN, SCORE, d(9)));

        RedisPushedFilters t =
                RedisSortedSetFilters.scoreRange(List.of(between, mixed, or), "score").get();

        assertThat(t.range()).isEqualTo(RedisMemberRange.scores(10.5, true, 20, false));
        assertThat(t.accepted()).containsExactly(between);
        assertThat(RedisSortedSetFilters.scoreRange(List.of(mixed, or), "score")).isEmpty();
    }

    @Test
    void indexComparisonsBecomeInclusiveBounds() {
        ResolvedExpression gt = call(BuiltInFunctionDefinitions.GREATER_THAN, INDEX, l(2));
        ResolvedExpression lt = call(BuiltInFunctionDefinitions.LESS_THAN, INDEX, l(10));

        RedisPushedFilters t = RedisListFilters.indexRange(List.of(gt, lt), "idx").get();

        assertThat(t.range()).isEqualTo(RedisMemberRange.indexes(3, 9));
        RedisPushedFilters eq =
                RedisListFilters.indexRange(
                                List.of(call(BuiltInFunctionDefinitions.EQUALS, INDEX, l(4))),
                                "idx")
                        .get();
        assertThat(eq.range()).isEqualTo(RedisMemberRange.indexes(4, 4));
    }

    @Test
    void impossibleIndexRangesReadNothingAndFractionsStayWithFlink() {
        ResolvedExpression negative = call(BuiltInFunctionDefinitions.LESS_THAN, INDEX, l(0));
        RedisPushedFilters t = RedisListFilters.indexRange(List.of(negative), "idx").get();
        assertThat(t.range().firstIndex()).isGreaterThan(t.range().lastIndex());

        ResolvedExpression fraction =
                call(
                        BuiltInFunctionDefinitions.LESS_THAN,
                        INDEX,
                        lit(new BigDecimal("2.5"), DataTypes.DECIMAL(2, 1)));
        assertThat(RedisListFilters.indexRange(List.of(fraction), "idx")).isEmpty();
    }

    @Test
    void scoreRangesKnowTheirBounds() {
        RedisMemberRange r = RedisMemberRange.scores(1, false, 5, true);
        assertThat(r.containsScore(1)).isFalse();
        assertThat(r.containsScore(1.0001)).isTrue();
        assertThat(r.containsScore(5)).isTrue();
        assertThat(r.isAboveMax(5.5)).isTrue();
        assertThat(r.hasMinScore()).isTrue();
        assertThat(RedisMemberRange.scores(3, true, 3, false).isEmptyScoreRange()).isTrue();
        assertThat(RedisMemberRange.ALL.hasScoreBounds()).isFalse();
    }

    private static final FieldReferenceExpression TS =
            new FieldReferenceExpression("ts", DataTypes.BIGINT(), 0, 4);
    private static final FieldReferenceExpression VAL =
            new FieldReferenceExpression("val", DataTypes.DOUBLE(), 0, 5);

    @Test
    void timeseriesSampleRangeTakesMillisecondsAndInclusiveValueBoundsOnly() {
        ResolvedExpression after = call(BuiltInFunctionDefinitions.GREATER_THAN, TS, l(1000));
        ResolvedExpression upTo = call(BuiltInFunctionDefinitions.LESS_THAN_OR_EQUAL, TS, l(5000));
        ResolvedExpression atLeast =
                call(BuiltInFunctionDefinitions.GREATER_THAN_OR_EQUAL, VAL, d(2.5));
        ResolvedExpression below = call(BuiltInFunctionDefinitions.LESS_THAN, VAL, d(9));

        RedisPushedFilters t =
                RedisTimeSeriesFilters.sampleRange(
                                List.of(after, upTo, atLeast, below), "ts", true, "val", null)
                        .get();

        // > 1000 starts at 1001; < 9 cannot be FILTER_BY_VALUE's inclusive bound: left to Flink
        assertThat(t.range())
                .isEqualTo(RedisMemberRange.samples(1001, 5000, 2.5, Double.POSITIVE_INFINITY));
        assertThat(t.accepted()).containsExactly(after, upTo, atLeast);
    }

    @Test
    void withAnAggregationTimeBoundsWidenToWholeBucketsAndStayWithFlink() {
        ResolvedExpression from =
                call(BuiltInFunctionDefinitions.GREATER_THAN_OR_EQUAL, TS, l(2500));
        ResolvedExpression to = call(BuiltInFunctionDefinitions.LESS_THAN, TS, l(6001));
        ResolvedExpression value = call(BuiltInFunctionDefinitions.LESS_THAN_OR_EQUAL, VAL, d(1));
        io.github.flinkredis.connector.model.RedisTimeSeriesAggregation avg =
                new io.github.flinkredis.connector.model.RedisTimeSeriesAggregation(
                        io.github.flinkredis.connector.config.TimeSeriesAggregator.AVG,
                        1000,
                        0,
                        io.github.flinkredis.connector.config.TimeSeriesBucketTimestamp.START,
                        false);

        RedisPushedFilters t =
                RedisTimeSeriesFilters.sampleRange(List.of(from, to, value), "ts", true, "val", avg)
                        .get();

        // rows (bucket starts) 2500..6000: the buckets from 2000 to the one ending at 6999
        assertThat(t.range())
                .isEqualTo(
                        RedisMemberRange.samples(
                                2000, 6999, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY));
        assertThat(t.accepted()).isEmpty();
    }
}
