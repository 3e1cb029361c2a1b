package io.github.flinkredis.connector.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.flinkredis.connector.RedisTestClient;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.model.RedisMemberRange;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.source.reader.RedisKeySplitReader;
import io.github.flinkredis.connector.source.reader.RedisScanRecord;
import io.github.flinkredis.connector.source.split.RedisScanSplit;
import io.github.flinkredis.connector.types.RedisTypes;
import io.github.flinkredis.testutils.RedisExtension;
import io.github.flinkredis.testutils.RedisFaultProxy;
import io.github.flinkredis.testutils.RedisServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.metrics.SimpleCounter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The split reader against a real server, without a Flink job: keys that vanish or change type
 * between SCAN and the fetch, and the restore of a split mid-page.
 */
@ExtendWith(RedisExtension.class)
class RedisKeySplitReaderITCase {

    private static final int KEYS = 50;

    private RedisServer redis;
    private RedisTestClient client;
    private final SimpleCounter wrongType = new SimpleCounter();
    private final SimpleCounter restarts = new SimpleCounter();
    private String node;

    @BeforeEach
    void setUp(RedisServer server) {
        redis = server;
        node = server.host() + ":" + server.port();
        client = RedisTestClient.standalone(server.url());
        client.flushAll();
        client.loadHashes(KEYS, i -> "r:" + i, i -> Map.of("v", "v" + i));
        client.resetStats();
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    private RedisKeySplitReader reader(List<String> fields, boolean ttl, RedisScanSplit split) {
        return reader(fields, ttl, split, 1);
    }

    private RedisKeySplitReader reader(
            List<String> fields, boolean ttl, RedisScanSplit split, int batchesInFlight) {
        return reader(
                new RedisReadSpec(RedisTypes.of(RedisDataType.HASH), fields, ttl),
                split,
                batchesInFlight);
    }

    private RedisKeySplitReader reader(RedisReadSpec spec, RedisScanSplit split, int inFlight) {
        return reader(RedisConnectionConfig.fromUrl(redis.url()).build(), spec, split, inFlight);
    }

    private RedisKeySplitReader reader(
            RedisConnectionConfig config, RedisReadSpec spec, RedisScanSplit split, int inFlight) {
        // COUNT 1000 over 50 keys: one SCAN page holds every key; 10 keys per pipelined batch
        RedisKeySplitReader reader =
                new RedisKeySplitReader(
                        config, spec, 1000, 10, inFlight, -1, null, wrongType, restarts);
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(split)));
        return reader;
    }

    private static List<RedisScanRecord> drain(RecordsWithSplitIds<RedisScanRecord> batch) {
        List<RedisScanRecord> out = new ArrayList<>();
        while (batch.nextSplit() != null) {
            RedisScanRecord r;
            while ((r = batch.nextRecordFromSplit()) != null) {
                out.add(r);
            }
        }
        return out;
    }

    private List<RedisScanRecord> readToEnd(RedisKeySplitReader reader) throws Exception {
        List<RedisScanRecord> out = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            RecordsWithSplitIds<RedisScanRecord> batch = reader.fetch();
            out.addAll(drain(batch));
            if (!batch.finishedSplits().isEmpty()) {
                return out;
            }
        }
        throw new AssertionError("split did not finish");
    }

    private void deleteOrRetypeAllBut(List<RedisScanRecord> kept) {
        deleteOrRetypeAllBut(kept, false);
    }

    /** Deletes every key but {@code kept}; even ones come back as a string, or as a hash. */
    private void deleteOrRetypeAllBut(List<RedisScanRecord> kept, boolean asHash) {
        Set<String> keep = new HashSet<>();
        kept.forEach(r -> keep.add(r.record().keyAsString()));
        for (int i = 0; i < KEYS; i++) {
            String key = "r:" + i;
            if (!keep.contains(key)) {
                client.del(key);
                if (i % 2 == 0 && asHash) {
                    client.hset(key, Map.of("now", "a hash"));
                } else if (i % 2 == 0) {
                    client.set(key, "now a string");
                }
            }
        }
    }

    @Test
    void timeseriesReadersSpeakResp2AndTheOthersTheNegotiatedProtocol() throws Exception {
        // over RESP2 RedisTimeSeries writes values as their shortest text (docs/timeseries.md);
        // no module is needed to see the protocol: the SCAN of series finds none here
        Map<RedisDataType, List<String>> fields =
                Map.of(
                        RedisDataType.TIMESERIES,
                        List.of(RedisReadSpec.TIMESTAMP, RedisReadSpec.VALUE),
                        RedisDataType.HASH,
                        List.of("v"));
        Map<RedisDataType, String> protocol =
                Map.of(RedisDataType.TIMESERIES, "resp=2", RedisDataType.HASH, "resp=3");
        for (RedisDataType type : List.of(RedisDataType.TIMESERIES, RedisDataType.HASH)) {
            // a client name of its own: other readers' connections may still be listed
            String name = "protocol-test-" + type.name().toLowerCase(java.util.Locale.ROOT);
            try (RedisKeySplitReader reader =
                    new RedisKeySplitReader(
                            RedisConnectionConfig.fromUrl(redis.url()).clientName(name).build(),
                            new RedisReadSpec(RedisTypes.of(type), fields.get(type), false),
                            1000,
                            10,
                            1,
                            -1,
                            null,
                            wrongType,
                            restarts)) {
                reader.handleSplitsChanges(
                        new SplitsAddition<>(
                                List.of(RedisScanSplit.initial("s", -1, node, "r:*"))));
                assertThat(readToEnd(reader)).hasSize(type == RedisDataType.HASH ? KEYS : 0);
                List<String> connections =
                        Arrays.stream(redis.command("CLIENT", "LIST").split("\\n"))
                                .filter(line -> line.contains(" name=" + name + " "))
                                .collect(Collectors.toList());
                assertThat(connections)
                        .as(type.toString())
                        .isNotEmpty()
                        .allSatisfy(line -> assertThat(line).contains(" " + protocol.get(type)));
            }
        }
    }

    @Test
    void keysDeletedOrRetypedAfterScanYieldNoRowWithHmget() throws Exception {
        try (RedisKeySplitReader reader =
                reader(List.of("v"), false, RedisScanSplit.initial("s", -1, node, "r:*"))) {
            List<RedisScanRecord> first = drain(reader.fetch());
            assertThat(first).hasSize(10);
            deleteOrRetypeAllBut(first);

            List<RedisScanRecord> rest = readToEnd(reader);

            assertThat(rest).isEmpty();
            assertThat(client.calls("scan")).isEqualTo(1);
            assertThat(client.calls("exists")).isEqualTo(KEYS - 10 - countEven(first));
            assertThat(wrongType.getCount()).isEqualTo(countEven(first));
            assertThat(first.get(9).nextCursor()).isNull();
        }
    }

    @Test
    void keysDeletedAfterScanYieldNoRowWithHgetallAndPttl() throws Exception {
        try (RedisKeySplitReader reader =
                reader(null, true, RedisScanSplit.initial("s", -1, node, "r:*"))) {
            List<RedisScanRecord> first = drain(reader.fetch());
            deleteOrRetypeAllBut(first);

            assertThat(readToEnd(reader)).isEmpty();
            assertThat(first).hasSize(10);
            assertThat(first.get(0).record().ttlMillis()).isEqualTo(-1L);
            assertThat(client.calls("exists")).isZero();
        }
    }

    @Test
    void theNextBatchIsInFlightWhileOneIsReceived() throws Exception {
        try (RedisKeySplitReader reader =
                reader(List.of("v"), false, RedisScanSplit.initial("s", -1, node, "r:*"), 2)) {
            List<RedisScanRecord> first = drain(reader.fetch());

            // the replies of the first batch come after Redis ran both batches' commands, which
            // left in one pipelined write
            assertThat(first).hasSize(10);
            assertThat(client.calls("hmget")).isEqualTo(20);

            // keys deleted now were read already by the second batch: its rows still come
            deleteOrRetypeAllBut(first);
            List<RedisScanRecord> rest = readToEnd(reader);

            assertThat(rest).hasSize(10);
            Set<String> keys = new HashSet<>();
            first.forEach(r -> keys.add(r.record().keyAsString()));
            rest.forEach(r -> keys.add(r.record().keyAsString()));
            assertThat(keys).hasSize(20);
            assertThat(client.calls("hmget")).isEqualTo(KEYS);
            assertThat(rest.get(9).record().values()[0]).isNotNull();
        }
    }

    @Test
    void aConnectionThatBreaksBeforeTheSplitsFirstReplyIsReplaced() throws Exception {
        // the split's first command on a new connection is INFO server (the node's run id)
        try (RedisFaultProxy proxy = RedisFaultProxy.dropOn(redis, 2, "INFO", "server");
                RedisKeySplitReader reader =
                        reader(
                                RedisConnectionConfig.fromUrl(proxy.url()).build(),
                                new RedisReadSpec(
                                        RedisTypes.of(RedisDataType.HASH), List.of("v"), false),
                                RedisScanSplit.initial("s", -1, proxyNode(proxy), "r:*"),
                                3)) {
            List<RedisScanRecord> all = readToEnd(reader);

            assertThat(proxy.drops()).isEqualTo(2);
            Map<String, String> rows = new HashMap<>();
            for (RedisScanRecord r : all) {
                String v = new String(r.record().values()[0], StandardCharsets.UTF_8);
                assertThat(rows.put(r.record().keyAsString(), v)).as("emitted twice").isNull();
            }
            Map<String, String> expected = new HashMap<>();
            for (int i = 0; i < KEYS; i++) {
                expected.put("r:" + i, "v" + i);
            }
            assertThat(rows).isEqualTo(expected);
        }
    }

    @Test
    void aSplitThatCannotStartWithinTheCommandTimeoutFailsNamingIt() throws Exception {
        try (RedisFaultProxy proxy =
                        RedisFaultProxy.dropOn(redis, Integer.MAX_VALUE, "INFO", "server");
                RedisKeySplitReader reader =
                        reader(
                                RedisConnectionConfig.fromUrl(proxy.url())
                                        .commandTimeout(Duration.ofMillis(500))
                                        .build(),
                                new RedisReadSpec(
                                        RedisTypes.of(RedisDataType.HASH), List.of("v"), false),
                                RedisScanSplit.initial("s", -1, proxyNode(proxy), "r:*"),
                                1)) {
            Throwable t = catchThrowable(() -> readToEnd(reader));

            assertThat(t)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("INFO server failed on Redis node " + proxyNode(proxy))
                    .hasMessageContaining("within 500 ms (option 'command.timeout')");
            assertThat(proxy.drops()).isGreaterThan(1);
        }
    }

    private static String proxyNode(RedisFaultProxy proxy) {
        return proxy.url().substring("redis://".length());
    }

    @Test
    void everyKeyIsReadOnceWithBatchesInFlight() throws Exception {
        try (RedisKeySplitReader reader =
                reader(List.of("v"), false, RedisScanSplit.initial("s", -1, node, "r:*"), 3)) {
            List<RedisScanRecord> all = readToEnd(reader);

            Set<String> keys = new HashSet<>();
            all.forEach(r -> keys.add(r.record().keyAsString()));
            assertThat(all).hasSize(KEYS);
            assertThat(keys).hasSize(KEYS);
            assertThat(client.calls("hmget")).isEqualTo(KEYS);
            assertThat(all.get(KEYS - 1).nextCursor()).isEqualTo(RedisScanSplit.END_CURSOR);
            for (int i = 0; i < KEYS - 1; i++) {
                assertThat(all.get(i).nextCursor()).isNull();
            }
        }
    }

    @Test
    void stringsDeletedOrRetypedAfterScanYieldNoRow() throws Exception {
        client.flushAll();
        client.loadStrings(KEYS, i -> "r:" + i, i -> "s" + i);
        client.resetStats();
        RedisReadSpec strings =
                new RedisReadSpec(RedisTypes.of(RedisDataType.STRING), List.of("v"), false);
        try (RedisKeySplitReader reader =
                reader(strings, RedisScanSplit.initial("s", -1, node, "r:*"), 1)) {
            List<RedisScanRecord> first = drain(reader.fetch());
            assertThat(first).hasSize(10);
            for (RedisScanRecord r : first) {
                String key = r.record().keyAsString();
                assertThat(new String(r.record().values()[0], StandardCharsets.UTF_8))
                        .isEqualTo("s" + key.substring(2));
            }
            deleteOrRetypeAllBut(first, true);

            assertThat(readToEnd(reader)).isEmpty();
            // one MGET per batch of 10; a string turned into another type reads as nil
            assertThat(client.calls("mget")).isEqualTo(KEYS / 10);
            assertThat(client.calls("exists")).isZero();
        }
    }

    @Test
    void setsDeletedOrRetypedAfterScanYieldNoRow() throws Exception {
        client.flushAll();
        client.load(KEYS, (c, i) -> c.sadd("r:" + i, "a", "b"));
        client.resetStats();
        RedisReadSpec sets = new RedisReadSpec(RedisTypes.of(RedisDataType.SET), null, false);
        try (RedisKeySplitReader reader =
                reader(sets, RedisScanSplit.initial("s", -1, node, "r:*"), 1)) {
            List<RedisScanRecord> first = drain(reader.fetch());
            assertThat(first).hasSize(20);
            // each key's two members come together; only the second closes the key
            for (int i = 0; i < first.size(); i++) {
                assertThat(new String(first.get(i).record().values()[0], StandardCharsets.UTF_8))
                        .isIn("a", "b");
                if (i % 2 == 0) {
                    assertThat(first.get(i).memberCursor()).isEqualTo("0");
                    assertThat(first.get(i).memberSkip()).isEqualTo(1);
                    assertThat(first.get(i + 1).record().key())
                            .isEqualTo(first.get(i).record().key());
                } else {
                    assertThat(first.get(i).memberCursor()).isNull();
                }
            }
            deleteOrRetypeAllBut(first);

            assertThat(readToEnd(reader)).isEmpty();
            assertThat(client.calls("sscan")).isEqualTo(KEYS);
            assertThat(wrongType.getCount()).isEqualTo(countEven(first));
        }
    }

    @Test
    void aRestoredSplitGoesOnInsideItsOpenKey() throws Exception {
        client.flushAll();
        client.load(100, (c, i) -> c.rpush("r:list", "e" + i));
        client.load(3, (c, i) -> c.rpush("r:other" + i, "o"));
        RedisReadSpec lists =
                new RedisReadSpec(
                        RedisTypes.of(RedisDataType.LIST), null, false, 30, RedisMemberRange.ALL);
        // checkpointed after 2 elements of the page at index 40 of r:list
        RedisScanSplit split =
                new RedisScanSplit(
                        "s",
                        -1,
                        node,
                        "r:*",
                        RedisScanSplit.INITIAL_CURSOR,
                        List.of(),
                        List.of(
                                "r:other0".getBytes(StandardCharsets.UTF_8),
                                "r:list".getBytes(StandardCharsets.UTF_8),
                                "r:other1".getBytes(StandardCharsets.UTF_8)),
                        "r:list".getBytes(StandardCharsets.UTF_8),
                        "40",
                        2);
        try (RedisKeySplitReader reader = reader(lists, split, 1)) {
            List<RedisScanRecord> all = readToEnd(reader);

            List<String> elements = new ArrayList<>();
            for (RedisScanRecord r : all) {
                if (r.record().keyAsString().equals("r:list")) {
                    elements.add(new String(r.record().values()[0], StandardCharsets.UTF_8));
                    assertThat(new String(r.record().values()[1], StandardCharsets.UTF_8))
                            .isEqualTo(elements.get(elements.size() - 1).substring(1));
                }
            }
            List<String> expected = new ArrayList<>();
            for (int i = 42; i < 100; i++) {
                expected.add("e" + i);
            }
            assertThat(elements).isEqualTo(expected);
            assertThat(all).hasSize(58 + 2);
            // positions: within the page starting at 42, then at the following pages
            RedisScanRecord firstOfList =
                    all.stream()
                            .filter(r -> r.record().keyAsString().equals("r:list"))
                            .findFirst()
                            .get();
            assertThat(firstOfList.memberCursor()).isEqualTo("42");
            assertThat(firstOfList.memberSkip()).isEqualTo(1);
        }
    }

    @Test
    void theLastMemberOfAKeyClosesItAlsoWhenItsLastPageIsEmpty() throws Exception {
        client.flushAll();
        // 128 elements: a full first page, then an empty one
        client.load(128, (c, i) -> c.rpush("r:full", "e" + i));
        client.load(3, (c, i) -> c.rpush("r:short", "s" + i));
        RedisReadSpec lists =
                new RedisReadSpec(
                        RedisTypes.of(RedisDataType.LIST), null, false, 128, RedisMemberRange.ALL);
        try (RedisKeySplitReader reader =
                reader(lists, RedisScanSplit.initial("s", -1, node, "r:*"), 1)) {
            List<RedisScanRecord> all = readToEnd(reader);

            assertThat(all).hasSize(131);
            for (String key : List.of("r:full", "r:short")) {
                List<RedisScanRecord> ofKey = new ArrayList<>();
                for (RedisScanRecord r : all) {
                    if (r.record().keyAsString().equals(key)) {
                        ofKey.add(r);
                    }
                }
                // only the key's last record closes it; every other one says where it goes on
                for (int i = 0; i < ofKey.size(); i++) {
                    assertThat(ofKey.get(i).memberCursor() == null)
                            .as("record %d of %s", i, key)
                            .isEqualTo(i == ofKey.size() - 1);
                }
            }
            assertThat(client.calls("lrange")).isEqualTo(3);
        }
    }

    private static long countEven(List<RedisScanRecord> emitted) {
        // keys r:<even> among those NOT emitted were turned into strings
        Set<String> kept = new HashSet<>();
        emitted.forEach(r -> kept.add(r.record().keyAsString()));
        long n = 0;
        for (int i = 0; i < KEYS; i += 2) {
            if (!kept.contains("r:" + i)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void aRestoredSplitSkipsTheKeysEmittedFromItsPage() throws Exception {
        List<RedisScanRecord> all;
        try (RedisKeySplitReader reader =
                reader(List.of("v"), false, RedisScanSplit.initial("s", -1, node, "r:*"))) {
            all = readToEnd(reader);
        }
        assertThat(all).hasSize(KEYS);
        assertThat(all.get(KEYS - 1).nextCursor()).isEqualTo(RedisScanSplit.END_CURSOR);

        List<byte[]> emitted = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            emitted.add(all.get(i).record().key());
        }
        RedisScanSplit restored =
                new RedisScanSplit("s", -1, node, "r:*", RedisScanSplit.INITIAL_CURSOR, emitted);
        try (RedisKeySplitReader reader = reader(List.of("v"), false, restored)) {
            List<RedisScanRecord> rest = readToEnd(reader);

            Set<String> restKeys = new HashSet<>();
            rest.forEach(r -> restKeys.add(r.record().keyAsString()));
            Set<String> expected = new HashSet<>();
            for (int i = 17; i < KEYS; i++) {
                expected.add(all.get(i).record().keyAsString());
            }
            assertThat(rest).hasSize(KEYS - 17);
            assertThat(restKeys).isEqualTo(expected);
            assertThat(restarts.getCount()).isZero();
        }

        // the same progress, recorded on another node (before a failover): the scan restarts
        RedisScanSplit elsewhere =
                new RedisScanSplit(
                        "s", -1, "10.0.0.1:6379", "r:*", RedisScanSplit.INITIAL_CURSOR, emitted);
        try (RedisKeySplitReader reader = reader(List.of("v"), false, elsewhere)) {
            List<RedisScanRecord> again = readToEnd(reader);

            assertThat(again).hasSize(KEYS);
            assertThat(again.get(0).nodeAddress()).isEqualTo(node);
            assertThat(restarts.getCount()).isEqualTo(1);
        }
    }

    @Test
    void aSplitCheckpointedAfterItsLastKeyReadsNothing() throws Exception {
        RedisScanSplit ended =
                new RedisScanSplit("s", -1, node, "r:*", RedisScanSplit.END_CURSOR, List.of());
        try (RedisKeySplitReader reader = reader(List.of("v"), false, ended)) {
            RecordsWithSplitIds<RedisScanRecord> batch = reader.fetch();

            assertThat(drain(batch)).isEmpty();
            assertThat(batch.finishedSplits()).containsExactly("s");
            assertThat(client.calls("scan")).isZero();
        }
    }
}
