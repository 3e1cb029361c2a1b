package io.github.flinkredis.connector.source.reader;

import io.github.flinkredis.connector.client.RedisTimeSeriesCommand;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.TimeSeriesBucketTimestamp;
import io.github.flinkredis.connector.model.RedisMemberRange;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.model.RedisRecord;
import io.github.flinkredis.connector.model.RedisTimeSeriesAggregation;
import io.github.flinkredis.connector.model.RedisTimeWindows;
import io.github.flinkredis.connector.source.split.RedisScanSplit;
import io.github.flinkredis.connector.types.stream.RedisStreamEntries;
import io.github.flinkredis.connector.types.stream.RedisStreamRangeOutput;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.ValueScanCursor;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.ScoredValueListOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import javax.annotation.Nullable;

/**
 * Reads the members of sets, the elements of lists and the members of sorted sets in pages: the
 * commands of one page of one key, and the records of its reply.
 *
 * <ul>
 *   <li>set: {@code SSCAN key cursor COUNT n}; the position is the SSCAN cursor;
 *   <li>list: {@code LRANGE key start stop}, within the index range; the position is the index the
 *       page starts at;
 *   <li>zset: the first page of a score range is {@code ZRANGE key min max BYSCORE LIMIT offset n
 *       WITHSCORES} (with {@code ZCOUNT key -inf (min} for the rank of its first member), the pages
 *       after it, and every page without a score range, {@code ZRANGE key start stop WITHSCORES} by
 *       rank, which costs O(log N + n) however far into the set: the position is the rank the page
 *       starts at. Members beyond the score range (the set changed between pages) end the read;
 *       members below it are skipped;
 *   <li>stream: {@code XRANGE key start + COUNT n}, from {@code -} for the first page and after the
 *       last entry read ({@code (id}, exclusive) for the others; the position is that start;
 *   <li>timeseries: {@code TS.RANGE key from to [FILTER_BY_VALUE min max] COUNT n [ALIGN a
 *       AGGREGATION type bucket [BUCKETTIMESTAMP bt] [EMPTY]]}, from the range's start for the
 *       first page and from the millisecond after the last sample (or the start of the bucket after
 *       the last bucket) for the others; the position is that time.
 * </ul>
 *
 * <p>A position is a cursor and the number of the cursor's page members already emitted (the skip),
 * as {@link RedisScanSplit#memberCursor()} and {@link RedisScanSplit#memberSkip()} keep them. The
 * cursor of a key's first page is {@link RedisScanSplit#INITIAL_CURSOR}.
 */
final class RedisMemberPages {

    /**
     * The most members asked for in a key's first page, which is sent for every key of a batch in
     * one pipelined write: small keys are read in that one round trip, while the batch's memory
     * stays bounded; larger keys go on in pages of the configured size.
     */
    static final int FIRST_PAGE_SIZE = 128;

    private final RedisDataType dataType;
    private final int pageSize;
    private final RedisMemberRange range;
    @Nullable private final RedisTimeSeriesAggregation aggregation;
    private final boolean fetchLabels;

    /** The record's field names, and which value each holds: MEMBER/ELEMENT, SCORE, RANK, INDEX. */
    private final byte[][] fieldNames;

    private final String[] fields;

    /** For a series: which of {@link #fields} is the sample's timestamp (else its value). */
    private final boolean[] timestampFields;

    /** For a stream: the entry fields read (null: all); the other types use {@link #fields}. */
    private final byte[][] streamFields;

