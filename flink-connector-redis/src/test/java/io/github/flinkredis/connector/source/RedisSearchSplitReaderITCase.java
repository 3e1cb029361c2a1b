package io.github.flinkredis.connector.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkredis.connector.RedisStackITCaseBase;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.model.RedisText;
import io.github.flinkredis.connector.search.RedisSearchKeyQuery;
import io.github.flinkredis.connector.source.reader.RedisKeySplitReader;
import io.github.flinkredis.connector.source.reader.RedisScanRecord;
import io.github.flinkredis.connector.source.split.RedisScanSplit;
import io.github.flinkredis.connector.source.split.RedisScanSplitState;
import io.github.flinkredis.connector.types.RedisTypes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.metrics.SimpleCounter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The split reader listing its keys with a RediSearch query ({@link RedisSearchKeyQuery}), against
 * a real RediSearch, without a Flink job: segments of three keys read two per page, so that every
 * key but the first starts a segment or a page; keys a filter expression must escape, and binary
 * ones; a split restored after each record it emitted; a cursor gone from the server; an index
 * dropped mid-read.
 */
class RedisSearchSplitReaderITCase extends RedisStackITCaseBase {

    /** The table's keys, in byte order (the order the index returns them in). */
    private final List<byte[]> keys = new ArrayList<>();

    private String node;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @BeforeEach
    void load() {
        assumeCommand("FT.INFO", "RediSearch");
        node = redis.host() + ":" + redis.port();
        List<byte[]> all = new ArrayList<>();
        for (String suffix :
                List.of(
                        "a", "b'c", "d\\e", "f\"g", "h i", "j:k", "l{m}", "n|o", "P", "Q@R", "é",
                        "z", "@__key", "x'\\", "1", "10", "2", "20", "9")) {
            all.add(bytes("s:" + suffix));
        }
        all.add(new byte[] {'s', ':', (byte) 0xff});
        all.add(new byte[] {'s', ':', (byte) 0x80, 'x'});
        all.add(new byte[] {'s', ':', 'b', (byte) 0xfe});
        for (int i = 0; i < all.size(); i++) {
            byte[] key = all.get(i);
            client.binary().hset(key, Map.of(bytes("n"), bytes(Integer.toString(i))));
            if (i % 4 != 3) {
                keys.add(key); // n % 4 != 3: the query's keys
            }
        }
        // one that the query selects and the key pattern does not
        client.hset("t:1", Map.of("n", "1"));
        keys.sort(Arrays::compareUnsigned);
        createTestIndex();
    }

    /** The index of the keys under s: and t: by their number n, done indexing. */
    private void createTestIndex() {
        createIndex("idx", "ON", "HASH", "PREFIX", "2", "s:", "t:", "SCHEMA", "n", "NUMERIC");
    }

    @AfterEach
    void drop() {
        if (client != null) {
            try {
                client.command("FT.DROPINDEX", "idx");
            } catch (RuntimeException gone) {
                // dropped by the test
            }
        }
    }

    /** The keys whose n is not 3 mod 4, of the 22 loaded: a query with three ranges. */
    private static final String QUERY =
            "(@n:[-inf (3] | @n:[(3 (7] | @n:[(7 +inf]) -@n:[11 11] -@n:[15 15] -@n:[19 19]";

    private RedisKeySplitReader reader(RedisScanSplit split) {
        return reader(split, 3);
    }

