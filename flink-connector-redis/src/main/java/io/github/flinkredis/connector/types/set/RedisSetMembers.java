package io.github.flinkredis.connector.types.set;

import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.model.RedisRecord;
import io.github.flinkredis.connector.types.spi.RedisMemberFetch;
import io.github.flinkredis.connector.types.spi.RedisMemberFields;
import io.github.flinkredis.connector.types.spi.RedisMemberPage;
import io.github.flinkredis.connector.types.spi.RedisMemberPaging;
import io.github.flinkredis.connector.types.spi.RedisMemberRead;
import io.github.flinkredis.connector.types.spi.RedisMemberReplies;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ValueScanCursor;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.util.List;
import org.apache.flink.annotation.Internal;

/**
 * The members of sets, in pages of {@code SSCAN key cursor COUNT n}; the position is the SSCAN
 * cursor. The COUNT is always the same for a cursor, so that a restore gets the same page again to
 * skip its members; the LIMIT does not shorten a page.
 */
@Internal
final class RedisSetMembers implements RedisMemberRead {

    private final int pageSize;
    private final RedisMemberFields fields;

    RedisSetMembers(RedisReadSpec spec) {
        this.pageSize = spec.memberPageSize();
        this.fields = new RedisMemberFields(spec.fields());
    }

    @Override
    public RedisMemberFetch send(
            RedisClusterAsyncCommands<byte[], byte[]> commands,
            byte[] key,
            String cursor,
            int skip,
            long most) {
        int size = RedisMemberPaging.pageSize(pageSize, cursor);
        return new Fetch(
                key,
                cursor,
                skip,
                commands.sscan(key, ScanCursor.of(cursor), ScanArgs.Builder.limit(size)));
    }

    /** One SSCAN sent. */
    private final class Fetch extends RedisMemberFetch {
        private final RedisFuture<ValueScanCursor<byte[]>> sscan;

        Fetch(byte[] key, String cursor, int skip, RedisFuture<ValueScanCursor<byte[]>> sscan) {
            super(RedisSetMembers.this, key, cursor, skip);
            this.sscan = sscan;
        }

        @Override
        public void addFuturesTo(List<RedisFuture<?>> all) {
            all.add(sscan);
        }

        @Override
        public RedisMemberPage receive(RedisMemberReplies replies, long ttl) throws IOException {
            ValueScanCursor<byte[]> reply = replies.get(sscan, key(), "SSCAN");
            if (reply == null) {
                return null;
            }
            List<byte[]> members = reply.getValues();
            return new Page(
                    key(),
                    ttl,
                    members,
                    RedisMemberPaging.indexes(skip(), members.size()),
                    cursor(),
                    reply.getCursor(),
                    reply.isFinished());
        }
    }

    /** The members of one SSCAN reply, from the skip on. */
    private final class Page extends RedisMemberPage {
        private final byte[] key;
        private final long ttl;
        private final List<byte[]> members;

        Page(
                byte[] key,
                long ttl,
                List<byte[]> members,
                int[] replyIndexes,
                String cursor,
                String nextCursor,
                boolean last) {
            super(replyIndexes, 0, cursor, nextCursor, last);
            this.key = key;
            this.ttl = ttl;
            this.members = members;
        }

        @Override
        protected RedisRecord build(int replyIndex) {
            return fields.record(key, ttl, members.get(replyIndex), 0, 0);
        }
    }
}
