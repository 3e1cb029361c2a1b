package io.github.flinkredis.connector.types.zset;

import io.github.flinkredis.connector.model.RedisMemberRange;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.model.RedisRecord;
import io.github.flinkredis.connector.types.spi.RedisMemberFetch;
import io.github.flinkredis.connector.types.spi.RedisMemberFields;
import io.github.flinkredis.connector.types.spi.RedisMemberPage;
import io.github.flinkredis.connector.types.spi.RedisMemberPaging;
import io.github.flinkredis.connector.types.spi.RedisMemberRead;
import io.github.flinkredis.connector.types.spi.RedisMemberReplies;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.ScoredValueListOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.annotation.Internal;

/**
 * The members of sorted sets, in pages. The first page of a score range is {@code ZRANGE key min
 * max BYSCORE LIMIT offset n WITHSCORES} (with {@code ZCOUNT key -inf (min} for the rank of its
 * first member); the pages after it, and every page without a score range, are {@code ZRANGE key
 * start stop WITHSCORES} by rank, which costs O(log N + n) however far into the set: the position
 * is the rank the page starts at. Members beyond the score range (the set changed between pages)
 * end the read; members below it are skipped.
 */
@Internal
final class RedisSortedSetMembers implements RedisMemberRead {

    private final int pageSize;
    private final RedisMemberRange range;
    private final RedisMemberFields fields;

    RedisSortedSetMembers(RedisReadSpec spec) {
        this.pageSize = spec.memberPageSize();
        this.range = spec.memberRange();
        this.fields = new RedisMemberFields(spec.fields());
    }

    @Override
    public RedisMemberFetch send(
            RedisClusterAsyncCommands<byte[], byte[]> commands,
            byte[] key,
            String cursor,
            int skip,
            long most) {
        long count = RedisMemberPaging.count(RedisMemberPaging.pageSize(pageSize, cursor), most);
        if (range.isEmptyScoreRange()) {
            return new Fetch(key, cursor, skip, 0, 0, null, null);
        }
        if (RedisMemberPaging.isFirst(cursor) && range.hasScoreBounds()) {
            RedisFuture<Long> zcount = null;
            if (range.hasMinScore()) {
                // the members below the range: the rank of the first one in it
                zcount =
                        commands.dispatch(
                                CommandType.ZCOUNT,
                                new IntegerOutput<>(ByteArrayCodec.INSTANCE),
                                new CommandArgs<>(ByteArrayCodec.INSTANCE)
                                        .addKey(key)
                                        .add("-inf")
                                        .add(bound(range.minScore(), !range.minInclusive())));
            }
            RedisFuture<List<ScoredValue<byte[]>>> zrange =
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
            return new Fetch(key, cursor, skip, -1, count, zrange, zcount);
        }
        long start = Long.parseLong(cursor) + skip;
        return new Fetch(
                key,
                cursor,
                skip,
                start,
                count,
                commands.zrangeWithScores(key, start, start + count - 1),
                null);
    }

    private static String bound(double value, boolean inclusive) {
        return RedisMemberPaging.bound(value, inclusive);
    }

    /** One ZRANGE sent (with ZCOUNT for the first page of a score range), or none. */
    private final class Fetch extends RedisMemberFetch {
        /** The rank the page starts at; -1 for a first BYSCORE page. */
        private final long start;

        /** Members asked for; 0 when nothing needs to be read. */
        private final long count;

        private final RedisFuture<List<ScoredValue<byte[]>>> zrange;
        private final RedisFuture<Long> zcount;

        Fetch(
                byte[] key,
                String cursor,
                int skip,
                long start,
                long count,
                RedisFuture<List<ScoredValue<byte[]>>> zrange,
                RedisFuture<Long> zcount) {
            super(RedisSortedSetMembers.this, key, cursor, skip);
            this.start = start;
            this.count = count;
            this.zrange = zrange;
            this.zcount = zcount;
        }

        @Override
        public void addFuturesTo(List<RedisFuture<?>> all) {
            if (zcount != null) {
                all.add(zcount);
            }
            if (zrange != null) {
                all.add(zrange);
            }
        }

        @Override
        public RedisMemberPage receive(RedisMemberReplies replies, long ttl) throws IOException {
            List<ScoredValue<byte[]>> members =
                    zrange == null ? null : replies.get(zrange, key(), "ZRANGE");
            Long below = zcount == null ? null : replies.get(zcount, key(), "ZCOUNT");
            if ((zrange != null && members == null) || (zcount != null && below == null)) {
                return null;
            }
            if (zrange == null) {
                return RedisMemberPage.emptyLast(cursor());
            }
            long firstRank;
            String cursor;
            int skipBase;
            if (start < 0) {
                // the first page of a score range, at offset skip in the range
                firstRank = (below == null ? 0 : below) + skip();
                cursor = RedisMemberPaging.FIRST_CURSOR;
                skipBase = skip();
            } else {
                firstRank = start;
                cursor = Long.toString(start);
                skipBase = 0;
            }
            boolean last = members.size() < count;
            int[] inRange = new int[members.size()];
            int n = 0;
            for (int i = 0; i < members.size(); i++) {
                double score = members.get(i).getScore();
                if (range.isAboveMax(score)) {
                    last = true;
                    break;
                }
                if (!range.isAboveMin(score)) {
                    continue; // below the range: the set changed since the first page
                }
                inRange[n++] = i;
            }
            String next = Long.toString(firstRank + members.size());
            return new Page(
                    key(),
                    ttl,
                    members,
                    firstRank,
                    Arrays.copyOf(inRange, n),
                    skipBase,
                    cursor,
                    next,
                    last);
        }
    }

    /** The members of one ZRANGE reply in the score range; their ranks from {@code firstRank}. */
    private final class Page extends RedisMemberPage {
        private final byte[] key;
        private final long ttl;
        private final List<ScoredValue<byte[]>> members;
        private final long firstRank;

        Page(
                byte[] key,
                long ttl,
                List<ScoredValue<byte[]>> members,
                long firstRank,
                int[] replyIndexes,
                int skipBase,
                String cursor,
                String nextCursor,
                boolean last) {
            super(replyIndexes, skipBase, cursor, nextCursor, last);
            this.key = key;
            this.ttl = ttl;
            this.members = members;
            this.firstRank = firstRank;
        }

        @Override
        protected RedisRecord build(int replyIndex) {
            ScoredValue<byte[]> member = members.get(replyIndex);
            return fields.record(
                    key, ttl, member.getValue(), member.getScore(), firstRank + replyIndex);
        }
    }
}
