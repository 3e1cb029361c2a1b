package io.github.flinkredis.connector.config;

import java.io.Serializable;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;

/**
 * How a table's bounded scan runs, from its {@code scan.*} options: an immutable value. SCAN's
 * COUNT hint, the keys per batch of value reads and the batches in flight, the members per page of
 * a key read in pages, whether filters on the key become point reads, what a value that does not
 * parse does, and the source parallelism.
 *
 * <p>What the table's keys and columns mean is {@link RedisTableLayout}.
 */
@Internal
public final class RedisScanOptions implements Serializable {

    private static final long serialVersionUID = 2L;

    /** {@code search.index}: choose an index by itself. */
    public static final String SEARCH_INDEX_AUTO = "auto";

    /** {@code search.index}: read through no index. */
    public static final String SEARCH_INDEX_NONE = "none";

    private final int scanCount;
    private final int batchSize;
    private final int maxBatchesInFlight;
    private final boolean filterPushDown;
    private final ParseErrorPolicy parseErrorPolicy;
    @Nullable private final Integer parallelism;
    private final int memberPageSize;
    private final String searchIndex;

    /**
     * @param scanCount SCAN's COUNT hint ({@code scan.count}), positive
     * @param batchSize keys per batch of value reads ({@code scan.batch-size}), positive
     * @param maxBatchesInFlight batches of value reads in flight per reader ({@code
     *     scan.max-batches-in-flight}), positive
     * @param filterPushDown whether filters on the key become point reads ({@code
     *     scan.filter-push-down.enabled})
     * @param parseErrorPolicy what a value that does not parse does ({@code
     *     scan.parse-error.policy})
     * @param parallelism the source parallelism ({@code scan.parallelism}), or null for the job's
     *     default
     * @param memberPageSize members, elements, entries or samples per page of a key read in pages
     *     ({@code scan.member-page-size}), positive
     * @param searchIndex the RediSearch index to read through ({@code search.index}): a name,
     *     {@code auto} or {@code none}
     */
    public RedisScanOptions(
            int scanCount,
            int batchSize,
            int maxBatchesInFlight,
            boolean filterPushDown,
            ParseErrorPolicy parseErrorPolicy,
            @Nullable Integer parallelism,
            int memberPageSize,
            String searchIndex) {
        this.scanCount = scanCount;
        this.batchSize = batchSize;
        this.maxBatchesInFlight = maxBatchesInFlight;
        this.filterPushDown = filterPushDown;
        this.parseErrorPolicy = Objects.requireNonNull(parseErrorPolicy);
        this.parallelism = parallelism;
        this.memberPageSize = memberPageSize;
        this.searchIndex = Objects.requireNonNull(searchIndex);
    }

    /** The RediSearch index to read through ({@code search.index}): a name, auto or none. */
    public String searchIndex() {
        return searchIndex;
    }

    /** SCAN's COUNT hint ({@code scan.count}). */
    public int scanCount() {
        return scanCount;
    }

    /** Keys per batch of value reads ({@code scan.batch-size}). */
    public int batchSize() {
        return batchSize;
    }

    /** Batches of value reads in flight per reader ({@code scan.max-batches-in-flight}). */
    public int maxBatchesInFlight() {
        return maxBatchesInFlight;
    }

    /** Whether filters on the key become point reads ({@code scan.filter-push-down.enabled}). */
    public boolean filterPushDown() {
        return filterPushDown;
    }

    /** Members or elements per page of a set, list or zset ({@code scan.member-page-size}). */
    public int memberPageSize() {
        return memberPageSize;
    }

    /** What a value that does not parse does ({@code scan.parse-error.policy}). */
    public ParseErrorPolicy parseErrorPolicy() {
        return parseErrorPolicy;
    }

    /** The source parallelism from {@code scan.parallelism}, or null for the job's default. */
    @Nullable
    public Integer parallelism() {
        return parallelism;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RedisScanOptions)) {
            return false;
        }
        RedisScanOptions that = (RedisScanOptions) o;
        return scanCount == that.scanCount
                && batchSize == that.batchSize
                && maxBatchesInFlight == that.maxBatchesInFlight
                && filterPushDown == that.filterPushDown
                && parseErrorPolicy == that.parseErrorPolicy
                && Objects.equals(parallelism, that.parallelism)
                && memberPageSize == that.memberPageSize
                && searchIndex.equals(that.searchIndex);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scanCount, batchSize, maxBatchesInFlight, memberPageSize);
    }
}
