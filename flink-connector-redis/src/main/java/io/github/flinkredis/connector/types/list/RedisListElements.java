package io.github.flinkredis.connector.types.list;

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
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.util.List;
import org.apache.flink.annotation.Internal;

/**
 * The elements of lists, in pages of {@code LRANGE key start stop} within the read's index range;
 * the position is the index the page starts at.
 */
@Internal
final class RedisListElements implements RedisMemberRead {

    private final int pageSize;
    private final RedisMemberRange range;
    private final RedisMemberFields fields;

    RedisListElements(RedisReadSpec spec) {
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
        long start = Math.max(range.firstIndex(), Long.parseLong(cursor) + skip);
        if (range.lastIndex() != Long.MAX_VALUE) {
            count = Math.max(0, Math.min(count, range.lastIndex() - start + 1));
        }
        RedisFuture<List<byte[]>> lrange =
                count > 0 ? commands.lrange(key, start, start + count - 1) : null;
        return new Fetch(key, cursor, skip, start, count, lrange);
    }

    /** One LRANGE sent, or none when the range holds no more elements. */
    private final class Fetch extends RedisMemberFetch {
        /** The index the page starts at. */
        private final long start;

        /** Elements asked for; 0 when nothing needs to be read. */
        private final long count;

        private final RedisFuture<List<byte[]>> lrange;

        Fetch(
                byte[] key,
                String cursor,
                int skip,
                long start,
                long count,
                RedisFuture<List<byte[]>> lrange) {
            super(RedisListElements.this, key, cursor, skip);
            this.start = start;
            this.count = count;
            this.lrange = lrange;
        }

        @Override
        public void addFuturesTo(List<RedisFuture<?>> all) {
            if (lrange != null) {
                all.add(lrange);
            }
        }

        @Override
        public RedisMemberPage receive(RedisMemberReplies replies, long ttl) throws IOException {
            if (lrange == null) {
                return RedisMemberPage.emptyLast(cursor());
            }
            List<byte[]> elements = replies.get(lrange, key(), "LRANGE");
            if (elements == null) {
                return null;
            }
            long next = start + elements.size();
            boolean last = elements.size() < count || next - 1 >= range.lastIndex();
            return new Page(key(), ttl, elements, start, Long.toString(next), last);
        }
    }

    /** The elements of one LRANGE reply; their positions count from the index it starts at. */
    private final class Page extends RedisMemberPage {
        private final byte[] key;
        private final long ttl;
        private final List<byte[]> elements;
        private final long start;

        Page(
                byte[] key,
                long ttl,
                List<byte[]> elements,
                long start,
                String nextCursor,
                boolean last) {
            super(
                    RedisMemberPaging.indexes(0, elements.size()),
                    0,
                    Long.toString(start),
                    nextCursor,
                    last);
            this.key = key;
            this.ttl = ttl;
            this.elements = elements;
            this.start = start;
        }

        @Override
        protected RedisRecord build(int replyIndex) {
            return fields.record(key, ttl, elements.get(replyIndex), 0, start + replyIndex);
        }
    }
}
