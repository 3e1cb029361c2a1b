package io.github.flinkredis.connector.sink;

import io.github.flinkredis.connector.model.RedisText;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.flink.annotation.PublicEvolving;

/**
 * One write to Redis: the key and what to write there, or what to remove.
 *
 * <ul>
 *   <li>hash: {@link #fieldNames()} and {@link #values()} (a null value removes the field with
 *       HDEL);
 *   <li>string: {@code values()[0]} (null removes the key); json: the document in {@code
 *       values()[0]};
 *   <li>set, zset, list: the member or element in {@code values()[0]}, with {@link #score()} for a
 *       sorted set;
 *   <li>stream: an entry of the fields {@link #fieldNames()} with their {@link #values()} (NULL
 *       values are left out), at entry ID {@link #entryId()} or a new one;
 *   <li>timeseries: a sample at {@link #timestamp()} with {@link #score()} as its value, and the
 *       labels {@link #fieldNames()} = {@link #values()} for a series the write creates.
 * </ul>
 *
 * <p>An {@link Kind#UPSERT} writes; a {@link Kind#DELETE} removes the key (hash, string, json), the
 * member (set: SREM, zset: ZREM) or the sample (timeseries: TS.DEL key t t).
 *
 * <p>A DELETE {@linkplain #asUpdateBefore() marked as an update's first half} (Flink's {@code
 * UPDATE_BEFORE}) is written as that DELETE unless the next mutation of its key is an UPSERT of the
 * same record: then only the UPSERT is written, as an update in place (see {@link
 * #asUpdateBefore()}).
 */
@PublicEvolving
public final class RedisMutation {

    /** Whether the mutation writes or removes. */
    public enum Kind {
        UPSERT,
        DELETE
    }

    /** {@link #ttlMillis()} of a mutation that leaves the time to live to the sink's option. */
    public static final long NO_TTL = -1;

    /** {@link #ttlMillis()} of a mutation that sets no time to live, whatever the sink's option. */
    public static final long NO_EXPIRY = 0;

    private final Kind kind;
    private final byte[] key;
    private final byte[][] fieldNames;
    private final byte[][] values;
    private final double score;
    private final long ttlMillis;
    private final long timestamp;
    @Nullable private final byte[] entryId;
    private final boolean updateBefore;
    private final long fieldTtlMillis;

    private RedisMutation(
            Kind kind,
            byte[] key,
            byte[][] fieldNames,
            byte[][] values,
            double score,
            long ttlMillis) {
        this(kind, key, fieldNames, values, score, ttlMillis, 0, null, false, NO_TTL);
    }

    private RedisMutation(
            Kind kind,
            byte[] key,
            byte[][] fieldNames,
            byte[][] values,
            double score,
            long ttlMillis,
            long timestamp,
            @Nullable byte[] entryId,
            boolean updateBefore,
            long fieldTtlMillis) {
        this.kind = Objects.requireNonNull(kind);
        this.key = Objects.requireNonNull(key);
        this.fieldNames = fieldNames;
        this.values = values;
        this.score = score;
        this.ttlMillis = ttlMillis;
        this.timestamp = timestamp;
        this.entryId = entryId;
        this.updateBefore = updateBefore;
        this.fieldTtlMillis = fieldTtlMillis;
    }

    /** HSET of the fields with a value, HDEL of those without (null). */
    public static RedisMutation hash(byte[] key, byte[][] fieldNames, byte[][] values) {
        if (fieldNames.length != values.length) {
            throw new IllegalArgumentException("one value per field");
        }
        return new RedisMutation(Kind.UPSERT, key, fieldNames, values, 0, NO_TTL);
    }

    /** SET of the value; a null value removes the key. */
    public static RedisMutation string(byte[] key, @Nullable byte[] value) {
        return new RedisMutation(Kind.UPSERT, key, new byte[0][], new byte[][] {value}, 0, NO_TTL);
    }

    /** JSON.SET of a whole document (UTF-8 JSON text). */
    public static RedisMutation document(byte[] key, byte[] json) {
        return new RedisMutation(Kind.UPSERT, key, new byte[0][], new byte[][] {json}, 0, NO_TTL);
    }

    /** SADD of a member (set), RPUSH of an element (list). */
    public static RedisMutation member(byte[] key, byte[] member) {
        return new RedisMutation(Kind.UPSERT, key, new byte[0][], new byte[][] {member}, 0, NO_TTL);
    }

    /** ZADD of a member with its score. */
    public static RedisMutation scoredMember(byte[] key, byte[] member, double score) {
        return new RedisMutation(
                Kind.UPSERT, key, new byte[0][], new byte[][] {member}, score, NO_TTL);
    }

    /**
     * XADD of a stream entry with the fields that have a value (null values are left out).
     *
     * @param entryId the entry ID ({@code <ms>-<seq>}, or {@code <ms>-*}), or null for a new one
     *     ({@code *})
     */
    public static RedisMutation streamEntry(
            byte[] key, @Nullable byte[] entryId, byte[][] fieldNames, byte[][] values) {
        if (fieldNames.length != values.length) {
            throw new IllegalArgumentException("one value per field");
        }
        return new RedisMutation(
                Kind.UPSERT, key, fieldNames, values, 0, NO_TTL, 0, entryId, false, NO_TTL);
    }

