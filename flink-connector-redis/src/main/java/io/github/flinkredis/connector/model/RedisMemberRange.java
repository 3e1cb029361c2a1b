package io.github.flinkredis.connector.model;

import java.io.Serializable;
import java.util.Objects;
import org.apache.flink.annotation.PublicEvolving;

/**
 * The part of each list, sorted set or stream that a scan reads: a range of list indexes (the
 * bounds of {@code LRANGE}), a range of scores (the bounds of {@code ZRANGE ... BYSCORE}) or a
 * range of entry times in milliseconds (the bounds of {@code XRANGE}). Filter pushdown on the
 * index, score or timestamp column produces it; an immutable value.
 */
@PublicEvolving
public final class RedisMemberRange implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Every index, every score. */
    public static final RedisMemberRange ALL =
            new RedisMemberRange(
                    0,
                    Long.MAX_VALUE,
                    Double.NEGATIVE_INFINITY,
                    true,
                    Double.POSITIVE_INFINITY,
                    true);

    private final long firstIndex;
    private final long lastIndex;
    private final double minScore;
    private final boolean minInclusive;
    private final double maxScore;
    private final boolean maxInclusive;

    private RedisMemberRange(
            long firstIndex,
            long lastIndex,
            double minScore,
            boolean minInclusive,
            double maxScore,
            boolean maxInclusive) {
        this.firstIndex = firstIndex;
        this.lastIndex = lastIndex;
        this.minScore = minScore;
        this.minInclusive = minInclusive;
        this.maxScore = maxScore;
        this.maxInclusive = maxInclusive;
    }

    /**
     * Stream entries whose time (the milliseconds of the entry ID) is {@code first} to {@code
     * last}, both inclusive: {@code XRANGE key first last} (incomplete IDs, so every sequence
     * number of those milliseconds). {@code last} may be {@link Long#MAX_VALUE}; an empty range
     * ({@code first > last}) reads nothing.
     */
    public static RedisMemberRange entryTimes(long first, long last) {
        return new RedisMemberRange(
                Math.max(0, first),
                last,
                Double.NEGATIVE_INFINITY,
                true,
                Double.POSITIVE_INFINITY,
                true);
    }

    /**
     * Timeseries samples whose timestamp is {@code first} to {@code last} milliseconds and whose
     * value is {@code minValue} to {@code maxValue}, all bounds inclusive: {@code TS.RANGE key
     * first last FILTER_BY_VALUE min max}. {@code last} may be {@link Long#MAX_VALUE} and the value
     * bounds infinite; an empty time range ({@code first > last}) reads nothing.
     */
    public static RedisMemberRange samples(
            long first, long last, double minValue, double maxValue) {
        if (Double.isNaN(minValue) || Double.isNaN(maxValue)) {
            throw new IllegalArgumentException("A value bound cannot be NaN");
        }
        return new RedisMemberRange(Math.max(0, first), last, minValue, true, maxValue, true);
    }

    /** The first entry time read, in milliseconds (0: from the start). */
    public long firstEntryMillis() {
        return firstIndex;
    }

    /** The last entry time read, in milliseconds ({@link Long#MAX_VALUE}: to the end). */
    public long lastEntryMillis() {
        return lastIndex;
    }

    /**
     * List elements {@code first} to {@code last}, both inclusive, counted from 0 at the head.
     * {@code last} may be {@link Long#MAX_VALUE} (to the tail); an empty range ({@code first >
     * last}) reads nothing.
     */
    public static RedisMemberRange indexes(long first, long last) {
        if (first < 0 || last < 0) {
            throw new IllegalArgumentException(
                    "List index bounds must be 0 or more: " + first + ", " + last);
        }
        return new RedisMemberRange(
                first, last, Double.NEGATIVE_INFINITY, true, Double.POSITIVE_INFINITY, true);
    }

    /**
     * Sorted-set members whose score is within {@code min} and {@code max}, each bound inclusive or
     * exclusive; infinite bounds read from the lowest or to the highest score.
     */
    public static RedisMemberRange scores(
            double min, boolean minInclusive, double max, boolean maxInclusive) {
        if (Double.isNaN(min) || Double.isNaN(max)) {
            throw new IllegalArgumentException("A score bound cannot be NaN");
        }
        return new RedisMemberRange(0, Long.MAX_VALUE, min, minInclusive, max, maxInclusive);
    }

    public long firstIndex() {
        return firstIndex;
    }

    /** The last index read (inclusive), {@link Long#MAX_VALUE} to the tail. */
    public long lastIndex() {
        return lastIndex;
    }

    /** Whether a score lies within the score bounds. */
    public boolean containsScore(double score) {
        return isAboveMin(score) && !isAboveMax(score);
    }

    /** Whether a score is above the lower bound (at it, if that is inclusive). */
    public boolean isAboveMin(double score) {
        return minInclusive ? score >= minScore : score > minScore;
    }

    /** Whether a score is beyond the upper bound: no member after it is read. */
    public boolean isAboveMax(double score) {
        return maxInclusive ? score > maxScore : score >= maxScore;
    }

    /** Whether the scores have a lower bound (then the rank of the first member is counted). */
    public boolean hasMinScore() {
        return minScore != Double.NEGATIVE_INFINITY || !minInclusive;
    }

    /** Whether the scores are bounded at all. */
    public boolean hasScoreBounds() {
        return hasMinScore() || maxScore != Double.POSITIVE_INFINITY || !maxInclusive;
    }

    /** Whether no score can lie within the bounds. */
    public boolean isEmptyScoreRange() {
        return minScore > maxScore || (minScore == maxScore && !(minInclusive && maxInclusive));
    }

    /** The lower score bound; {@link Double#NEGATIVE_INFINITY} without one. */
    public double minScore() {
        return minScore;
    }

    public boolean minInclusive() {
        return minInclusive;
    }

    /** The upper score bound; {@link Double#POSITIVE_INFINITY} without one. */
    public double maxScore() {
        return maxScore;
    }

    public boolean maxInclusive() {
        return maxInclusive;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RedisMemberRange)) {
            return false;
        }
        RedisMemberRange that = (RedisMemberRange) o;
        return firstIndex == that.firstIndex
                && lastIndex == that.lastIndex
                && Double.compare(minScore, that.minScore) == 0
                && minInclusive == that.minInclusive
                && Double.compare(maxScore, that.maxScore) == 0
                && maxInclusive == that.maxInclusive;
    }

    @Override
    public int hashCode() {
        return Objects.hash(firstIndex, lastIndex, minScore, minInclusive, maxScore, maxInclusive);
    }

    private static String scoreText(double v) {
        return Double.isInfinite(v) ? (v > 0 ? "+inf" : "-inf") : Double.toString(v);
    }

    @Override
    public String toString() {
        return describe("index", "score");
    }

    /**
     * The bounds as text, naming the index (or time) bounds {@code indexName} and the score (or
     * value) bounds {@code scoreName}: e.g. {@code time 1000..5000, value [2.5, +inf]}.
     */
    public String describe(String indexName, String scoreName) {
        StringBuilder sb = new StringBuilder();
        if (firstIndex != 0 || lastIndex != Long.MAX_VALUE) {
            sb.append(indexName)
                    .append(" ")
                    .append(firstIndex)
                    .append("..")
                    .append(lastIndex == Long.MAX_VALUE ? "" : String.valueOf(lastIndex));
        }
        if (hasScoreBounds()) {
            sb.append(sb.length() == 0 ? "" : ", ")
                    .append(scoreName)
                    .append(" ")
                    .append(minInclusive ? "[" : "(")
                    .append(scoreText(minScore))
                    .append(", ")
                    .append(scoreText(maxScore))
                    .append(maxInclusive ? "]" : ")");
        }
        return sb.length() == 0 ? "all" : sb.toString();
    }
}
