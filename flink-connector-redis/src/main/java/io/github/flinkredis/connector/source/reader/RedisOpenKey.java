package io.github.flinkredis.connector.source.reader;

import io.github.flinkredis.connector.model.RedisRecord;
import javax.annotation.Nullable;

/** A key whose members are being read, page by page. */
final class RedisOpenKey {
    /** The commands of its next page, sent. */
    final RedisKeyFetch next;

    final long ttl;

    /** The last member read, held back until the next page shows whether it is the last. */
    @Nullable final Held held;

    RedisOpenKey(RedisKeyFetch next, long ttl, @Nullable Held held) {
        this.next = next;
        this.ttl = ttl;
        this.held = held;
    }

    /** A member held back, and where it is. */
    static final class Held {
        final RedisRecord record;

        /** Where the members after it start (the next page's cursor). */
        final String next;

        /** The cursor of its page and the members of that page before it. */
        final String cursor;

        final int skip;

        Held(RedisRecord record, String next, String cursor, int skip) {
            this.record = record;
            this.next = next;
            this.cursor = cursor;
            this.skip = skip;
        }
    }
}
