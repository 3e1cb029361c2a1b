package io.github.flinkredis.connector.types.timeseries;

import io.github.flinkredis.connector.client.RedisModuleCommand;
import io.github.flinkredis.connector.config.TimeSeriesBucketTimestamp;
import io.github.flinkredis.connector.model.RedisMemberRange;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.model.RedisRecord;
import io.github.flinkredis.connector.model.RedisTimeSeriesAggregation;
import io.github.flinkredis.connector.model.RedisTimeWindows;
import io.github.flinkredis.connector.types.spi.RedisMemberFetch;
import io.github.flinkredis.connector.types.spi.RedisMemberPage;
import io.github.flinkredis.connector.types.spi.RedisMemberPaging;
import io.github.flinkredis.connector.types.spi.RedisMemberRead;
import io.github.flinkredis.connector.types.spi.RedisMemberReplies;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.protocol.CommandArgs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;

/**
 * The samples (or aggregated buckets) of series, in pages of {@code TS.RANGE key from to
 * [FILTER_BY_VALUE min max] COUNT skip+n [ALIGN a AGGREGATION type bucket [BUCKETTIMESTAMP bt]
 * [EMPTY]]}: from the range's start for the first page and from the millisecond after the last
 * sample (or the start of the bucket after the last bucket) for the others; the position is that
 * time. With labels read, each page also sends {@code TS.INFO key}.
 *
 * <p>Raw samples read without a LIMIT go on after the second page in {@linkplain RedisTimeWindows
 * time windows}: the second page also asks for {@code TS.INFO}, from which the windows of the rest
 * of the series are planned ({@code totalSamples}, {@code firstTimestamp}, {@code lastTimestamp}),
 * and {@link RedisTimeWindows#IN_FLIGHT} windows are kept asked for at once; a window whose reply
 * was full is read on from its last sample before the next window.
 */
@Internal
final class RedisTimeSeriesSamples implements RedisMemberRead {

    private final int pageSize;
    private final RedisMemberRange range;
    @Nullable private final RedisTimeSeriesAggregation aggregation;
    private final boolean fetchLabels;

    /** The record's field names. */
    private final byte[][] fieldNames;

    /** Which of {@link #fieldNames} is the sample's timestamp (else its value). */
    private final boolean[] timestampFields;

    RedisTimeSeriesSamples(RedisReadSpec spec) {
        this.pageSize = spec.memberPageSize();
        this.range = spec.memberRange();
        this.aggregation = spec.aggregation();
        this.fetchLabels = spec.fetchLabels();
        List<String> fields = spec.fields();
        this.fieldNames = new byte[fields.size()][];
        this.timestampFields = new boolean[fields.size()];
        for (int i = 0; i < fieldNames.length; i++) {
            fieldNames[i] = fields.get(i).getBytes(StandardCharsets.UTF_8);
            timestampFields[i] = RedisReadSpec.TIMESTAMP.equals(fields.get(i));
        }
    }

    @Override
    public RedisMemberFetch send(
            RedisClusterAsyncCommands<byte[], byte[]> commands,
            byte[] key,
            String cursor,
            int skip,
            long most) {
        return send(commands, key, cursor, skip, most, false);
    }

    /**
     * {@link #send(RedisClusterAsyncCommands, byte[], String, int, long)}; with {@code plan}, the
     * page also asks for {@code TS.INFO}, from which the windows of the rest are planned.
     */
    private Fetch send(
            RedisClusterAsyncCommands<byte[], byte[]> commands,
            byte[] key,
            String cursor,
            int skip,
            long most,
            boolean plan) {
        Fetch f = new Fetch(key, cursor, skip, -1);
        long from =
                RedisMemberPaging.isFirst(cursor)
                        ? range.firstEntryMillis()
                        : Long.parseLong(cursor);
        long count = RedisMemberPaging.count(RedisMemberPaging.pageSize(pageSize, cursor), most);
        sendRange(commands, f, from, range.lastEntryMillis(), count, plan);
        return f;
    }

    /**
     * Sends {@code TS.RANGE key from to [FILTER_BY_VALUE min max] COUNT n} of one window, {@code n}
     * being {@link RedisTimeWindows#maxEntries}.
     */
    private Fetch sendWindow(
            RedisClusterAsyncCommands<byte[], byte[]> commands,
            byte[] key,
            RedisTimeWindows.Window window) {
        Fetch f = new Fetch(key, Long.toString(window.from()), 0, window.to());
        sendRange(
                commands,
                f,
                window.from(),
                window.to(),
                RedisTimeWindows.maxEntries(pageSize),
                false);
        return f;
    }

