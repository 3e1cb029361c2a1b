package io.github.flinkredis.connector.types.zset;

import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.model.RedisRecord;
import io.github.flinkredis.connector.types.spi.RedisMemberLookup;
import io.github.flinkredis.connector.types.spi.RedisValueRead;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;

/**
 * The lookup of one sorted-set member: {@code ZSCORE key member}, and {@code ZRANK key member}
 * where the rank is read. Its record holds the parts {@link RedisReadSpec#MEMBER}, {@link
 * RedisReadSpec#SCORE} (the decimal text of a double) and {@link RedisReadSpec#RANK} (decimal text)
 * selected, in the order given; a member without a score is no record.
 */
@Internal
final class RedisSortedSetLookup implements RedisMemberLookup {

    private static final long serialVersionUID = 1L;

    private final List<String> fields;
    private final byte[][] fieldNames;
    private final boolean readsRank;

    /**
     * @param fields the parts read, in record order; at least one
     */
    RedisSortedSetLookup(List<String> fields) {
        this.fields = List.copyOf(fields);
        this.fieldNames = RedisValueRead.names(this.fields);
        this.readsRank = this.fields.contains(RedisReadSpec.RANK);
    }

    @Override
    public String command() {
        return "ZSCORE";
    }

    @Override
    public String secondCommand() {
        return "ZRANK";
    }

    @Override
    public RedisFuture<?> send(
            RedisClusterAsyncCommands<byte[], byte[]> commands, byte[] key, byte[] member) {
        return commands.zscore(key, member);
    }

    @Nullable
    @Override
    public RedisFuture<?> sendSecond(
            RedisClusterAsyncCommands<byte[], byte[]> commands, byte[] key, byte[] member) {
        return readsRank ? commands.zrank(key, member) : null;
    }

    @Nullable
    @Override
    public RedisRecord record(
            byte[] key,
            byte[] member,
            @Nullable Object reply,
            @Nullable Object secondReply,
            long ttl) {
        Double s = (Double) reply;
        if (s == null) {
            return null;
        }
        Long r = (Long) secondReply;
        byte[][] values = new byte[fields.size()][];
        for (int i = 0; i < values.length; i++) {
            String field = fields.get(i);
            if (RedisReadSpec.MEMBER.equals(field)) {
                values[i] = member;
            } else if (RedisReadSpec.SCORE.equals(field)) {
                values[i] = ascii(Double.toString(s));
            } else if (r != null) {
                values[i] = ascii(Long.toString(r));
            }
        }
        return new RedisRecord(key, fieldNames, values, ttl);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
