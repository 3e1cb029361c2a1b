package io.github.flinkredis.connector.model;

import io.github.flinkredis.connector.config.RedisDataType;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;

/**
 * What a scan reads for each key: the result of projection pushdown.
 *
 * <ul>
 *   <li>{@code fields == null}: every field ({@code HGETALL});
 *   <li>{@code fields} empty: no value at all, the key alone (no command per key);
 *   <li>otherwise exactly those fields ({@code HMGET key f1 f2 ...}).
 * </ul>
 *
 * <p>{@code fetchTtl} adds a {@code PTTL key} per key to the same pipeline.
 *
 * <p>For the collection types (set, list, zset), each key yields one record per member or element,
 * and {@code fields} lists which of {@link #MEMBER}, {@link #SCORE}, {@link #RANK}, {@link
 * #ELEMENT} and {@link #INDEX} each record holds, in that order ({@code null}: all of the type's);
 * the members are read in pages of {@code memberPageSize}, within {@code memberRange}.
 */
@Internal
public final class RedisReadSpec implements Serializable {

    private static final long serialVersionUID = 1L;

    /** A set's or sorted set's member, as the raw bytes Redis stores. */
    public static final String MEMBER = "member";

    /** A sorted-set member's score, as the decimal text of a double. */
    public static final String SCORE = "score";

    /** A sorted-set member's rank (0 for the lowest score), as decimal text. */
    public static final String RANK = "rank";

    /** A list element, as the raw bytes Redis stores. */
    public static final String ELEMENT = "element";

    /** A list element's index (0 at the head), as decimal text. */
    public static final String INDEX = "index";

    /** The name a string key's value has in its record. */
    public static final String STRING_VALUE = "value";

    /** A timeseries sample's (or bucket's) timestamp, in milliseconds since the epoch. */
    public static final String TIMESTAMP = "timestamp";

    /** A timeseries sample's value, a double. */
    public static final String VALUE = "value";

    private final RedisReadShape shape;
    @Nullable private final List<String> fields;
    private final boolean fetchTtl;
    private final int memberPageSize;
    private final RedisMemberRange memberRange;
    private final String jsonPath;
    @Nullable private final RedisTimeSeriesAggregation aggregation;
    private final boolean fetchLabels;
    @Nullable private final List<String> labelFilter;

    /**
     * @param shape the data type read, as its handler describes it ({@code
     *     RedisTypes.of(dataType)})
     */
    public RedisReadSpec(RedisReadShape shape, @Nullable List<String> fields, boolean fetchTtl) {
        this(shape, fields, fetchTtl, 1000, RedisMemberRange.ALL);
    }

    /**
     * @param memberPageSize members or elements per SSCAN (its COUNT hint), LRANGE or ZRANGE
     * @param memberRange the indexes or scores read of each list or sorted set
     */
    public RedisReadSpec(
            RedisReadShape shape,
            @Nullable List<String> fields,
            boolean fetchTtl,
            int memberPageSize,
            RedisMemberRange memberRange) {
        this(shape, fields, fetchTtl, memberPageSize, memberRange, "$");
    }

    /**
     * @param jsonPath for a JSON document: the JSONPath of the value whose members {@code fields}
     *     names ({@code $} for the document); with {@code fields == null} that whole value is read
     */
    public RedisReadSpec(
            RedisReadShape shape,
            @Nullable List<String> fields,
            boolean fetchTtl,
            int memberPageSize,
            RedisMemberRange memberRange,
            String jsonPath) {
        this(shape, fields, fetchTtl, memberPageSize, memberRange, jsonPath, null, false, null);
    }

    private RedisReadSpec(
            RedisReadShape shape,
            @Nullable List<String> fields,
            boolean fetchTtl,
            int memberPageSize,
            RedisMemberRange memberRange,
            String jsonPath,
            @Nullable RedisTimeSeriesAggregation aggregation,
            boolean fetchLabels,
            @Nullable List<String> labelFilter) {
        if ((aggregation != null || fetchLabels || labelFilter != null) && !shape.readsSeries()) {
            throw new IllegalArgumentException(
                    "Only a timeseries read aggregates or reads labels, not " + shape.dataType());
        }
        this.aggregation = aggregation;
        this.fetchLabels = fetchLabels;
        this.labelFilter = labelFilter == null ? null : List.copyOf(labelFilter);
        this.jsonPath = Objects.requireNonNull(jsonPath);
        this.shape = Objects.requireNonNull(shape);
        List<String> accepted = shape.recordParts();
        this.fields =
                fields == null
                        ? (accepted.isEmpty() ? null : List.copyOf(accepted))
                        : List.copyOf(fields);
        this.fetchTtl = fetchTtl;
        this.memberPageSize = memberPageSize;
        this.memberRange = Objects.requireNonNull(memberRange);
        if (!accepted.isEmpty()) {
            for (String f : this.fields) {
                if (!accepted.contains(f)) {
                    throw new IllegalArgumentException(
                            String.format(
                                    "A %s record holds %s, not '%s'",
                                    shape.dataType(), accepted, f));
                }
            }
        }
    }

