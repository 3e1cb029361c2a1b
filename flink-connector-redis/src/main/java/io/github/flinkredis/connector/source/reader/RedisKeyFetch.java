package io.github.flinkredis.connector.source.reader;

import io.github.flinkredis.connector.client.RedisFailureKind;
import io.github.flinkredis.connector.types.spi.RedisMemberFetch;
import io.github.flinkredis.connector.types.spi.RedisValueRead;
import io.lettuce.core.RedisFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

/** The commands sent for one key and their replies. */
final class RedisKeyFetch {
    final byte[] key;
    RedisFuture<Long> pttl;

    /**
     * The read of the key's value ({@link RedisValueRead#send}), or the multi-key command of its
     * batch or slot group ({@link RedisValueRead#sendBatch}); null where none is read.
     */
    RedisFuture<?> value;

    /** The key's position in {@link #value}'s reply when that reads a batch, else -1. */
    int valueIndex = -1;

    /** A page of a set's, list's, zset's, stream's or series' members. */
    RedisMemberFetch members;

    /** TYPE of a point-read key of which no value is read. */
    RedisFuture<String> type;

    boolean allNil;

    RedisKeyFetch(byte[] key) {
        this.key = key;
    }

    void addFuturesTo(List<RedisFuture<?>> all) {
        if (value != null && valueIndex <= 0) {
            all.add(value); // a batch's command once, with its first key
        }
        if (members != null) {
            members.addFuturesTo(all);
        }
        if (type != null) {
            all.add(type);
        }
        if (pttl != null) {
            all.add(pttl);
        }
    }

    boolean moved() {
        return isMoved(value)
                || isMoved(pttl)
                || isMoved(type)
                || (members != null && anyMoved(members.futures()));
    }

    void replaceWith(RedisKeyFetch other) {
        value = other.value;
        valueIndex = other.valueIndex;
        pttl = other.pttl;
        members = other.members;
        type = other.type;
    }

    /** The futures of {@code fetches}, in the order their commands were sent. */
    static List<RedisFuture<?>> futuresOf(List<RedisKeyFetch> fetches) {
        List<RedisFuture<?>> all = new ArrayList<>(fetches.size() * 2);
        for (RedisKeyFetch f : fetches) {
            f.addFuturesTo(all);
        }
        return all;
    }

    private static boolean anyMoved(List<RedisFuture<?>> futures) {
        for (RedisFuture<?> f : futures) {
            if (isMoved(f)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code future} failed with MOVED or ASK (its key's slot is on another node: {@link
     * RedisFailureKind#REDIRECT}).
     */
    static boolean isMoved(RedisFuture<?> future) {
        if (future == null || !future.isDone()) {
            return false;
        }
        try {
            future.get();
            return false;
        } catch (ExecutionException e) {
            return RedisFailureKind.of(e.getCause()) == RedisFailureKind.REDIRECT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
