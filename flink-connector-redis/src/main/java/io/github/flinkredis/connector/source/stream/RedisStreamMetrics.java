package io.github.flinkredis.connector.source.stream;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;

/**
 * The metrics of one reader of a {@link RedisStreamSource}:
 *
 * <ul>
 *   <li>{@code numStreamGaps} (counter): streams found to have lost entries after the position
 *       their read goes on from;
 *   <li>{@code numStreamEntriesClaimed} (counter): entries claimed from other consumers of the
 *       group and emitted;
 *   <li>{@code stream.<key>.lag} (gauge): entries of the stream after the last one read, -1 while
 *       not known; with a consumer group, the group's {@code lag} from {@code XINFO GROUPS}
 *       (entries not delivered to any of its consumers yet), else counted from {@code XINFO
 *       STREAM}'s {@code entries-added} since a point where the read's position in the stream was
 *       known (its start, or a moment it had read the last entry);
 *   <li>{@code stream.<key>.pending} (gauge, consumer groups only): the group's entries delivered
 *       and not acknowledged ({@code XINFO GROUPS}'s {@code pending}), -1 while not known;
 *   <li>Flink's standard {@code pendingRecords}: the sum of the known lags of the reader's streams.
 * </ul>
 *
 * <p>The gauges read values the split reader refreshes about once a second.
 */
@Internal
final class RedisStreamMetrics {

    /** The refreshed values of one stream; written by the fetcher, read by metric reporters. */
    static final class Stream {
        volatile long lag = -1;
        volatile long pending = -1;
    }

    private final MetricGroup group;
    private final Counter gaps;
    private final Counter claims;
    private final boolean consumerGroup;
    private final Map<String, Stream> streams = new ConcurrentHashMap<>();

    RedisStreamMetrics(SourceReaderMetricGroup group, boolean consumerGroup) {
        this.group = group;
        this.consumerGroup = consumerGroup;
        this.gaps = group.counter(RedisStreamSource.METRIC_STREAM_GAPS, new SimpleCounter());
        this.claims = group.counter(RedisStreamSource.METRIC_ENTRIES_CLAIMED, new SimpleCounter());
        group.setPendingRecordsGauge(this::pendingRecords);
    }

    Counter gaps() {
        return gaps;
    }

    Counter claims() {
        return claims;
    }

    /** The values of stream {@code splitId}, registering its gauges the first time. */
    Stream stream(String splitId) {
        return streams.computeIfAbsent(
                splitId,
                id -> {
                    Stream s = new Stream();
                    MetricGroup g = group.addGroup("stream", id);
                    g.gauge("lag", () -> s.lag);
                    if (consumerGroup) {
                        g.gauge("pending", () -> s.pending);
                    }
                    return s;
                });
    }

    /** A stream no longer read by this reader: its gauges say -1. */
    void removed(String splitId) {
        Stream s = streams.get(splitId);
        if (s != null) {
            s.lag = -1;
            s.pending = -1;
        }
    }

    private Long pendingRecords() {
        long sum = 0;
        for (Stream s : streams.values()) {
            if (s.lag > 0) {
                sum += s.lag;
            }
        }
        return sum;
    }
}
