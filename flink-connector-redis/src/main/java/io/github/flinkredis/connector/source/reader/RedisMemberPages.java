package io.github.flinkredis.connector.source.reader;

import io.github.flinkredis.connector.config.RedisEndpoint;
import io.github.flinkredis.connector.model.RedisRecord;
import io.github.flinkredis.connector.model.RedisText;
import io.github.flinkredis.connector.source.reader.RedisOpenKey.Held;
import io.github.flinkredis.connector.source.reader.RedisScanProgress.Batch;
import io.github.flinkredis.connector.types.spi.RedisMemberFetch;
import io.github.flinkredis.connector.types.spi.RedisMemberPage;
import io.github.flinkredis.connector.types.spi.RedisMemberReplies;
import io.lettuce.core.RedisFuture;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;

/**
 * The records of a batch of set, list, zset, stream or timeseries keys, member page by member page:
 * a key with more than one page becomes the {@linkplain RedisScanProgress#open open key}, read a
 * page per fetch with its last member held back, each record with the position in the key a
 * checkpoint taken after it resumes from.
 */
final class RedisMemberPages {

    private final RedisKeyBatches batches;
    private final RedisNodeReplies replies;
    private final RedisScanLimit limit;

    RedisMemberPages(RedisKeyBatches batches, RedisNodeReplies replies, RedisScanLimit limit) {
        this.batches = batches;
        this.replies = replies;
        this.limit = limit;
    }

    /**
     * Turns the replies of a batch of set, list or zset keys into records, key by key from {@code
     * batch.nextKey}: the first page of each key came with the batch. A key with more pages becomes
     * the {@linkplain RedisScanProgress#open open key}: this returns after its first page, with the
     * next page sent, and each later call returns one more page of it, until its last; then the
     * batch's other keys follow.
     */
    List<RedisScanRecord> receive(RedisScanProgress p, Batch batch) throws IOException {
        // records are only returned, and the position only advanced, if the whole call succeeds:
        // after a failure, reading goes on from where the last returned records left off
        int startKey = batch.nextKey;
        RedisOpenKey startOpen = p.open;
        try {
            return readMembers(p, batch);
        } catch (IOException | RuntimeException e) {
            batch.nextKey = startKey;
            p.open = startOpen;
            throw e;
        }
    }

    private List<RedisScanRecord> readMembers(RedisScanProgress p, Batch batch) throws IOException {
        List<RedisScanRecord> records = new ArrayList<>();
        if (p.open != null) {
            RedisOpenKey open = p.open;
            List<RedisKeyFetch> next = List.of(open.next);
            replies.awaitAll(RedisKeyFetch.futuresOf(next), p.connection);
            batches.followMoved(p, next);
            if (!emitPage(p, batch, open.next, open.ttl, open, records)) {
                return records;
            }
            batch.nextKey++;
        } else if (batch.nextKey == 0) {
            replies.awaitAll(RedisKeyFetch.futuresOf(batch.fetches), p.connection);
            batches.followMoved(p, batch.fetches);
        }
        for (; batch.nextKey < batch.keys.size(); batch.nextKey++) {
            if (limit.limit >= 0 && limit.produced + records.size() >= limit.limit) {
                break;
            }
            RedisKeyFetch f = batch.fetches.get(batch.nextKey);
            long ttl = RedisRecord.TTL_NOT_FETCHED;
            if (f.pttl != null) {
                Long t = replies.result(f.pttl, f.key, "PTTL", p.node);
                if (t == null || t == -2) {
                    continue; // deleted after SCAN
                }
                ttl = t;
            }
            if (!emitPage(p, batch, f, ttl, null, records)) {
                return records;
            }
        }
        return records;
    }