    /**
     * This read of timeseries, downsampled by the server: each record a bucket ({@code TS.RANGE ...
     * AGGREGATION ...}).
     */
    public RedisReadSpec withAggregation(RedisTimeSeriesAggregation aggregation) {
        return timeSeries(Objects.requireNonNull(aggregation), fetchLabels, labelFilter);
    }

    /** This read of timeseries, also reading each series' labels ({@code TS.INFO}). */
    public RedisReadSpec withLabels() {
        return timeSeries(aggregation, true, labelFilter);
    }

    /**
     * This read of timeseries, of the series {@code TS.QUERYINDEX <filter>...} finds on each node
     * (those matching the key pattern) instead of those SCAN finds.
     *
     * @param filter the TS.QUERYINDEX filter expressions, e.g. {@code area=eu}, {@code
     *     kind=(temp,hum)}; at least one of the form {@code label=value}
     */
    public RedisReadSpec withLabelFilter(List<String> filter) {
        if (filter.isEmpty()) {
            throw new IllegalArgumentException("A label filter needs at least one expression");
        }
        return timeSeries(aggregation, fetchLabels, filter);
    }

    /** This read with the timeseries settings given, the others as they are. */
    private RedisReadSpec timeSeries(
            @Nullable RedisTimeSeriesAggregation aggregation,
            boolean fetchLabels,
            @Nullable List<String> labelFilter) {
        return new RedisReadSpec(
                shape,
                fields,
                fetchTtl,
                memberPageSize,
                memberRange,
                jsonPath,
                aggregation,
                fetchLabels,
                labelFilter);
    }

    /** The TS.QUERYINDEX filter that chooses the series, or null: SCAN finds them. */
    @Nullable
    public List<String> labelFilter() {
        return labelFilter;
    }

    /** Whether a timeseries read fetches the labels of each series. */
    public boolean fetchLabels() {
        return fetchLabels;
    }

    /** The server-side aggregation of a timeseries read, or null: every sample is a record. */
    @Nullable
    public RedisTimeSeriesAggregation aggregation() {
        return aggregation;
    }

    /** The JSONPath of the value whose members a JSON read fetches; {@code $} by default. */
    public String jsonPath() {
        return jsonPath;
    }

    /** Members or elements per page of a set, list or sorted set. */
    public int memberPageSize() {
        return memberPageSize;
    }

    /** The indexes or scores read of each list or sorted set. */
    public RedisMemberRange memberRange() {
        return memberRange;
    }

    public RedisDataType dataType() {
        return shape.dataType();
    }

    /**
     * The fields to fetch; {@code null} for all of them. For a string, the one name the value is
     * given in the record, or empty when the value is not read.
     */
    @Nullable
    public List<String> fields() {
        return fields;
    }

    public boolean fetchTtl() {
        return fetchTtl;
    }

    /**
     * Whether any per-key command is needed at all: always for the collection types, whose rows are
     * their members.
     */
    public boolean needsFetch() {
        return shape.readsMembers() || fetchTtl || fields == null || !fields.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RedisReadSpec)) {
            return false;
        }
        RedisReadSpec that = (RedisReadSpec) o;
        return shape.dataType() == that.shape.dataType()
                && fetchTtl == that.fetchTtl
                && Objects.equals(fields, that.fields)
                && memberPageSize == that.memberPageSize
                && memberRange.equals(that.memberRange)
                && jsonPath.equals(that.jsonPath)
                && Objects.equals(aggregation, that.aggregation)
                && fetchLabels == that.fetchLabels
                && Objects.equals(labelFilter, that.labelFilter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                shape.dataType(),
                fields,
                fetchTtl,
                memberPageSize,
                memberRange,
                jsonPath,
                aggregation,
                fetchLabels,
                labelFilter);
    }

    /**
     * A read of members as {@link #toString()} shows it, for {@link RedisReadShape#describeRead}:
     * {@code command}, the fields, {@code range} where the read is narrowed, the aggregation and
     * the label reads.
     *
     * @param range the member range in the data type's terms (indexes, scores, times or values)
     */
    public String describeMembers(String command, String range) {
        return " "
                + command
                + " "
                + fields
                + (memberRange.equals(RedisMemberRange.ALL) ? "" : " " + range)
                + (aggregation == null ? "" : " " + aggregation)
                + (fetchLabels ? " +TS.INFO" : "")
                + (labelFilter == null ? "" : " of TS.QUERYINDEX " + String.join(" ", labelFilter));
    }

    @Override
    public String toString() {
        return shape.dataType() + shape.describeRead(this) + (fetchTtl ? " +PTTL" : "");
    }
}
