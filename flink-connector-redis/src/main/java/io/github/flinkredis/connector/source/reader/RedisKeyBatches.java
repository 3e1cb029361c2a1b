package io.github.flinkredis.connector.source.reader;

import io.github.flinkredis.connector.config.RedisEndpoint;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.model.RedisRecord;
import io.github.flinkredis.connector.source.reader.RedisScanProgress.Batch;
import io.github.flinkredis.connector.source.split.RedisScanSplit;
import io.github.flinkredis.connector.types.spi.RedisMemberRead;
import io.github.flinkredis.connector.types.spi.RedisValueRead;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.annotation.Nullable;

/**
 * The batches of keys in flight: the per-key commands of a batch sent in one pipelined write
 * ({@link RedisValueRead}: {@code HMGET}/{@code HGETALL}, {@code JSON.GET}, one {@code MGET} per
 * batch or hash slot; the first member page of each key, see {@link RedisMemberRead}; {@code PTTL}
 * when the TTL is selected; {@code TYPE} for a point key of which no value is read), their replies
 * turned into records, the commands of keys whose slot moved (MOVED/ASK) sent again through the
 * cluster connection, and {@code EXISTS} for keys whose reply cannot tell that they are gone.
 */
final class RedisKeyBatches {

    private final RedisReadSpec spec;
    private final RedisShardConnections connections;
    private final RedisNodeReplies replies;
    private final RedisScanLimit limit;

    /** The paged reads of a key's members (set, list, zset, stream, timeseries), or null. */
    @Nullable private final RedisMemberRead memberPages;

    /** The read of each key's value (hash, json, string); null where members are read. */
    @Nullable private final RedisValueRead valueRead;

    RedisKeyBatches(
            RedisReadSpec spec,
            RedisShardConnections connections,
            RedisNodeReplies replies,
            RedisScanLimit limit,
            @Nullable RedisMemberRead memberPages,
            @Nullable RedisValueRead valueRead) {
        this.spec = spec;
        this.connections = connections;
        this.replies = replies;
        this.limit = limit;
        this.memberPages = memberPages;
        this.valueRead = valueRead;
    }

    /** Whether keys are read as members, page by page (set, list, zset, stream, timeseries). */
    boolean readsMembers() {
        return memberPages != null;
    }

    /**
     * Sends the commands of the keys of {@code batch} (not flushed): the first member page of each
     * key, from the position the open key resumes from; or the read of each key's value, if any is
     * read.
     */
    void send(RedisScanProgress p, Batch batch) {
        RedisClusterAsyncCommands<byte[], byte[]> commands = p.connection.commands();
        if (memberPages != null) {
            for (byte[] key : batch.keys) {
                boolean resume = p.resumeKey != null && Arrays.equals(key, p.resumeKey);
                batch.fetches.add(
                        send(
                                key,
                                commands,
                                false,
                                resume ? p.resumeCursor : RedisScanSplit.INITIAL_CURSOR,
                                resume ? p.resumeSkip : 0));
                if (resume) {
                    p.resumeKey = null;
                }
            }
        } else if (spec.needsFetch() || p.split.pointKeys() != null) {
            boolean checkType = p.split.pointKeys() != null && readsNoValue();
            for (byte[] key : batch.keys) {
                RedisKeyFetch f = send(key, commands, false);
                if (checkType) {
                    // no SCAN TYPE filter and no value read tells a point key's type
                    f.type = commands.type(key);
                }
                batch.fetches.add(f);
            }
            if (valueRead.readsValue() && valueRead.readsInBatches()) {
                sendBatch(p, batch);
            }
        }
    }

    /**
     * Sends the per-key commands of {@code key}: the read of its value ({@link RedisValueRead}),
     * PTTL when the TTL is selected. With {@code alone}, a value read in batches (strings: MGET,
     * see {@link #sendBatch}) is read with the key's own command.
     */
    private RedisKeyFetch send(
            byte[] key, RedisClusterAsyncCommands<byte[], byte[]> commands, boolean alone) {
        return send(key, commands, alone, RedisScanSplit.INITIAL_CURSOR, 0);
    }

    /**
     * {@link #send(byte[], RedisClusterAsyncCommands, boolean)}; for a set, list or zset, the
     * commands of the page of its members at {@code memberCursor}, skipping {@code memberSkip}.
     */
    private RedisKeyFetch send(
            byte[] key,
            RedisClusterAsyncCommands<byte[], byte[]> commands,
            boolean alone,
            String memberCursor,
            int memberSkip) {
        RedisKeyFetch f = new RedisKeyFetch(key);
        if (memberPages != null) {
            f.members =
                    memberPages.send(commands, key, memberCursor, memberSkip, limit.remaining());
        } else if (valueRead.readsValue() && (alone || !valueRead.readsInBatches())) {
            f.value = valueRead.send(commands, key);
        }
        if (spec.fetchTtl()) {
            f.pttl = commands.pttl(key);
        }
        return f;
    }

    /**
     * Reads the values of a batch of keys with multi-key commands (strings: MGET), per hash slot on
     * a cluster node (a multi-key command must stay in one slot).
     */
    private void sendBatch(RedisScanProgress p, Batch batch) {
        int n = batch.keys.size();
        RedisFuture<?>[] futures = new RedisFuture<?>[n];
        int[] indexes = new int[n];
        valueRead.sendBatch(
                p.connection.commands(), batch.keys, p.split.firstSlot() >= 0, futures, indexes);
        for (int i = 0; i < n; i++) {
            RedisKeyFetch f = batch.fetches.get(i);
            f.value = futures[i];
            f.valueIndex = indexes[i];
        }
    }