    /**
     * {@code TS.RANGE key from to [FILTER_BY_VALUE min max] COUNT skip+n [ALIGN a AGGREGATION ...]}
     * for the page of {@code f}, and {@code TS.INFO key} with {@code info} or labels read.
     */
    private void sendRange(
            RedisClusterAsyncCommands<byte[], byte[]> commands,
            Fetch f,
            long from,
            long last,
            long count,
            boolean info) {
        f.count = from > last || range.isEmptyScoreRange() ? 0 : count;
        if (f.count == 0) {
            return;
        }
        CommandArgs<byte[], byte[]> args =
                new CommandArgs<>(ByteArrayCodec.INSTANCE)
                        .addKey(f.key())
                        .add(from == 0 ? "-" : Long.toString(from))
                        .add(last == Long.MAX_VALUE ? "+" : Long.toString(last));
        if (range.hasScoreBounds()) {
            args.add("FILTER_BY_VALUE")
                    .add(RedisMemberPaging.bound(range.minScore(), true))
                    .add(RedisMemberPaging.bound(range.maxScore(), true));
        }
        args.add("COUNT").add(f.skip() + f.count);
        if (aggregation != null) {
            args.add("ALIGN")
                    .add(aggregation.alignMillis())
                    .add("AGGREGATION")
                    .add(aggregation.aggregator().toString())
                    .add(aggregation.bucketMillis());
            if (aggregation.bucketTimestamp() != TimeSeriesBucketTimestamp.START) {
                args.add("BUCKETTIMESTAMP").add(aggregation.bucketTimestamp().argument());
            }
            if (aggregation.empty()) {
                args.add("EMPTY");
            }
        }
        f.tsrange =
                commands.dispatch(
                        RedisModuleCommand.TS_RANGE, new RedisTimeSeriesRangeOutput(), args);
        if (fetchLabels || info) {
            // with every page, so that a page read after a restore has the labels too
            f.tsinfo =
                    commands.dispatch(
                            RedisModuleCommand.TS_INFO,
                            new ArrayOutput<>(ByteArrayCodec.INSTANCE),
                            new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(f.key()));
        }
    }

    /**
     * The windows of the rest of a series from {@code from}, planned from a {@code TS.INFO} reply.
     *
     * @throws IllegalArgumentException if the reply lacks the entries needed
     */
    private RedisTimeWindows windows(List<Object> tsinfo, long from) {
        return RedisTimeWindows.plan(
                from,
                range.lastEntryMillis(),
                RedisTimeSeriesReplies.infoLong(tsinfo, "totalSamples"),
                RedisTimeSeriesReplies.infoLong(tsinfo, "firstTimestamp"),
                RedisTimeSeriesReplies.infoLong(tsinfo, "lastTimestamp"),
                pageSize);
    }

    /** The commands of one page or window sent, and what the read plans after it. */
    private final class Fetch extends RedisMemberFetch {
        /** Samples asked for after the skip; 0 when nothing needs to be read. */
        long count;

        RedisFuture<RedisTimeSeriesRangeOutput.Samples> tsrange;
        RedisFuture<List<Object>> tsinfo;

        /**
         * For a window: its last millisecond; the page then starts at the window's first ({@link
         * #cursor()}). -1 for a page of the next samples.
         */
        private final long windowTo;

        /**
         * Once received, for a window: whether it holds more than its reply carried; the next page
         * reads the rest of it.
         */
        private boolean windowLeft;

        /** The windows of the key not asked for yet after this page; null when not planned. */
        @Nullable private RedisTimeWindows windows;

        /** The windows asked for after this page, in order; null for none. */
        @Nullable private ArrayDeque<Fetch> ahead;

        Fetch(byte[] key, String cursor, int skip, long windowTo) {
            super(RedisTimeSeriesSamples.this, key, cursor, skip);
            this.windowTo = windowTo;
        }

        @Override
        public void addFuturesTo(List<RedisFuture<?>> all) {
            if (tsrange != null) {
                all.add(tsrange);
            }
            if (tsinfo != null) {
                all.add(tsinfo);
            }
        }