    RedisMemberPages(RedisReadSpec spec) {
        this.dataType = spec.dataType();
        this.pageSize = spec.memberPageSize();
        this.range = spec.memberRange();
        this.aggregation = spec.aggregation();
        this.fetchLabels = spec.fetchLabels();
        List<String> names = spec.fields();
        if (dataType == RedisDataType.STREAM) {
            this.fields = new String[0];
            this.fieldNames = new byte[0][];
            this.timestampFields = new boolean[0];
            if (names == null) {
                this.streamFields = null;
            } else {
                this.streamFields = new byte[names.size()][];
                for (int i = 0; i < names.size(); i++) {
                    streamFields[i] = names.get(i).getBytes(StandardCharsets.UTF_8);
                }
            }
            return;
        }
        this.streamFields = null;
        this.fields = names.toArray(new String[0]);
        this.fieldNames = new byte[fields.length][];
        this.timestampFields = new boolean[fields.length];
        for (int i = 0; i < fields.length; i++) {
            fieldNames[i] = fields[i].getBytes(StandardCharsets.UTF_8);
            timestampFields[i] = RedisReadSpec.TIMESTAMP.equals(fields[i]);
        }
    }

    /** The commands of one page, sent, and their replies once they arrive. */
    static final class Fetch {
        final byte[] key;
        final String cursor;
        final int skip;

        /** For list and zset: the index or rank the page starts at; -1 for a first BYSCORE page. */
        long start;

        /** Entries asked for (LRANGE, ZRANGE); 0 when nothing needs to be read. */
        long count;

        RedisFuture<ValueScanCursor<byte[]>> sscan;
        RedisFuture<List<byte[]>> lrange;
        RedisFuture<List<ScoredValue<byte[]>>> zrange;
        RedisFuture<Long> zcount;
        RedisFuture<List<StreamMessage<byte[], byte[]>>> xrange;
        RedisFuture<RedisTimeSeriesRangeOutput.Samples> tsrange;
        RedisFuture<List<Object>> tsinfo;

        /**
         * For a window of a series ({@link RedisTimeWindows}): its last millisecond; the page then
         * starts at the window's first ({@link #cursor}). -1 for a page of the next entries.
         */
        long windowTo = -1;

        Fetch(byte[] key, String cursor, int skip) {
            this.key = key;
            this.cursor = cursor;
            this.skip = skip;
        }

        void addFuturesTo(List<RedisFuture<?>> all) {
            if (sscan != null) {
                all.add(sscan);
            }
            if (lrange != null) {
                all.add(lrange);
            }
            if (zcount != null) {
                all.add(zcount);
            }
            if (zrange != null) {
                all.add(zrange);
            }
            if (xrange != null) {
                all.add(xrange);
            }
            if (tsrange != null) {
                all.add(tsrange);
            }
            if (tsinfo != null) {
                all.add(tsinfo);
            }
        }

        List<RedisFuture<?>> futures() {
            List<RedisFuture<?>> all = new ArrayList<>(2);
            addFuturesTo(all);
            return all;
        }

        String command() {
            return sscan != null
                    ? "SSCAN"
                    : zrange != null
                            ? "ZRANGE"
                            : xrange != null ? "XRANGE" : tsrange != null ? "TS.RANGE" : "LRANGE";
        }
    }

    /**
     * Sends the commands of the page of {@code key} at {@code cursor}, skipping its first {@code
     * skip} members.
     *
     * @param most the most members the caller still wants (a LIMIT), or -1
     */
    Fetch send(
            RedisClusterAsyncCommands<byte[], byte[]> commands,
            byte[] key,
            String cursor,
            int skip,
            long most) {
        return send(commands, key, cursor, skip, most, false);
    }