    /**
     * Whether no value is read per key (a query on keys, perhaps with their TTL): then nothing
     * tells a point-read key's type or existence but a TYPE command.
     */
    private boolean readsNoValue() {
        return valueRead != null && !valueRead.readsValue();
    }

    /** Waits for the replies of a batch and turns them into records. */
    List<RedisScanRecord> receive(RedisScanProgress p, Batch batch) throws IOException {
        List<byte[]> keys = batch.keys;
        String node = p.node.toString();
        String pageCursor = batch.page.cursor;
        List<RedisScanRecord> records = new ArrayList<>(keys.size());
        if (batch.fetches.isEmpty()) {
            // keys found by SCAN ... TYPE, of which nothing is read
            for (byte[] key : keys) {
                records.add(
                        new RedisScanRecord(
                                new RedisRecord(
                                        key,
                                        new byte[0][],
                                        new byte[0][],
                                        RedisRecord.TTL_NOT_FETCHED),
                                node,
                                pageCursor,
                                null));
            }
            return records;
        }

        int n = keys.size();
        List<RedisKeyFetch> fetches = batch.fetches;
        replies.awaitAll(RedisKeyFetch.futuresOf(fetches), p.connection);
        followMoved(p, fetches);

        List<Integer> allNil = null;
        List<RedisRecord> fetched = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            RedisKeyFetch f = fetches.get(i);
            RedisRecord record = toRecord(f, p.node);
            fetched.add(record);
            if (record != null && f.allNil) {
                if (allNil == null) {
                    allNil = new ArrayList<>();
                }
                allNil.add(i);
            }
        }
        if (allNil != null) {
            dropDeleted(p, keys, fetched, allNil);
        }
        for (RedisRecord r : fetched) {
            if (r != null) {
                records.add(new RedisScanRecord(r, node, pageCursor, null));
            }
        }
        return records;
    }

    /**
     * Sends the commands of keys whose slot moved to another node (resharding: MOVED or ASK) again
     * through the cluster connection, which follows the redirect, and waits for their replies.
     */
    void followMoved(RedisScanProgress p, List<RedisKeyFetch> fetches) throws IOException {
        List<RedisKeyFetch> moved = null;
        for (RedisKeyFetch f : fetches) {
            if (f.moved()) {
                if (moved == null) {
                    moved = new ArrayList<>();
                }
                moved.add(f);
            }
        }
        if (moved != null) {
            for (RedisKeyFetch f : moved) {
                f.replaceWith(resend(f));
            }
            replies.awaitAll(RedisKeyFetch.futuresOf(moved), p.connection);
        }
    }

    /** The commands of {@code f} again, through the cluster connection. */
    private RedisKeyFetch resend(RedisKeyFetch f) {
        RedisClusterAsyncCommands<byte[], byte[]> cluster = connections.cluster().commands();
        RedisKeyFetch again =
                f.members == null
                        ? send(f.key, cluster, true)
                        : send(f.key, cluster, true, f.members.cursor(), f.members.skip());
        if (f.members != null) {
            again.members.continueFrom(f.members);
        }
        if (f.type != null) {
            again.type = cluster.type(f.key);
        }
        return again;
    }

    /** The record for the key of {@code f}, or null if the key is gone or has another type. */
    private RedisRecord toRecord(RedisKeyFetch f, RedisEndpoint node) throws IOException {
        byte[] key = f.key;
        if (f.type != null) {
            String t = replies.result(f.type, key, "TYPE", node);
            if (!spec.dataType().scanType().equalsIgnoreCase(t)) {
                if (!"none".equals(t)) {
                    replies.countWrongType(); // a point key of another type
                }
                return null;
            }
        }
        long ttl = RedisRecord.TTL_NOT_FETCHED;
        if (f.pttl != null) {
            Long t = replies.result(f.pttl, key, "PTTL", node);
            if (t == null || t == -2) {
                return null; // deleted after SCAN
            }
            ttl = t;
        }
        if (f.value == null) {
            return RedisValueRead.keyOnly(key, ttl);
        }
        String command = f.valueIndex < 0 ? valueRead.command() : valueRead.batchCommand();
        RedisRecord record =
                valueRead.record(
                        key, replies.result(f.value, key, command, node), f.valueIndex, ttl);
        // without PTTL, a reply that cannot tell a missing key (HMGET: nils only): EXISTS
        f.allNil = record != null && f.pttl == null && valueRead.mayBeMissing(record);
        return record;
    }

    /** Drops the records of keys that EXISTS says are gone, in one more round trip. */
    private void dropDeleted(
            RedisScanProgress p,
            List<byte[]> keys,
            List<RedisRecord> fetched,
            List<Integer> indices)
            throws IOException {
        List<RedisFuture<Long>> exists = new ArrayList<>(indices.size());
        RedisClusterAsyncCommands<byte[], byte[]> commands = p.connection.commands();
        for (int i : indices) {
            exists.add(commands.exists(keys.get(i)));
        }
        p.connection.flush();
        replies.awaitAll(exists, p.connection);
        for (int j = 0; j < indices.size(); j++) {
            int i = indices.get(j);
            if (RedisKeyFetch.isMoved(exists.get(j))) {
                continue; // the key lives on another node now: it exists
            }
            Long e = replies.result(exists.get(j), keys.get(i), "EXISTS", p.node);
            if (e == null || e == 0) {
                fetched.set(i, null);
            }
        }
    }
}
