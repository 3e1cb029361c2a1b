package io.github.flinkredis.connector.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkredis.connector.source.RedisPartialAggregate.Kind;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.DoubleType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.SmallIntType;
import org.apache.flink.table.types.logical.TinyIntType;
import org.apache.flink.table.types.logical.VarCharType;
import org.junit.jupiter.api.Test;

/**
 * Each aggregate's partial result over a group of {@code count} equal values equals {@code count}
 * additions (or comparisons) of the value in the result type's arithmetic, computed here the long
 * way.
 */
class RedisPartialAggregateTest {

    private static final GenericRowData NULLS = GenericRowData.of(null, null);

    @Test
    void aSumIsTheValueAddedCountTimesWrappingAroundAsTheResultTypeDoes() {
        byte tiny = 120;
        byte tinySum = 0;
        short small = 30_000;
        short smallSum = 0;
        int big = 2_000_000_000;
        int intSum = 0;
        long longSum = 0;
        long huge = Long.MAX_VALUE / 3;
        long hugeSum = 0;
        for (int i = 0; i < 7; i++) {
            tinySum += tiny;
            smallSum += small;
            intSum += big;
            longSum += big;
            hugeSum += huge;
        }
        assertThat(sum(new TinyIntType(), new TinyIntType(), tiny, 7)).isEqualTo(tinySum);
        assertThat(sum(new SmallIntType(), new SmallIntType(), small, 7)).isEqualTo(smallSum);
        assertThat(sum(new IntType(), new IntType(), big, 7)).isEqualTo(intSum);
        assertThat(sum(new IntType(), new BigIntType(), big, 7)).isEqualTo(longSum);
        assertThat(sum(new BigIntType(), new BigIntType(), huge, 7)).isEqualTo(hugeSum);
        assertThat((long) intSum).isNotEqualTo(longSum); // the INT sum wrapped around
    }

    private static Object sum(
            org.apache.flink.table.types.logical.LogicalType type,
            org.apache.flink.table.types.logical.LogicalType result,
            Object value,
            long count) {
        return new RedisPartialAggregate(Kind.SUM, 1, type, result)
                .of(GenericRowData.of(StringData.fromString("g"), value), count);
    }

    @Test
    void nullValuesGiveNullSumsZeroCountsAndNullExtremes() {
        IntType type = new IntType();
        assertThat(new RedisPartialAggregate(Kind.SUM, 1, type, type).of(NULLS, 5)).isNull();
        assertThat(new RedisPartialAggregate(Kind.SUM0, 1, type, new BigIntType()).of(NULLS, 5))
                .isEqualTo(0L);
        assertThat(new RedisPartialAggregate(Kind.COUNT, 1, type, new BigIntType()).of(NULLS, 5))
                .isEqualTo(0L);
        assertThat(new RedisPartialAggregate(Kind.MIN, 1, type, type).of(NULLS, 5)).isNull();
        assertThat(
                        new RedisPartialAggregate(Kind.COUNT_ALL, -1, null, new BigIntType())
                                .of(NULLS, 5))
                .isEqualTo(5L);
    }

    @Test
    void anExtremeIsTheValueAndACountTheGroupsCount() {
        VarCharType type = VarCharType.STRING_TYPE;
        GenericRowData values = GenericRowData.of(null, StringData.fromString("Oslo"));
        assertThat(new RedisPartialAggregate(Kind.MAX, 1, type, type).of(values, 9))
                .isEqualTo(StringData.fromString("Oslo"));
        assertThat(new RedisPartialAggregate(Kind.COUNT, 1, type, new BigIntType()).of(values, 9))
                .isEqualTo(9L);
    }

    @Test
    void aSumOfDoublesIsNotComputedFromCounts() {
        assertThatThrownBy(
                        () ->
                                new RedisPartialAggregate(
                                        Kind.SUM, 0, new DoubleType(), new DoubleType()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
