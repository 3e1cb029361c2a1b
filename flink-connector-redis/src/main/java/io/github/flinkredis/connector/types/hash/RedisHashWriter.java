package io.github.flinkredis.connector.types.hash;

import io.github.flinkredis.connector.config.RedisTtlMode;
import io.github.flinkredis.connector.config.RedisWriteMode;
import io.github.flinkredis.connector.config.RedisWriteOptions;
import io.github.flinkredis.connector.types.spi.RedisTypeWriter;
import io.github.flinkredis.connector.types.spi.RedisWriteRecord;
import io.lettuce.core.ExpireArgs;
import io.lettuce.core.HSetExArgs;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.annotation.Internal;

/**
 * Hash writes. Merge mode: {@code HSET key f v ...} of the fields with a value and {@code HDEL key
 * f ...} of the NULL ones, then the sink's {@code PEXPIRE}. Replace and skip-existing modes: one
 * script, atomically, {@code DEL} (or {@code EXISTS}), {@code HSET} of the non-NULL fields and
 * {@code PEXPIRE} (TTL modes {@code on-create} and {@code keep}: the key's TTL from before the
 * {@code DEL} is set again; {@code on-create} sets the new one only where there was none). A DELETE
 * is {@code DEL key}; an update is paired by the key.
 *
 * <p>With a field TTL ({@code sink.hash.field-ttl}, Redis 7.4+): {@code HPEXPIRE key ms FIELDS n f
 * ...} of the fields written, after the write; in TTL mode {@code on-create}, {@code HSETEX key
 * KEEPTTL FIELDS n f v ...} instead of {@code HSET} (Redis 8.0+: HSET clears a field's TTL) and
 * {@code HPEXPIRE key ms NX FIELDS ...}, so a field keeps the TTL of its first write.
 */
@Internal
final class RedisHashWriter implements RedisTypeWriter {

    /** ARGV: TTL in ms (-1 for none), '1' to set the key's TTL from before again, fields. */
    private static final String WRITE_HASH =
            "if #ARGV > 2 then redis.call('HSET', KEYS[1], unpack(ARGV, 3))"
                    + " if old > 0 then redis.call('PEXPIRE', KEYS[1], old)"
                    + " elseif tonumber(ARGV[1]) >= 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1])"
                    + " end end return 1";

    private static final String OLD_TTL =
            "local old = -1 if ARGV[2] == '1' then old = redis.call('PTTL', KEYS[1]) end ";

    private static final String REPLACE_HASH = OLD_TTL + "redis.call('DEL', KEYS[1]) " + WRITE_HASH;

    private static final String SKIP_EXISTING_HASH =
            "if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end local old = -1 " + WRITE_HASH;

    private static final byte[] KEEP_OLD_TTL = {'1'};
    private static final byte[] NEW_TTL = {'0'};

    private final RedisWriteMode writeMode;
    private final boolean keepTtl;

    /** The TTL of each field written in ms, or -1. */
    private final long fieldTtlMillis;

    /** Whether a field's TTL is set only where it has none (HSETEX KEEPTTL, HPEXPIRE NX). */
    private final boolean fieldTtlOnCreate;

    RedisHashWriter(RedisWriteOptions options) {
        this.writeMode = options.writeMode();
        this.keepTtl = options.ttlMode() != RedisTtlMode.ON_WRITE;
        this.fieldTtlMillis =
                options.hashFieldTtl() == null ? -1 : options.hashFieldTtl().toMillis();
        this.fieldTtlOnCreate = options.ttlMode() == RedisTtlMode.ON_CREATE;
    }

    @Override
    public boolean upsert(
            RedisClusterAsyncCommands<byte[], byte[]> c,
            RedisWriteRecord m,
            long ttlMillis,
            Replies replies) {
        long fieldTtl = fieldTtl(m);
        if (writeMode != RedisWriteMode.MERGE) {
            replies.add("EVAL", evalHash(c, m, ttlMillis));
            expireFields(c, m, fieldTtl, replies);
            return false;
        }
        byte[] key = m.key();
        if (fieldTtl >= 0 && fieldTtlOnCreate) {
            setKeepingFieldTtls(c, m, replies);
        } else {
            set(c, m, replies);
        }
        List<byte[]> removed = null;
        for (int i = 0; i < m.fieldNames().length; i++) {
            if (m.values()[i] == null) {
                if (removed == null) {
                    removed = new ArrayList<>();
                }
                removed.add(m.fieldNames()[i]);
            }
        }
        if (removed != null) {
            replies.add("HDEL", c.hdel(key, removed.toArray(new byte[0][])));
        }
        expireFields(c, m, fieldTtl, replies);
        return true;
    }