        @Override
        public RedisMemberPage receive(RedisMemberReplies replies, long ttl) throws IOException {
            RedisTimeSeriesRangeOutput.Samples reply =
                    tsrange == null ? null : replies.get(tsrange, key(), "TS.RANGE");
            List<Object> info = tsinfo == null ? null : replies.get(tsinfo, key(), "TS.INFO");
            if ((tsrange != null && reply == null) || (tsinfo != null && info == null)) {
                return null;
            }
            if (tsrange == null) {
                return RedisMemberPage.emptyLast(cursor());
            }
            try {
                RedisTimeSeriesRangeOutput.Samples samples = reply.check();
                Map<String, String> labels =
                        info == null || !fetchLabels ? null : RedisTimeSeriesReplies.labels(info);
                return page(samples, labels, ttl);
            } catch (IllegalArgumentException e) {
                throw replies.malformed(
                        key(),
                        "TS.RANGE",
                        " answered what is not a series' samples or labels: " + e.getMessage(),
                        e);
            }
        }

        private RedisMemberPage page(
                RedisTimeSeriesRangeOutput.Samples samples,
                @Nullable Map<String, String> labels,
                long ttl) {
            boolean last = samples.size() < skip() + count;
            windowLeft = false;
            if (windowTo >= 0) {
                // a full reply leaves part of its window, unless it reached its end
                windowLeft = !last && samples.timestamp(samples.size() - 1) < windowTo;
                last = !windowLeft && windowTo >= range.lastEntryMillis();
            }
            String next =
                    windowTo >= 0 && !windowLeft && !last ? Long.toString(windowTo + 1) : cursor();
            if (samples.size() > 0 && (windowTo < 0 || windowLeft)) {
                long t = samples.timestamp(samples.size() - 1);
                next =
                        Long.toString(
                                aggregation == null
                                        ? t + 1
                                        : aggregation.bucketOfRow(t) + aggregation.bucketMillis());
            }
            return new Page(key(), ttl, samples, labels, skip(), cursor(), next, last);
        }

        @Override
        public RedisMemberFetch sendNext(
                RedisClusterAsyncCommands<byte[], byte[]> commands,
                RedisMemberPage page,
                long most,
                RedisMemberReplies replies)
                throws IOException {
            boolean windowed = most < 0 && aggregation == null;
            RedisTimeWindows plan = windows;
            ArrayDeque<Fetch> queue = ahead == null ? new ArrayDeque<>() : ahead;
            boolean planned = false;
            if (windowed && plan == null && tsinfo != null) {
                planned = true;
                List<Object> info = replies.get(tsinfo, key(), "TS.INFO");
                try {
                    plan = windows(info, Long.parseLong(page.nextCursor()));
                } catch (IllegalArgumentException e) {
                    throw replies.malformed(key(), "TS.INFO", ": " + e.getMessage(), e);
                }
            }
            Fetch next;
            if (windowLeft) {
                // the rest of this window, before the windows asked for after it
                next =
                        sendWindow(
                                commands,
                                key(),
                                new RedisTimeWindows.Window(
                                        Long.parseLong(page.nextCursor()), windowTo));
            } else if (!queue.isEmpty() && queue.peek().cursor().equals(page.nextCursor())) {
                next = queue.poll();
            } else if (planned) {
                next = sendWindow(commands, key(), plan.next());
            } else {
                // not planned yet, or this page is not where the windows asked for go on (a page
                // sent again through the cluster connection): plan again from here
                queue.clear();
                plan = null;
                next = send(commands, key(), page.nextCursor(), 0, most, windowed);
            }
            while (plan != null
                    && plan.hasNext()
                    && queue.size() < RedisTimeWindows.IN_FLIGHT - 1) {
                queue.add(sendWindow(commands, key(), plan.next()));
            }
            next.windows = plan;
            next.ahead = queue;
            return next;
        }

        @Override
        public void continueFrom(RedisMemberFetch moved) {
            if (moved instanceof Fetch before) {
                windows = before.windows;
                ahead = before.ahead;
            }
        }
    }

    /** The samples of one TS.RANGE reply, from the skip on. */
    private final class Page extends RedisMemberPage {
        private final byte[] key;
        private final long ttl;
        private final RedisTimeSeriesRangeOutput.Samples samples;
        @Nullable private final Map<String, String> labels;

        Page(
                byte[] key,
                long ttl,
                RedisTimeSeriesRangeOutput.Samples samples,
                @Nullable Map<String, String> labels,
                int skip,
                String cursor,
                String nextCursor,
                boolean last) {
            super(RedisMemberPaging.indexes(skip, samples.size()), 0, cursor, nextCursor, last);
            this.key = key;
            this.ttl = ttl;
            this.samples = samples;
            this.labels = labels;
        }

        @Override
        protected RedisRecord build(int replyIndex) {
            return RedisRecord.ofSample(
                    key,
                    fieldNames,
                    timestampFields,
                    samples.timestamp(replyIndex),
                    samples.value(replyIndex),
                    ttl,
                    labels);
        }
    }
}