    /**
     * Adds the records of the member page that {@code f} read to {@code records}. Returns whether
     * that was the key's last page; if not, the key is left open with its next page sent.
     *
     * <p>The last member of a page that is not the key's last is held back until the next page
     * arrives: if that page is the last and empty (a list or sorted set whose size is a multiple of
     * the page size, a final empty SSCAN page, a key deleted or retyped meanwhile), the held member
     * is the key's last record, which marks the key as emitted in the split's state.
     *
     * @param open the open key whose page this is (with the member it holds back), or null
     */
    private boolean emitPage(
            RedisScanProgress p,
            Batch batch,
            RedisKeyFetch f,
            long ttl,
            RedisOpenKey open,
            List<RedisScanRecord> records)
            throws IOException {
        String node = p.node.toString();
        String pageCursor = batch.page.cursor;
        Held holding = open == null ? null : open.held;
        RedisRecord held = holding == null ? null : holding.record;
        MemberReplies memberReplies = new MemberReplies(p.node);
        RedisMemberPage page = f.members.receive(memberReplies, ttl);
        if (page == null) {
            // its type changed (WRONGTYPE): counted; what was read of it is all it has
            if (held != null) {
                records.add(new RedisScanRecord(held, node, pageCursor, null));
            }
            p.open = null;
            return true;
        }
        int n = page.size();
        if (held != null) {
            if (n == 0 && !page.isLast()) {
                // an empty page in the middle (SSCAN): go on holding
                sendNextPage(p, f, page, ttl, holding, records, 0, memberReplies);
                return false;
            }
            if (n == 0) {
                records.add(new RedisScanRecord(held, node, pageCursor, null));
                p.open = null;
                return true;
            }
            records.add(RedisScanRecord.ofOpenKey(held, node, pageCursor, holding.next, 0));
        }
        long room =
                limit.limit < 0 ? Long.MAX_VALUE : limit.limit - limit.produced - records.size();
        if (n > room || (n == room && !page.isLast())) {
            // the LIMIT ends the read inside this key: no further page
            for (int i = 0; i < room; i++) {
                records.add(
                        RedisScanRecord.ofOpenKey(
                                page.record(i),
                                node,
                                pageCursor,
                                page.cursor(),
                                page.skipAfter(i)));
            }
            p.open = null;
            return true;
        }
        int emitted = Math.max(0, n - 1); // the last is the key's last, or held back
        if (!page.isLast()) {
            // the next page goes out first, so that Redis serves it while this one's records
            // are built
            Held last =
                    n == 0
                            ? null
                            : new Held(
                                    page.record(n - 1),
                                    page.nextCursor(),
                                    page.cursor(),
                                    page.skipBefore(n - 1));
            sendNextPage(p, f, page, ttl, last, records, emitted, memberReplies);
        }
        for (int i = 0; i < emitted; i++) {
            records.add(
                    RedisScanRecord.ofOpenKey(
                            page.record(i), node, pageCursor, page.cursor(), page.skipAfter(i)));
        }
        if (!page.isLast()) {
            return false;
        }
        if (n > 0) {
            records.add(new RedisScanRecord(page.record(n - 1), node, pageCursor, null));
        }
        p.open = null;
        return true;
    }

    /**
     * Sends the page of {@code f}'s key that follows {@code page} and leaves the key open, holding
     * back the member that {@code holding} holds (if any); {@code coming} records of the page
     * before are still to be added to {@code records} (they count against the LIMIT). Which page
     * comes next is the data type's business ({@link RedisMemberFetch#sendNext}): a series read
     * without a LIMIT, for one, reads on in time windows, several asked for at once.
     */
    private void sendNextPage(
            RedisScanProgress p,
            RedisKeyFetch f,
            RedisMemberPage page,
            long ttl,
            @Nullable Held holding,
            List<RedisScanRecord> records,
            int coming,
            RedisMemberReplies memberReplies)
            throws IOException {
        long most = limit.limit < 0 ? -1 : limit.limit - limit.produced - records.size() - coming;
        RedisKeyFetch next = new RedisKeyFetch(f.key);
        next.members = f.members.sendNext(p.connection.commands(), page, most, memberReplies);
        p.connection.flush();
        p.open = new RedisOpenKey(next, ttl, holding);
    }

    /** The replies of a key's member page, read from {@code node}. */
    private final class MemberReplies implements RedisMemberReplies {
        private final RedisEndpoint node;

        MemberReplies(RedisEndpoint node) {
            this.node = node;
        }

        @Override
        public <V> V get(RedisFuture<V> reply, byte[] key, String command) throws IOException {
            return replies.result(reply, key, command, node);
        }

        @Override
        public IOException malformed(
                byte[] key, String command, String detail, RuntimeException cause) {
            return RedisNodeReplies.failure(
                    String.format(
                            "%s of key '%s' on Redis node %s (of %s)%s",
                            command, RedisText.show(key), node, replies.endpoint(), detail),
                    cause);
        }
    }
}
