package io.github.flinkredis.connector.types.spi;

import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.model.RedisRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.annotation.Internal;

/**
 * The record of a set member, list element or sorted-set member: the record parts a read selects
 * ({@link RedisReadSpec#MEMBER}, {@link RedisReadSpec#ELEMENT}, {@link RedisReadSpec#SCORE}, {@link
 * RedisReadSpec#RANK}, {@link RedisReadSpec#INDEX}), in the read's order. Immutable.
 */
@Internal
public final class RedisMemberFields {

    private static final byte VALUE = 0;
    private static final byte SCORE = 1;
    private static final byte POSITION = 2;

    private final byte[][] names;

    /** What each of {@link #names} holds: {@link #VALUE}, {@link #SCORE} or {@link #POSITION}. */
    private final byte[] kinds;

    /**
     * @param fields the record parts read, in record order
     */
    public RedisMemberFields(List<String> fields) {
        this.names = new byte[fields.size()][];
        this.kinds = new byte[fields.size()];
        for (int i = 0; i < names.length; i++) {
            String field = fields.get(i);
            names[i] = field.getBytes(StandardCharsets.UTF_8);
            switch (field) {
                case RedisReadSpec.MEMBER:
                case RedisReadSpec.ELEMENT:
                    kinds[i] = VALUE;
                    break;
                case RedisReadSpec.SCORE:
                    kinds[i] = SCORE;
                    break;
                default: // RANK, INDEX
                    kinds[i] = POSITION;
                    break;
            }
        }
    }

    /**
     * The record of one member: the member or element as its bytes, the score as the decimal text
     * of a double, the rank or index as decimal text.
     *
     * @param ttl the key's remaining time to live in ms, or {@link RedisRecord#TTL_NOT_FETCHED}
     * @param position the rank or index
     */
    public RedisRecord record(byte[] key, long ttl, byte[] value, double score, long position) {
        byte[][] values = new byte[kinds.length][];
        for (int i = 0; i < kinds.length; i++) {
            switch (kinds[i]) {
                case VALUE:
                    values[i] = value;
                    break;
                case SCORE:
                    values[i] = ascii(Double.toString(score));
                    break;
                default:
                    values[i] = ascii(Long.toString(position));
                    break;
            }
        }
        return new RedisRecord(key, names, values, ttl);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
