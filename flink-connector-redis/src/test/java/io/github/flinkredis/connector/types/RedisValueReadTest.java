package io.github.flinkredis.connector.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.model.RedisRecord;
import io.github.flinkredis.connector.types.spi.RedisValueRead;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reads of a key's value of hash, json and string: commands and reply decoding. */
class RedisValueReadTest {

    private static final byte[] KEY = bytes("k");

    @Test
    void hashReadsSelectedFieldsWithHmgetAndAllWithHgetall() throws IOException {
        RedisValueRead hmget = read(RedisDataType.HASH, List.of("a", "b"));
        assertThat(hmget.readsValue()).isTrue();
        assertThat(hmget.command()).isEqualTo("HMGET");
        RedisRecord r =
                hmget.record(
                        KEY,
                        List.of(KeyValue.just(bytes("a"), bytes("1")), KeyValue.empty(bytes("b"))),
                        -1,
                        5);
        assertThat(r.values()).isDeepEqualTo(new byte[][] {bytes("1"), null});
        assertThat(r.ttlMillis()).isEqualTo(5);
        assertThat(hmget.mayBeMissing(r)).isFalse();
        RedisRecord nils =
                hmget.record(
                        KEY,
                        List.of(KeyValue.empty(bytes("a")), KeyValue.empty(bytes("b"))),
                        -1,
                        5);
        assertThat(hmget.mayBeMissing(nils)).isTrue();
        assertThat(hmget.record(KEY, null, -1, 5)).isNull();

        RedisValueRead hgetall = read(RedisDataType.HASH, null);
        assertThat(hgetall.command()).isEqualTo("HGETALL");
        Map<byte[], byte[]> map = new LinkedHashMap<>();
        map.put(bytes("x"), bytes("1"));
        RedisRecord all = hgetall.record(KEY, map, -1, RedisRecord.TTL_NOT_FETCHED);
        assertThat(all.fieldNames()).isDeepEqualTo(new byte[][] {bytes("x")});
        assertThat(hgetall.mayBeMissing(all)).isFalse();
        assertThat(hgetall.record(KEY, Map.of(), -1, 1)).isNull();

        assertThat(read(RedisDataType.HASH, List.of()).readsValue()).isFalse();
    }

    @Test
    void jsonSplitsTheReplyOfJsonGet() throws IOException {
        RedisValueRead json = read(RedisDataType.JSON, List.of("a", "b"));
        assertThat(json.command()).isEqualTo("JSON.GET");
        RedisRecord r = json.record(KEY, bytes("{\"$.a\":[1],\"$.b\":[]}"), -1, 1);
        assertThat(r.values()).isDeepEqualTo(new byte[][] {bytes("1"), null});
        assertThat(json.mayBeMissing(r)).isFalse();
        assertThat(json.record(KEY, null, -1, 1)).isNull();
        assertThatThrownBy(() -> json.record(KEY, bytes("[1]"), -1, 1))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Cannot read the JSON.GET reply for key 'k'");

        RedisValueRead whole = read(RedisDataType.JSON, null);
        assertThat(whole.record(KEY, bytes("[{\"a\":1}]"), -1, 1).fieldNames())
                .isDeepEqualTo(new byte[][] {bytes("$")});
        assertThat(read(RedisDataType.JSON, List.of()).readsValue()).isFalse();
    }

    @Test
    void stringReadsWithGetAloneAndMgetPerBatchOrSlot() throws IOException {
        RedisValueRead string = read(RedisDataType.STRING, null);
        assertThat(string.readsInBatches()).isTrue();
        assertThat(string.command()).isEqualTo("GET");
        assertThat(string.batchCommand()).isEqualTo("MGET");
        assertThat(string.record(KEY, bytes("v"), -1, 1).fieldNames())
                .isDeepEqualTo(new byte[][] {bytes(RedisReadSpec.STRING_VALUE)});
        assertThat(string.record(KEY, null, -1, 1)).isNull();
        List<KeyValue<byte[], byte[]>> mget =
                List.of(KeyValue.empty(bytes("a")), KeyValue.just(bytes("b"), bytes("2")));
        assertThat(string.record(KEY, mget, 0, 1)).isNull();
        assertThat(string.record(KEY, mget, 1, 1).values())
                .isDeepEqualTo(new byte[][] {bytes("2")});
        assertThat(read(RedisDataType.STRING, List.of()).readsValue()).isFalse();

        // keys of two slots, interleaved
        List<byte[]> keys = List.of(bytes("{a}1"), bytes("{b}1"), bytes("{a}2"), bytes("{b}2"));
        List<byte[][]> sent = new ArrayList<>();
        RedisFuture<?>[] futures = new RedisFuture<?>[4];
        int[] indexes = new int[4];
        string.sendBatch(mgetRecorder(sent), keys, true, futures, indexes);
        assertThat(sent).hasSize(2);
        assertThat((Object) futures[0]).isSameAs(futures[2]).isNotSameAs(futures[1]);
        assertThat((Object) futures[1]).isSameAs(futures[3]);
        assertThat(indexes).containsExactly(0, 0, 1, 1);
        boolean aFirst = SlotHash.getSlot("{a}") < SlotHash.getSlot("{b}");
        assertThat(sent.get(aFirst ? 0 : 1)).isDeepEqualTo(new byte[][] {keys.get(0), keys.get(2)});

        sent.clear();
        string.sendBatch(mgetRecorder(sent), keys, false, futures, indexes);
        assertThat(sent).hasSize(1);
        assertThat(indexes).containsExactly(0, 1, 2, 3);
        assertThat((Object) futures[0]).isSameAs(futures[3]);
    }

    private static RedisValueRead read(RedisDataType type, List<String> fields) {
        return RedisTypes.of(type)
                .valueRead(
                        new RedisReadSpec(
                                RedisTypes.of(type),
                                fields,
                                false,
                                1000,
                                io.github.flinkredis.connector.model.RedisMemberRange.ALL,
                                "$"));
    }

    /** Commands that record the keys of each MGET and answer it with a future of its own. */
    @SuppressWarnings("unchecked")
    private static RedisClusterAsyncCommands<byte[], byte[]> mgetRecorder(List<byte[][]> sent) {
        return (RedisClusterAsyncCommands<byte[], byte[]>)
                Proxy.newProxyInstance(
                        RedisValueReadTest.class.getClassLoader(),
                        new Class<?>[] {RedisClusterAsyncCommands.class},
                        (proxy, method, args) -> {
                            if (!method.getName().equals("mget")) {
                                throw new UnsupportedOperationException(method.getName());
                            }
                            sent.add((byte[][]) args[0]);
                            return Proxy.newProxyInstance(
                                    RedisValueReadTest.class.getClassLoader(),
                                    new Class<?>[] {RedisFuture.class},
                                    (p, m, a) -> {
                                        if (m.getName().equals("hashCode")) {
                                            return System.identityHashCode(p);
                                        }
                                        if (m.getName().equals("equals")) {
                                            return p == a[0];
                                        }
                                        throw new UnsupportedOperationException(m.getName());
                                    });
                        });
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