    private RedisKeySplitReader reader(RedisScanSplit split, int segmentSize) {
        RedisKeySplitReader reader =
                new RedisKeySplitReader(
                        RedisConnectionConfig.fromUrl(redis.url()).build(),
                        new RedisReadSpec(RedisTypes.of(RedisDataType.HASH), List.of("n"), false),
                        2,
                        2,
                        1,
                        -1,
                        new RedisSearchKeyQuery("idx", QUERY, 0, segmentSize),
                        new SimpleCounter(),
                        new SimpleCounter());
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(split)));
        return reader;
    }

    private RedisScanSplit initial() {
        return RedisScanSplit.initial("s", -1, node, "s:*");
    }

    /** Fetches until the split finishes, applying each record to {@code state} as Flink does. */
    private List<RedisScanRecord> readToEnd(RedisKeySplitReader reader, RedisScanSplitState state)
            throws IOException {
        List<RedisScanRecord> out = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            RecordsWithSplitIds<RedisScanRecord> batch = reader.fetch();
            while (batch.nextSplit() != null) {
                RedisScanRecord r;
                while ((r = batch.nextRecordFromSplit()) != null) {
                    out.add(r);
                    state.markEmitted(
                            r.nodeAddress(), r.pageCursor(), r.record().key(), r.nextCursor());
                }
            }
            if (!batch.finishedSplits().isEmpty()) {
                return out;
            }
        }
        throw new AssertionError("split did not finish");
    }

    private static List<String> shown(List<RedisScanRecord> records) {
        List<String> out = new ArrayList<>();
        records.forEach(r -> out.add(RedisText.show(r.record().key())));
        return out;
    }

    private List<String> shownKeys(List<byte[]> list) {
        List<String> out = new ArrayList<>();
        list.forEach(k -> out.add(RedisText.show(k)));
        return out;
    }

    @Test
    void everySelectedKeyIsReadOnceInByteOrderAcrossSegments() throws Exception {
        client.resetStats();
        List<RedisScanRecord> records;
        try (RedisKeySplitReader reader = reader(initial())) {
            records = readToEnd(reader, new RedisScanSplitState(initial()));
        }

        assertThat(shown(records)).isEqualTo(shownKeys(keys));
        // the last key's page is not known to be the last (a segment that returns no key ends
        // the query): a checkpoint after it restores to an empty segment
        assertThat(records.get(records.size() - 1).nextCursor())
                .isEqualTo(RedisSearchKeyQuery.positionAfter(keys.get(keys.size() - 1)));
        // 18 keys (17 and t:1) in segments of 3, then one that returns none
        assertThat(client.calls("FT.AGGREGATE")).isEqualTo(7);
        assertThat(client.calls("hmget")).isEqualTo(keys.size());
        assertThat(client.calls("scan")).isZero();
    }

    @Test
    void aFirstSegmentHoldingEveryMatchIsTheOnlyOne() throws Exception {
        client.resetStats();
        List<RedisScanRecord> records;
        try (RedisKeySplitReader reader = reader(initial(), 100)) {
            records = readToEnd(reader, new RedisScanSplitState(initial()));
        }

        assertThat(shown(records)).isEqualTo(shownKeys(keys));
        // its total (18, t:1 included) is the number of keys it returned: no second segment
        assertThat(client.calls("FT.AGGREGATE")).isEqualTo(1);
    }

    @Test
    void aSplitRestoredAfterAnyRecordEmitsEachOtherKeyOnce() throws Exception {
        for (int k = 0; k <= keys.size(); k++) {
            RedisScanSplitState state = new RedisScanSplitState(initial());
            List<RedisScanRecord> first = new ArrayList<>();
            try (RedisKeySplitReader reader = reader(initial())) {
                List<RedisScanRecord> all = readToEnd(reader, new RedisScanSplitState(initial()));
                for (RedisScanRecord r : all.subList(0, k)) {
                    first.add(r);
                    state.markEmitted(
                            r.nodeAddress(), r.pageCursor(), r.record().key(), r.nextCursor());
                }
            }
            RedisScanSplit checkpoint = state.toSplit();
            List<RedisScanRecord> rest;
            try (RedisKeySplitReader reader = reader(checkpoint)) {
                rest = readToEnd(reader, new RedisScanSplitState(checkpoint));
            }

            List<String> both = shown(first);
            both.addAll(shown(rest));
            assertThat(both)
                    .as("restored after %d records: %s", k, checkpoint)
                    .isEqualTo(shownKeys(keys));
        }
    }

    @Test
    void aCursorGoneFromTheServerIsFollowedByASegmentAfterTheLastKey() throws Exception {
        List<RedisScanRecord> records = new ArrayList<>();
        RedisScanSplitState state = new RedisScanSplitState(initial());
        // one segment: its cursor stays open to the end
        try (RedisKeySplitReader reader = reader(initial(), 100)) {
            while (records.size() < 4) {
                RecordsWithSplitIds<RedisScanRecord> batch = reader.fetch();
                while (batch.nextSplit() != null) {
                    RedisScanRecord r;
                    while ((r = batch.nextRecordFromSplit()) != null) {
                        records.add(r);
                    }
                }
            }
            // dropping the index frees its cursors; the same index again answers the rest
            client.resetStats();
            client.command("FT.DROPINDEX", "idx");
            createTestIndex();
            records.addAll(readToEnd(reader, state));
        }

        assertThat(client.failedCalls("FT.CURSOR")).isEqualTo(1);
        assertThat(shown(records)).isEqualTo(shownKeys(keys));
    }

    @Test
    void anIndexDroppedMidReadFailsTheReadNamingIt() throws Exception {
        try (RedisKeySplitReader reader = reader(initial())) {
            reader.fetch();
            client.command("FT.DROPINDEX", "idx");

            assertThatThrownBy(() -> readToEnd(reader, new RedisScanSplitState(initial())))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("RediSearch index 'idx'")
                    .hasMessageContaining("does not exist on Redis node " + node)
                    .hasMessageContaining(
                            "Set option 'search.index' = 'none' to read this table with SCAN")
                    .hasMessageNotContaining("Caused by");
        }
    }
}
