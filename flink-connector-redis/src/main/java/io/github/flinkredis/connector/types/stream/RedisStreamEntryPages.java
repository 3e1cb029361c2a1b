package io.github.flinkredis.connector.types.stream;

import io.github.flinkredis.connector.model.RedisMemberRange;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.model.RedisRecord;
import io.github.flinkredis.connector.types.spi.RedisMemberFetch;
import io.github.flinkredis.connector.types.spi.RedisMemberPage;
import io.github.flinkredis.connector.types.spi.RedisMemberPaging;
import io.github.flinkredis.connector.types.spi.RedisMemberRead;
import io.github.flinkredis.connector.types.spi.RedisMemberReplies;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;

/**
 * The entries of streams read as a bounded scan, in pages of {@code XRANGE key start end COUNT
 * skip+n}: from {@code -} (or the range's first millisecond) for the first page and after the last
 * entry read ({@code (id}, exclusive) for the others; the position is that start. An incomplete ID
 * {@code <ms>} starts at {@code <ms>-0} and ends at the last entry of that millisecond.
 */
@Internal
final class RedisStreamEntryPages implements RedisMemberRead {

    private final int pageSize;
    private final RedisMemberRange range;

    /** The entry fields read; null: all of each entry's. */
    @Nullable private final byte[][] fields;

    RedisStreamEntryPages(RedisReadSpec spec) {
        this.pageSize = spec.memberPageSize();
        this.range = spec.memberRange();
        List<String> names = spec.fields();
        if (names == null) {
            this.fields = null;
        } else {
            this.fields = new byte[names.size()][];
            for (int i = 0; i < names.size(); i++) {
                fields[i] = names.get(i).getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    @Override
    public RedisMemberFetch send(
            RedisClusterAsyncCommands<byte[], byte[]> commands,
            byte[] key,
            String cursor,
            int skip,
            long most) {
        long first = range.firstEntryMillis();
        long last = range.lastEntryMillis();
        if (first > last) {
            return new Fetch(key, cursor, skip, 0, null);
        }
        long count = RedisMemberPaging.count(RedisMemberPaging.pageSize(pageSize, cursor), most);
        String start =
                !RedisMemberPaging.isFirst(cursor)
                        ? cursor
                        : first > 0 ? Long.toString(first) : "-";
        String end = last == Long.MAX_VALUE ? "+" : Long.toString(last);
        return new Fetch(
                key,
                cursor,
                skip,
                count,
                RedisStreamRangeOutput.send(commands, key, start, end, skip + count));
    }

    /** One XRANGE sent, or none when the range is empty. */
    private final class Fetch extends RedisMemberFetch {
        /** Entries asked for after the skip; 0 when nothing needs to be read. */
        private final long count;

        private final RedisFuture<List<StreamMessage<byte[], byte[]>>> xrange;

        Fetch(
                byte[] key,
                String cursor,
                int skip,
                long count,
                RedisFuture<List<StreamMessage<byte[], byte[]>>> xrange) {
            super(RedisStreamEntryPages.this, key, cursor, skip);
            this.count = count;
            this.xrange = xrange;
        }

        @Override
        public void addFuturesTo(List<RedisFuture<?>> all) {
            if (xrange != null) {
                all.add(xrange);
            }
        }

        @Override
        public RedisMemberPage receive(RedisMemberReplies replies, long ttl) throws IOException {
            if (xrange == null) {
                return RedisMemberPage.emptyLast(cursor());
            }
            List<StreamMessage<byte[], byte[]>> entries = replies.get(xrange, key(), "XRANGE");
            if (entries == null) {
                return null;
            }
            // the page's entries from skip on (a restore reads the same page again)
            boolean last = entries.size() < skip() + count;
            String next =
                    entries.isEmpty() ? cursor() : "(" + entries.get(entries.size() - 1).getId();
            return new Page(key(), ttl, entries, skip(), cursor(), next, last);
        }
    }

    /** The entries of one XRANGE reply, from the skip on. */
    private final class Page extends RedisMemberPage {
        private final byte[] key;
        private final long ttl;
        private final List<StreamMessage<byte[], byte[]>> entries;

        Page(
                byte[] key,
                long ttl,
                List<StreamMessage<byte[], byte[]>> entries,
                int skip,
                String cursor,
                String nextCursor,
                boolean last) {
            super(RedisMemberPaging.indexes(skip, entries.size()), 0, cursor, nextCursor, last);
            this.key = key;
            this.ttl = ttl;
            this.entries = entries;
        }

        @Override
        protected RedisRecord build(int replyIndex) {
            return RedisStreamEntries.record(key, ttl, entries.get(replyIndex), fields);
        }
    }
}