    /** {@code HSET key f v ...} of the fields with a value, built as arguments: no map per row. */
    private static void set(
            RedisClusterAsyncCommands<byte[], byte[]> c, RedisWriteRecord m, Replies replies) {
        CommandArgs<byte[], byte[]> set =
                new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(m.key());
        boolean anySet = false;
        for (int i = 0; i < m.fieldNames().length; i++) {
            if (m.values()[i] != null) {
                set.add(m.fieldNames()[i]).add(m.values()[i]);
                anySet = true;
            }
        }
        if (anySet) {
            replies.add(
                    "HSET",
                    c.dispatch(
                            CommandType.HSET, new IntegerOutput<>(ByteArrayCodec.INSTANCE), set));
        }
    }

    /** {@code HSETEX key KEEPTTL FIELDS n f v ...}: fields written keep their TTLs. */
    private static void setKeepingFieldTtls(
            RedisClusterAsyncCommands<byte[], byte[]> c, RedisWriteRecord m, Replies replies) {
        Map<byte[], byte[]> fields = new LinkedHashMap<>();
        for (int i = 0; i < m.fieldNames().length; i++) {
            if (m.values()[i] != null) {
                fields.put(m.fieldNames()[i], m.values()[i]);
            }
        }
        if (!fields.isEmpty()) {
            replies.add("HSETEX", c.hsetex(m.key(), new HSetExArgs().keepttl(), fields));
        }
    }

    /** The field TTL of {@code m} in ms: its own, else the option's; -1 for none. */
    private long fieldTtl(RedisWriteRecord m) {
        long own = m.fieldTtlMillis();
        return own < 0 ? fieldTtlMillis : (own > 0 ? own : -1);
    }

    /** {@code HPEXPIRE key ms [NX] FIELDS n f ...} of the fields written, with a field TTL. */
    private void expireFields(
            RedisClusterAsyncCommands<byte[], byte[]> c,
            RedisWriteRecord m,
            long fieldTtl,
            Replies replies) {
        if (fieldTtl < 0) {
            return;
        }
        List<byte[]> written = new ArrayList<>(m.fieldNames().length);
        for (int i = 0; i < m.fieldNames().length; i++) {
            if (m.values()[i] != null) {
                written.add(m.fieldNames()[i]);
            }
        }
        if (written.isEmpty()) {
            return;
        }
        byte[][] fields = written.toArray(new byte[0][]);
        replies.add(
                "HPEXPIRE",
                fieldTtlOnCreate
                        ? c.hpexpire(m.key(), fieldTtl, ExpireArgs.Builder.nx(), fields)
                        : c.hpexpire(m.key(), fieldTtl, fields));
    }

    /**
     * Replaces a hash, or writes it only if the key does not exist: {@code DEL} (or {@code
     * EXISTS}), {@code HSET} of the non-NULL fields and {@code PEXPIRE}, atomically in one script.
     * ARGV is the TTL in ms (-1 for none), whether the key's TTL from before is set again, then
     * fields and values.
     */
    private RedisFuture<Long> evalHash(
            RedisClusterAsyncCommands<byte[], byte[]> c, RedisWriteRecord m, long ttl) {
        List<byte[]> args = new ArrayList<>();
        args.add(Long.toString(ttl).getBytes(StandardCharsets.US_ASCII));
        args.add(keepTtl ? KEEP_OLD_TTL : NEW_TTL);
        for (int i = 0; i < m.fieldNames().length; i++) {
            if (m.values()[i] != null) {
                args.add(m.fieldNames()[i]);
                args.add(m.values()[i]);
            }
        }
        String script = writeMode == RedisWriteMode.REPLACE ? REPLACE_HASH : SKIP_EXISTING_HASH;
        return c.eval(
                script,
                ScriptOutputType.INTEGER,
                new byte[][] {m.key()},
                args.toArray(new byte[0][]));
    }
}