    /**
     * {@link #send(RedisClusterAsyncCommands, byte[], String, int, long)}; with {@code plan}, a
     * series' page also asks for {@code TS.INFO}, from which {@link #windows} plans the rest of the
     * read.
     */
    Fetch send(
            RedisClusterAsyncCommands<byte[], byte[]> commands,
            byte[] key,
            String cursor,
            int skip,
            long most,
            boolean plan) {
        Fetch f = new Fetch(key, cursor, skip);
        // a page's size depends on its cursor only, so that a restore reads the same page again
        int size =
                RedisScanSplit.INITIAL_CURSOR.equals(cursor)
                        ? Math.min(pageSize, FIRST_PAGE_SIZE)
                        : pageSize;
        long count = most < 0 ? size : Math.max(1, Math.min(size, most));
        switch (dataType) {
            case SET:
                // always the same COUNT: a restore must get the same page to skip its members
                f.sscan = commands.sscan(key, ScanCursor.of(cursor), ScanArgs.Builder.limit(size));
                break;
            case LIST:
                f.start = Math.max(range.firstIndex(), Long.parseLong(cursor) + skip);
                f.count =
                        range.lastIndex() == Long.MAX_VALUE
                                ? count
                                : Math.max(0, Math.min(count, range.lastIndex() - f.start + 1));
                if (f.count > 0) {
                    f.lrange = commands.lrange(key, f.start, f.start + f.count - 1);
                }
                break;
            case ZSET:
                f.count = count;
                if (range.isEmptyScoreRange()) {
                    f.count = 0;
                } else if (RedisScanSplit.INITIAL_CURSOR.equals(cursor) && range.hasScoreBounds()) {
                    f.start = -1;
                    if (range.hasMinScore()) {
                        // the members below the range: the rank of the first one in it
                        f.zcount =
                                commands.dispatch(
                                        CommandType.ZCOUNT,
                                        new IntegerOutput<>(ByteArrayCodec.INSTANCE),
                                        new CommandArgs<>(ByteArrayCodec.INSTANCE)
                                                .addKey(key)
                                                .add("-inf")
                                                .add(
                                                        bound(
                                                                range.minScore(),
                                                                !range.minInclusive())));
                    }
                    f.zrange =
                            commands.dispatch(
                                    CommandType.ZRANGE,
                                    new ScoredValueListOutput<>(ByteArrayCodec.INSTANCE),
                                    new CommandArgs<>(ByteArrayCodec.INSTANCE)
                                            .addKey(key)
                                            .add(bound(range.minScore(), range.minInclusive()))
                                            .add(bound(range.maxScore(), range.maxInclusive()))
                                            .add("BYSCORE")
                                            .add("LIMIT")
                                            .add(skip)
                                            .add(count)
                                            .add("WITHSCORES"));
                } else {
                    f.start = Long.parseLong(cursor) + skip;
                    f.zrange = commands.zrangeWithScores(key, f.start, f.start + count - 1);
                }
                break;
            case STREAM:
                {
                    long first = range.firstEntryMillis();
                    long last = range.lastEntryMillis();
                    f.count = first > last ? 0 : count;
                    if (f.count == 0) {
                        break;
                    }
                    // incomplete IDs: <ms> starts at <ms>-0 and ends at the last of that ms
                    String start =
                            !RedisScanSplit.INITIAL_CURSOR.equals(cursor)
                                    ? cursor
                                    : first > 0 ? Long.toString(first) : "-";
                    String end = last == Long.MAX_VALUE ? "+" : Long.toString(last);
                    f.xrange = RedisStreamRangeOutput.send(commands, key, start, end, skip + count);
                    break;
                }
            case TIMESERIES:
                sendTimeSeriesRange(
                        commands,
                        f,
                        RedisScanSplit.INITIAL_CURSOR.equals(cursor)
                                ? range.firstEntryMillis()
                                : Long.parseLong(cursor),
                        range.lastEntryMillis(),
                        count,
                        plan);
                break;
            default:
                throw new IllegalStateException(dataType + " has no members");
        }
        return f;
    }