    /**
     * TS.ADD of a sample.
     *
     * @param timestamp milliseconds since the epoch
     * @param labelNames labels of the series, set only when the write creates it
     */
    public static RedisMutation sample(
            byte[] key, long timestamp, double value, byte[][] labelNames, byte[][] labelValues) {
        if (labelNames.length != labelValues.length) {
            throw new IllegalArgumentException("one value per label");
        }
        return new RedisMutation(
                Kind.UPSERT,
                key,
                labelNames,
                labelValues,
                value,
                NO_TTL,
                timestamp,
                null,
                false,
                NO_TTL);
    }

    /** TS.DEL of the sample at {@code timestamp} (milliseconds since the epoch). */
    public static RedisMutation deleteSample(byte[] key, long timestamp) {
        return new RedisMutation(
                Kind.DELETE,
                key,
                new byte[0][],
                new byte[0][],
                0,
                NO_TTL,
                timestamp,
                null,
                false,
                NO_TTL);
    }

    /** DEL of the key. */
    public static RedisMutation deleteKey(byte[] key) {
        return new RedisMutation(Kind.DELETE, key, new byte[0][], new byte[0][], 0, NO_TTL);
    }

    /** SREM (set) or ZREM (zset) of a member. */
    public static RedisMutation deleteMember(byte[] key, byte[] member) {
        return new RedisMutation(Kind.DELETE, key, new byte[0][], new byte[][] {member}, 0, NO_TTL);
    }

    /**
     * The same mutation, setting the key's time to live in milliseconds (PEXPIRE, or SET ... PX)
     * after it; {@link #NO_EXPIRY} for none, {@link #NO_TTL} for the sink's option.
     */
    public RedisMutation withTtl(long ttlMillis) {
        return copy(ttlMillis, updateBefore, fieldTtlMillis);
    }

    /**
     * The same hash write, setting the time to live in milliseconds of each field it writes ({@code
     * HPEXPIRE}, Redis 7.4+); {@link #NO_EXPIRY} for none, {@link #NO_TTL} for the sink's option
     * ({@code sink.hash.field-ttl}). The sink fails for a field TTL of another data type.
     */
    public RedisMutation withFieldTtl(long fieldTtlMillis) {
        return copy(ttlMillis, updateBefore, fieldTtlMillis);
    }

    /** This mutation with another TTL, update-before mark and field TTL. */
    private RedisMutation copy(long ttl, boolean asUpdateBefore, long fieldTtl) {
        return new RedisMutation(
                kind,
                key,
                fieldNames,
                values,
                score,
                ttl,
                timestamp,
                entryId,
                asUpdateBefore,
                fieldTtl);
    }

    /**
     * The same DELETE as the first half of an update (Flink's {@code UPDATE_BEFORE}): the sink
     * writes it as the DELETE, unless the next mutation the sink gets for the same key is an UPSERT
     * of the same record (hash, string, json: the key; set, zset: the same member; timeseries with
     * the duplicate policy {@code LAST}: the sample at the same timestamp). Then it writes only
     * that UPSERT, which updates the record in place: in {@link
     * io.github.flinkredis.connector.config.RedisWriteMode#MERGE merge} mode a hash keeps its
     * fields that the UPSERT does not name, and the key keeps a time to live that the UPSERT does
     * not set, as for any UPSERT. Where another mutation of the key comes first, or none by the
     * next flush after the one it was buffered for (a full buffer or the flush interval; a
     * checkpoint or the end of the input at the latest), the DELETE is written, in input order. A
     * timeseries with another duplicate policy takes it as the plain DELETE ({@code TS.DEL}), and
     * so do a list and a stream, where the DELETE of a mutation removes the whole key ({@code
     * DEL}): a table of either never receives one.
     *
     * @throws IllegalStateException for an UPSERT
     */
    public RedisMutation asUpdateBefore() {
        if (kind != Kind.DELETE) {
            throw new IllegalStateException(
                    "Only a DELETE can be the first half of an update, not an UPSERT of key '"
                            + keyAsString()
                            + "'");
        }
        return copy(ttlMillis, true, fieldTtlMillis);
    }

    /** Whether this DELETE is the first half of an update ({@link #asUpdateBefore()}). */
    public boolean isUpdateBefore() {
        return updateBefore;
    }

    public Kind kind() {
        return kind;
    }

    public byte[] key() {
        return key;
    }

    /**
     * The key for messages: its UTF-8 text, or escaped as {@code redis-cli} shows it ({@code
     * bin:\xff}) where it is not plain text ({@link RedisText#show}); {@link #key()} is the key.
     */
    public String keyAsString() {
        return RedisText.show(key);
    }

    public byte[][] fieldNames() {
        return fieldNames;
    }

    public byte[][] values() {
        return values;
    }

    public double score() {
        return score;
    }

    /** A timeseries sample's timestamp, in milliseconds since the epoch. */
    public long timestamp() {
        return timestamp;
    }

    /** A stream entry's ID, or null for a new one. */
    @Nullable
    public byte[] entryId() {
        return entryId;
    }

    /**
     * The time to live to set, in milliseconds; {@link #NO_EXPIRY} for none; {@link #NO_TTL} for
     * the sink's option ({@code sink.ttl}).
     */
    public long ttlMillis() {
        return ttlMillis;
    }

    /**
     * The time to live of each hash field written, in milliseconds; {@link #NO_EXPIRY} for none;
     * {@link #NO_TTL} for the sink's option ({@code sink.hash.field-ttl}).
     */
    public long fieldTtlMillis() {
        return fieldTtlMillis;
    }
}