    /**
     * {@code TS.RANGE key from to [FILTER_BY_VALUE min max] COUNT skip+n [ALIGN a AGGREGATION ...]}
     * for the page at {@code f.cursor}: the key's first page starts at the range's start, the
     * others at the time their cursor holds.
     */
    private void sendTimeSeriesRange(
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
                        .addKey(f.key)
                        .add(from == 0 ? "-" : Long.toString(from))
                        .add(last == Long.MAX_VALUE ? "+" : Long.toString(last));
        if (range.hasScoreBounds()) {
            args.add("FILTER_BY_VALUE")
                    .add(bound(range.minScore(), true))
                    .add(bound(range.maxScore(), true));
        }
        args.add("COUNT").add(f.skip + f.count);
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
                        RedisTimeSeriesCommand.TS_RANGE, new RedisTimeSeriesRangeOutput(), args);
        if (fetchLabels || info) {
            // with every page, so that a page read after a restore has the labels too
            f.tsinfo =
                    commands.dispatch(
                            RedisTimeSeriesCommand.TS_INFO,
                            new ArrayOutput<>(ByteArrayCodec.INSTANCE),
                            new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(f.key));
        }
    }

    /**
     * Whether the pages of a key after its second may be read in {@linkplain RedisTimeWindows time
     * windows}, several at once: raw samples of a series (aggregated buckets are few, and a window
     * must not cut a bucket).
     */
    boolean readsInWindows() {
        return dataType == RedisDataType.TIMESERIES && aggregation == null;
    }

    /**
     * Sends {@code TS.RANGE key from to [FILTER_BY_VALUE min max] COUNT n} of one window, {@code n}
     * being {@link RedisTimeWindows#maxEntries}.
     */
    Fetch sendWindow(
            RedisClusterAsyncCommands<byte[], byte[]> commands,
            byte[] key,
            RedisTimeWindows.Window window) {
        Fetch f = new Fetch(key, Long.toString(window.from()), 0);
        f.windowTo = window.to();
        sendTimeSeriesRange(
                commands,
                f,
                window.from(),
                window.to(),
                RedisTimeWindows.maxEntries(pageSize),
                false);
        return f;
    }

    /**
     * The windows of the rest of a series after {@code page}, planned from the {@code TS.INFO}
     * reply that came with it ({@code totalSamples}, {@code firstTimestamp}, {@code
     * lastTimestamp}).
     *
     * @throws IllegalArgumentException if the reply lacks those entries
     */
    RedisTimeWindows windows(List<Object> tsinfo, Page page) {
        return RedisTimeWindows.plan(
                Long.parseLong(page.nextCursor),
                range.lastEntryMillis(),
                RedisTimeSeriesReplies.infoLong(tsinfo, "totalSamples"),
                RedisTimeSeriesReplies.infoLong(tsinfo, "firstTimestamp"),
                RedisTimeSeriesReplies.infoLong(tsinfo, "lastTimestamp"),
                pageSize);
    }

    /**
     * A score bound as ZRANGE BYSCORE and ZCOUNT take it: {@code -inf}, {@code (1.5}, {@code 2.0};
     * inclusive, also a FILTER_BY_VALUE bound.
     */
    static String bound(double value, boolean inclusive) {
        String text =
                Double.isInfinite(value) ? (value > 0 ? "+inf" : "-inf") : Double.toString(value);
        return inclusive ? text : "(" + text;
    }

    /**
     * One page read: its records and where the key continues. The records are built when asked for
     * ({@link #record}), so that the next page can be sent before the work of building them.
     */
    static final class Page {
        private final IntFunction<RedisRecord> builder;

        /** For each record, the index in the reply it is built from. */
        private final int[] replyIndexes;

        /** The cursor the records' positions count from. */
        final String cursor;

        /** For each record, the members of the page at {@link #cursor} before it. */
        private final int[] positions;

        /** Where the next page starts, when this is not the key's last. */
        final String nextCursor;

        final boolean last;

        /**
         * For a page of a window: whether the window holds more than its reply carried; the next
         * page reads the rest of it, from {@link #nextCursor}.
         */
        boolean windowLeft;

        /**
         * @param builder the record of a reply index
         * @param replyIndexes for each record, its reply index; their positions are {@code
         *     positionBase} plus these
         */
        private Page(
                IntFunction<RedisRecord> builder,
                int[] replyIndexes,
                String cursor,
                String nextCursor,
                boolean last) {
            this(builder, replyIndexes, 0, cursor, nextCursor, last);
        }

        private Page(
                IntFunction<RedisRecord> builder,
                int[] replyIndexes,
                int positionBase,
                String cursor,
                String nextCursor,
                boolean last) {
            this.builder = builder;
            this.replyIndexes = replyIndexes;
            this.positions = new int[replyIndexes.length];
            for (int i = 0; i < replyIndexes.length; i++) {
                positions[i] = positionBase + replyIndexes[i];
            }
            this.cursor = cursor;
            this.nextCursor = nextCursor;
            this.last = last;
        }

        /** A key's last page without records, at {@code cursor}. */
        static Page emptyLast(String cursor) {
            return new Page(i -> null, new int[0], cursor, cursor, true);
        }

        /** The number of records. */
        int size() {
            return replyIndexes.length;
        }

        /** Record {@code i}, built now. */
        RedisRecord record(int i) {
            return builder.apply(replyIndexes[i]);
        }

        /** The skip, at {@link #cursor}, of the position right before record {@code i}. */
        int skipBefore(int i) {
            return positions[i];
        }

        /** The skip, at {@link #cursor}, of the position right after record {@code i}. */
        int skipAfter(int i) {
            return positions[i] + 1;
        }
    }

    /** The reply indexes {@code from} (inclusive) to {@code to} (exclusive). */
    private static int[] indexes(int from, int to) {
        int[] out = new int[Math.max(0, to - from)];
        for (int i = 0; i < out.length; i++) {
            out[i] = from + i;
        }
        return out;
    }

    /**
     * The page of a reply that arrived; its records are built when asked for.
     *
     * @param sscan the SSCAN reply, or null
     * @param lrange the LRANGE reply, or null
     * @param zrange the ZRANGE reply, or null
     * @param zcount the ZCOUNT reply (rank of the first member in the score range), or null
     * @param xrange the XRANGE reply, or null
     * @param tsrange the TS.RANGE reply, or null
     * @param tsinfo the TS.INFO reply (for the labels), or null
     * @throws IllegalArgumentException if the TS.RANGE reply is not a list of samples, or the
     *     TS.INFO reply has no labels
     */
    Page page(
            Fetch f,
            long ttl,
            ValueScanCursor<byte[]> sscan,
            List<byte[]> lrange,
            List<ScoredValue<byte[]>> zrange,
            Long zcount,
            List<StreamMessage<byte[], byte[]>> xrange,
            RedisTimeSeriesRangeOutput.Samples tsrange,
            List<Object> tsinfo) {
        switch (dataType) {
            case TIMESERIES:
                {
                    if (tsrange == null) {
                        return Page.emptyLast(f.cursor);
                    }
                    RedisTimeSeriesRangeOutput.Samples samples = tsrange.check();
                    Map<String, String> labels =
                            tsinfo == null || !fetchLabels
                                    ? null
                                    : RedisTimeSeriesReplies.labels(tsinfo);
                    boolean last = samples.size() < f.skip + f.count;
                    boolean windowLeft = false;
                    if (f.windowTo >= 0) {
                        // a full reply leaves part of its window, unless it reached its end
                        windowLeft = !last && samples.timestamp(samples.size() - 1) < f.windowTo;
                        last = !windowLeft && f.windowTo >= range.lastEntryMillis();
                    }
                    String next =
                            f.windowTo >= 0 && !windowLeft && !last
                                    ? Long.toString(f.windowTo + 1)
                                    : f.cursor;
                    if (samples.size() > 0 && (f.windowTo < 0 || windowLeft)) {
                        long t = samples.timestamp(samples.size() - 1);
                        next =
                                Long.toString(
                                        aggregation == null
                                                ? t + 1
                                                : aggregation.bucketOfRow(t)
                                                        + aggregation.bucketMillis());
                    }
                    Page page =
                            new Page(
                                    j ->
                                            sample(
                                                    f.key,
                                                    ttl,
                                                    samples.timestamp(j),
                                                    samples.value(j),
                                                    labels),
                                    indexes(f.skip, samples.size()),
                                    f.cursor,
                                    next,
                                    last);
                    page.windowLeft = windowLeft;
                    return page;
                }
            case STREAM:
                {
                    if (xrange == null) {
                        return Page.emptyLast(f.cursor);
                    }
                    // the page's entries from skip on (a restore reads the same page again)
                    boolean last = xrange.size() < f.skip + f.count;
                    String next =
                            xrange.isEmpty()
                                    ? f.cursor
                                    : "(" + xrange.get(xrange.size() - 1).getId();
                    return new Page(
                            j -> RedisStreamEntries.record(f.key, ttl, xrange.get(j), streamFields),
                            indexes(f.skip, xrange.size()),
                            f.cursor,
                            next,
                            last);
                }
            case SET:
                {
                    List<byte[]> members = sscan.getValues();
                    return new Page(
                            j -> record(f.key, ttl, members.get(j), 0, 0),
                            indexes(f.skip, members.size()),
                            f.cursor,
                            sscan.getCursor(),
                            sscan.isFinished());
                }
            case LIST:
                {
                    if (lrange == null) {
                        return Page.emptyLast(f.cursor);
                    }
                    long next = f.start + lrange.size();
                    boolean last = lrange.size() < f.count || next - 1 >= range.lastIndex();
                    return new Page(
                            j -> record(f.key, ttl, lrange.get(j), 0, f.start + j),
                            indexes(0, lrange.size()),
                            Long.toString(f.start),
                            Long.toString(next),
                            last);
                }
            case ZSET:
                {
                    if (zrange == null) {
                        return Page.emptyLast(f.cursor);
                    }
                    long firstRank;
                    String cursor;
                    int skipBase;
                    if (f.start < 0) {
                        // the first page of a score range, at offset skip in the range
                        firstRank = (zcount == null ? 0 : zcount) + f.skip;
                        cursor = RedisScanSplit.INITIAL_CURSOR;
                        skipBase = f.skip;
                    } else {
                        firstRank = f.start;
                        cursor = Long.toString(f.start);
                        skipBase = 0;
                    }
                    boolean last = zrange.size() < f.count;
                    int[] inRange = new int[zrange.size()];
                    int n = 0;
                    for (int i = 0; i < zrange.size(); i++) {
                        double score = zrange.get(i).getScore();
                        if (range.isAboveMax(score)) {
                            last = true;
                            break;
                        }
                        if (!range.isAboveMin(score)) {
                            continue; // below the range: the set changed since the first page
                        }
                        inRange[n++] = i;
                    }
                    String next = Long.toString(firstRank + zrange.size());
                    return new Page(
                            j ->
                                    record(
                                            f.key,
                                            ttl,
                                            zrange.get(j).getValue(),
                                            zrange.get(j).getScore(),
                                            firstRank + j),
                            Arrays.copyOf(inRange, n),
                            skipBase,
                            cursor,
                            next,
                            last);
                }
            default:
                throw new IllegalStateException(dataType + " has no members");
        }
    }

    /** A timeseries sample's record: its timestamp (ms) and value, as numbers. */
    private RedisRecord sample(
            byte[] key, long ttl, long timestamp, double value, Map<String, String> labels) {
        return RedisRecord.ofSample(
                key, fieldNames, timestampFields, timestamp, value, ttl, labels);
    }

    private RedisRecord record(byte[] key, long ttl, byte[] value, double score, long position) {
        byte[][] values = new byte[fields.length][];
        for (int i = 0; i < fields.length; i++) {
            switch (fields[i]) {
                case RedisReadSpec.MEMBER:
                case RedisReadSpec.ELEMENT:
                    values[i] = value;
                    break;
                case RedisReadSpec.SCORE:
                    values[i] = ascii(Double.toString(score));
                    break;
                default: // RANK, INDEX
                    values[i] = ascii(Long.toString(position));
                    break;
            }
        }
        return new RedisRecord(key, fieldNames, values, ttl);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
