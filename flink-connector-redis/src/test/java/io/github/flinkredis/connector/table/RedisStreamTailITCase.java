package io.github.flinkredis.connector.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkredis.connector.RedisITCaseBase;
import io.github.flinkredis.testutils.RedisCluster;
import io.lettuce.core.Consumer;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stream tables read with XREAD: unbounded tails from each startup mode, bounded reads between
 * start and stop positions, discovery of new streams, and event-time windows over entry times.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"standalone", "cluster"})
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RedisStreamTailITCase extends RedisITCaseBase {

    @Parameter String deployment;

    private StreamTableEnvironment streaming;

    @Override
    protected String deployment() {
        return deployment;
    }

    @BeforeEach
    void streamingEnvironment() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        streaming = StreamTableEnvironment.create(env, EnvironmentSettings.inStreamingMode());
    }

    private void xadd(String key, String id, String sku, int qty) {
        client.sync()
                .xadd(key, new XAddArgs().id(id), Map.of("sku", sku, "qty", Integer.toString(qty)));
    }

    private void createOrders(StreamTableEnvironment env, String... extra) {
        env.executeSql(
                "CREATE TABLE orders (stream_key STRING METADATA FROM 'key', entry_id STRING"
                        + " METADATA FROM 'id', ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp',"
                        + " sku STRING, qty INT) WITH ("
                        + with(
                                concat(
                                        new String[] {"data-type", "stream", "key.prefix", "o:"},
                                        extra))
                        + ")");
    }

    /** Reads rows of the running query until there are {@code n}, then cancels it. */
    private static List<Row> take(TableResult result, int n) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = result.collect()) {
            while (rows.size() < n && it.hasNext()) {
                rows.add(it.next());
            }
        }
        return rows;
    }

    private static List<String> ids(List<Row> rows) {
        List<String> ids = new ArrayList<>();
        for (Row row : rows) {
            ids.add(row.getField(0) + "/" + row.getField(1));
        }
        return ids;
    }

    @Test
    void earliestTailsEveryStreamFromItsFirstEntryAndGoesOnWithNewEntries() throws Exception {
        for (String key : List.of("o:eu", "o:us", "o:asia")) {
            for (int i = 1; i <= 3; i++) {
                xadd(key, "1000-" + i, key + i, i);
            }
        }
        createOrders(streaming);
        TableResult result =
                streaming.executeSql("SELECT stream_key, entry_id, ts, sku, qty FROM orders");

        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = result.collect()) {
            while (rows.size() < 9) {
                rows.add(it.next());
            }
            // entries added while the job runs follow
            xadd("o:us", "2000-0", "late", 7);
            rows.add(it.next());
        }

        assertThat(rows).hasSize(10);
        assertThat(rows)
                .contains(
                        Row.of("o:eu", "1000-1", Instant.ofEpochMilli(1000), "o:eu1", 1),
                        Row.of("o:asia", "1000-3", Instant.ofEpochMilli(1000), "o:asia3", 3));
        assertThat(rows.get(9))
                .isEqualTo(Row.of("o:us", "2000-0", Instant.ofEpochMilli(2000), "late", 7));
        assertThat(ids(rows)).doesNotHaveDuplicates();
        // per stream, entries arrive in ID order
        List<String> us = new ArrayList<>();
        for (Row row : rows) {
            if ("o:us".equals(row.getField(0))) {
                us.add((String) row.getField(1));
            }
        }
        assertThat(us).containsExactly("1000-1", "1000-2", "1000-3", "2000-0");
    }

    @Test
    void latestReadsOnlyEntriesAddedAfterTheJobStarted() throws Exception {
        xadd("o:eu", "1000-1", "old", 1);
        xadd("o:us", "1000-1", "old", 1);
        createOrders(streaming, "scan.startup.mode", "latest");
        TableResult result = streaming.executeSql("SELECT stream_key, entry_id, sku FROM orders");

        // the job resolves 'latest' when it starts: keep adding entries until rows come
        AtomicBoolean done = new AtomicBoolean();
        Thread producer =
                new Thread(
                        () -> {
                            for (int i = 0; !done.get(); i++) {
                                client.sync()
                                        .xadd(i % 2 == 0 ? "o:eu" : "o:us", Map.of("sku", "new"));
                            }
                        });
        List<Row> rows;
        producer.start();
        try {
            rows = take(result, 20);
        } finally {
            done.set(true);
            producer.join();
        }

        assertThat(rows).hasSize(20).allSatisfy(r -> assertThat(r.getField(2)).isEqualTo("new"));
        assertThat(ids(rows)).doesNotHaveDuplicates();
    }

    @Test
    void timestampStartAndLatestStopReadTheEntriesInBetween() throws Exception {
        for (int ms = 1000; ms <= 5000; ms += 1000) {
            xadd("o:eu", ms + "-0", "eu" + ms, 1);
            xadd("o:us", ms + "-0", "us" + ms, 1);
        }
        createOrders(
                tEnv,
                "scan.startup.mode",
                "timestamp",
                "scan.startup.timestamp-millis",
                "3000",
                "scan.bounded.mode",
                "latest");

        List<Row> rows = query("SELECT stream_key, entry_id FROM orders");

        assertThat(ids(rows))
                .containsExactlyInAnyOrder(
                        "o:eu/3000-0",
                        "o:eu/4000-0",
                        "o:eu/5000-0",
                        "o:us/3000-0",
                        "o:us/4000-0",
                        "o:us/5000-0");
    }

    @Test
    void aBacklogIsReadInTimeWindowsEveryEntryOnceInOrder() throws Exception {
        // 6,001 entries: 3,000 in one millisecond, 3,000 one per ms after a gap, one alone at
        // the end: windows planned from the average density are dense (read on from their last
        // entry), empty and sparse
        int n = 6_001;
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add(
                    i < 3_000 ? "5-" + (i + 1) : i < 6_000 ? (1_000_000 + i) + "-0" : "90000000-0");
        }
        client.load(
                n,
                (c, i) ->
                        c.xadd(
                                "o:big",
                                new XAddArgs().id(expected.get(i)),
                                Map.of("sku", "s" + i, "qty", Integer.toString(i))));
        createOrders(
                tEnv,
                "scan.startup.mode",
                "timestamp",
                "scan.startup.timestamp-millis",
                "0",
                "scan.bounded.mode",
                "latest",
                "scan.member-page-size",
                "100");
        client.resetStats();

        List<Row> rows = query("SELECT stream_key, entry_id, sku, qty FROM orders");

        assertThat(ids(rows))
                .containsExactlyElementsOf(expected.stream().map(id -> "o:big/" + id).toList());
        for (int i = 0; i < n; i += 1_000) {
            assertThat(rows.get(i).getField(2)).isEqualTo("s" + i);
            assertThat(rows.get(i).getField(3)).isEqualTo(i);
        }
        // two full XREADs (the second with XINFO STREAM), then XRANGE windows to the stop: about as
        // many windows as XREADs (61 at most) and the dense ones read on in pages of 200 (30 more
        // at most, + 1 for each dense window's last part)
        assertThat(client.calls("xread")).isEqualTo(2);
        assertThat(client.calls("xrange")).isBetween(30L, 61 + 30 + 2L);
    }

    @Test
    void specificIdsStartAndStopPerStream() throws Exception {
        for (int i = 1; i <= 6; i++) {
            xadd("o:eu", "1000-" + i, "eu", i);
            xadd("o:us", "1000-" + i, "us", i);
        }
        createOrders(
                tEnv,
                "scan.startup.mode",
                "specific-ids",
                "scan.startup.specific-ids",
                "o:eu:1000-2;o:us:1000-5",
                "scan.bounded.mode",
                "specific-ids",
                "scan.bounded.specific-ids",
                "o:eu:1000-4");

        List<Row> rows = query("SELECT stream_key, entry_id FROM orders");

        // o:eu from 1000-2 up to, not including, 1000-4; o:us from 1000-5 to its last entry
        assertThat(ids(rows))
                .containsExactlyInAnyOrder(
                        "o:eu/1000-2", "o:eu/1000-3", "o:us/1000-5", "o:us/1000-6");
    }

    @Test
    void timestampStopEndsBeforeThatMillisecond() throws Exception {
        for (int ms = 1000; ms <= 4000; ms += 1000) {
            xadd("o:eu", ms + "-0", "eu", 1);
            xadd("o:eu", ms + "-1", "eu", 2);
        }
        createOrders(
                tEnv,
                "scan.startup.mode",
                "timestamp",
                "scan.startup.timestamp-millis",
                "0",
                "scan.bounded.mode",
                "timestamp",
                "scan.bounded.timestamp-millis",
                "3000");

        assertThat(ids(query("SELECT stream_key, entry_id FROM orders")))
                .containsExactly("o:eu/1000-0", "o:eu/1000-1", "o:eu/2000-0", "o:eu/2000-1");
    }

    @Test
    void aStreamCreatedWhileTheJobRunsIsDiscoveredAndReadFromItsFirstEntry() throws Exception {
        xadd("o:eu", "1000-1", "eu", 1);
        createOrders(streaming, "scan.startup.mode", "latest", "scan.discovery.interval", "50 ms");
        TableResult result = streaming.executeSql("SELECT stream_key, entry_id FROM orders");

        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = result.collect()) {
            // a row of o:eu tells that the job has started and made its first discovery
            AtomicBoolean done = new AtomicBoolean();
            Thread producer =
                    new Thread(
                            () -> {
                                while (!done.get()) {
                                    client.sync().xadd("o:eu", Map.of("sku", "eu"));
                                }
                            });
            producer.start();
            try {
                assertThat(it.next().getField(0)).isEqualTo("o:eu");
            } finally {
                done.set(true);
                producer.join();
            }
            // created after the job started: found by a later discovery and read from its
            // first entry although the startup mode is 'latest'
            xadd("o:new", "500-1", "new", 1);
            xadd("o:new", "500-2", "new", 2);
            while (rows.size() < 2) {
                Row row = it.next();
                if ("o:new".equals(row.getField(0))) {
                    rows.add(row);
                }
            }
        }

        assertThat(ids(rows)).containsExactly("o:new/500-1", "o:new/500-2");
    }

    @Test
    void eventTimeTumblingWindowsOverEntryTimes() throws Exception {
        // 3 entries in second 1, 2 in second 2, 1 in second 3; then one at second 10 moves the
        // watermark past the first three windows, which close while the source keeps tailing
        int[] millis = {1000, 1200, 1999, 2000, 2500, 3000, 10000};
        for (int i = 0; i < millis.length; i++) {
            xadd("o:eu", millis[i] + "-0", "eu", i + 1);
        }
        streaming.executeSql(
                "CREATE TABLE orders (ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp', qty INT,"
                        + " WATERMARK FOR ts AS ts) WITH ("
                        + with("data-type", "stream", "key.pattern", "o:eu")
                        + ")");

        List<Row> rows =
                take(
                        streaming.executeSql(
                                "SELECT window_start, COUNT(*), SUM(qty) FROM TABLE(TUMBLE(TABLE"
                                        + " orders, DESCRIPTOR(ts), INTERVAL '1' SECOND)) GROUP BY"
                                        + " window_start, window_end"),
                        3);

        assertThat(rows)
                .containsExactly(
                        Row.of(localTime(1000), 3L, 6),
                        Row.of(localTime(2000), 2L, 9),
                        Row.of(localTime(3000), 1L, 6));
    }

    private static java.time.LocalDateTime localTime(long millis) {
        return java.time.LocalDateTime.ofInstant(
                Instant.ofEpochMilli(millis), java.time.ZoneId.systemDefault());
    }

    @Test
    void aConsumerGroupIsCreatedAtTheStartupPositionAndAcknowledgesOnCheckpoints()
            throws Exception {
        for (int i = 1; i <= 5; i++) {
            xadd("o:eu", "1000-" + i, "eu", i);
        }
        streaming.getConfig().set("execution.checkpointing.interval", "50 ms");
        createOrders(
                streaming,
                "scan.consumer-group",
                "shipping",
                "scan.startup.mode",
                "specific-ids",
                "scan.startup.specific-ids",
                "o:eu:1000-3");
        TableResult result = streaming.executeSql("SELECT stream_key, entry_id FROM orders");

        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = result.collect()) {
            rows.add(it.next());
            rows.add(it.next());
            rows.add(it.next());
            // the entries are acknowledged once a checkpoint holding them completes
            RedisCluster.await(
                    "the group has no pending entry",
                    () -> client.sync().xpending("o:eu", "shipping").getCount() == 0);
        }

        assertThat(ids(rows)).containsExactly("o:eu/1000-3", "o:eu/1000-4", "o:eu/1000-5");
        assertThat(client.sync().xinfoGroups("o:eu").toString()).contains("shipping");
    }

    @Test
    void twoTablesSharingAGroupAsTwoConsumersReadEachEntryOnce() throws Exception {
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            xadd("o:eu", "1000-" + i, "eu", i);
            expected.add("o:eu/1000-" + i);
        }
        for (String consumer : List.of("a", "b")) {
            streaming.executeSql(
                    "CREATE TABLE orders_"
                            + consumer
                            + " (stream_key STRING METADATA FROM 'key', entry_id STRING METADATA"
                            + " FROM 'id') WITH ("
                            + with(
                                    "data-type",
                                    "stream",
                                    "key.prefix",
                                    "o:",
                                    "scan.consumer-group",
                                    "shared",
                                    "scan.consumer-name",
                                    consumer,
                                    "scan.member-page-size",
                                    "10")
                            + ")");
        }

        List<Row> rows =
                take(
                        streaming.executeSql(
                                "SELECT * FROM orders_a UNION ALL SELECT * FROM orders_b"),
                        200);

        assertThat(ids(rows)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void pendingEntriesOfTheConsumerAreReadFirst() throws Exception {
        for (int i = 1; i <= 5; i++) {
            xadd("o:eu", "1000-" + i, "eu", i);
        }
        // an earlier run, as consumer 'flink', got 1000-1..1000-3 and never acknowledged them
        client.sync().xgroupCreate(XReadArgs.StreamOffset.from("o:eu", "0"), "billing");
        client.sync()
                .xreadgroup(
                        Consumer.from("billing", "flink"),
                        XReadArgs.Builder.count(3),
                        XReadArgs.StreamOffset.lastConsumed("o:eu"));
        createOrders(streaming, "scan.consumer-group", "billing");

        List<Row> rows = take(streaming.executeSql("SELECT stream_key, entry_id FROM orders"), 5);

        assertThat(ids(rows))
                .containsExactly(
                        "o:eu/1000-1", "o:eu/1000-2", "o:eu/1000-3", "o:eu/1000-4", "o:eu/1000-5");
    }

    /** Delivers the next {@code count} entries of o:eu to {@code consumer} of {@code group}. */
    private void deliver(String group, String consumer, int count) {
        client.sync()
                .xreadgroup(
                        Consumer.from(group, consumer),
                        XReadArgs.Builder.count(count),
                        XReadArgs.StreamOffset.lastConsumed("o:eu"));
    }

    @Test
    void entriesOfOtherConsumersAreClaimedOnceIdleForTheThreshold() throws Exception {
        for (int i = 1; i <= 6; i++) {
            xadd("o:eu", "1000-" + i, "eu", i);
        }
        client.sync().xgroupCreate(XReadArgs.StreamOffset.from("o:eu", "0"), "billing");
        // a consumer that died holds 1000-1 and 1000-2
        deliver("billing", "dead", 2);
        streaming.getConfig().set("execution.checkpointing.interval", "50 ms");
        createOrders(
                streaming, "scan.consumer-group", "billing", "scan.claim-min-idle-time", "10 ms");

        List<Row> rows = take(streaming.executeSql("SELECT stream_key, entry_id FROM orders"), 6);

        assertThat(ids(rows))
                .containsExactlyInAnyOrder(
                        "o:eu/1000-1",
                        "o:eu/1000-2",
                        "o:eu/1000-3",
                        "o:eu/1000-4",
                        "o:eu/1000-5",
                        "o:eu/1000-6");
    }

    @Test
    void claimedEntriesAnEarlierRunLeftUnacknowledgedAreEmittedAgain() throws Exception {
        for (int i = 1; i <= 5; i++) {
            xadd("o:eu", "1000-" + i, "eu", i);
        }
        client.sync().xgroupCreate(XReadArgs.StreamOffset.from("o:eu", "0"), "billing");
        // an earlier run claimed 1000-1 and 1000-2 and failed before its checkpoint; a live
        // consumer 'other' holds 1000-3, pending for less than the threshold
        deliver("billing", "flink-claimed", 2);
        deliver("billing", "other", 1);
        streaming.getConfig().set("execution.checkpointing.interval", "50 ms");
        createOrders(
                streaming, "scan.consumer-group", "billing", "scan.claim-min-idle-time", "1 h");
        TableResult result = streaming.executeSql("SELECT stream_key, entry_id FROM orders");

        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = result.collect()) {
            while (rows.size() < 4) {
                rows.add(it.next());
            }
            // what the job emitted is acknowledged; 'other' keeps its entry
            RedisCluster.await(
                    "only the entry of 'other' is pending",
                    () -> client.sync().xpending("o:eu", "billing").getCount() == 1);
        }

        assertThat(ids(rows))
                .containsExactlyInAnyOrder(
                        "o:eu/1000-1", "o:eu/1000-2", "o:eu/1000-4", "o:eu/1000-5");
        assertThat(
                        client.sync()
                                .xpending(
                                        "o:eu",
                                        "billing",
                                        io.lettuce.core.Range.create("-", "+"),
                                        io.lettuce.core.Limit.from(10)))
                .singleElement()
                .satisfies(
                        p -> {
                            assertThat(p.getId()).isEqualTo("1000-3");
                            assertThat(p.getConsumer()).isEqualTo("other");
                        });
    }

    @Test
    void aDebeziumChangelogStreamBecomesAnUpsertResult() throws Exception {
        String[] events = {
            "{\"before\":null,\"after\":{\"id\":1,\"name\":\"ann\"},\"op\":\"c\"}",
            "{\"before\":null,\"after\":{\"id\":2,\"name\":\"bob\"},\"op\":\"c\"}",
            "{\"before\":{\"id\":1,\"name\":\"ann\"},\"after\":{\"id\":1,\"name\":\"anna\"},"
                    + "\"op\":\"u\"}",
            "{\"before\":{\"id\":2,\"name\":\"bob\"},\"after\":null,\"op\":\"d\"}",
        };
        for (int i = 0; i < events.length; i++) {
            client.sync()
                    .xadd(
                            "{cdc}:users",
                            new XAddArgs().id("1000-" + (i + 1)),
                            Map.of("value", events[i]));
        }
        streaming.executeSql(
                "CREATE TABLE changes (id INT, name STRING) WITH ("
                        + with(
                                "data-type",
                                "stream",
                                "key.pattern",
                                "{cdc}:users",
                                "format",
                                "debezium-json")
                        + ")");
        streaming.executeSql(
                "CREATE TABLE users (id INT, name STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with("key.prefix", "user:")
                        + ")");

        // the changelog as the source emits it
        List<Row> changelog = take(streaming.executeSql("SELECT id, name FROM changes"), 5);
        assertThat(changelog)
                .containsExactly(
                        Row.ofKind(RowKind.INSERT, 1, "ann"),
                        Row.ofKind(RowKind.INSERT, 2, "bob"),
                        Row.ofKind(RowKind.UPDATE_BEFORE, 1, "ann"),
                        Row.ofKind(RowKind.UPDATE_AFTER, 1, "anna"),
                        Row.ofKind(RowKind.DELETE, 2, "bob"));

        // applied to hashes by the upsert sink, while the source keeps tailing
        TableResult insert = streaming.executeSql("INSERT INTO users SELECT id, name FROM changes");
        try {
            client.sync()
                    .xadd(
                            "{cdc}:users",
                            Map.of(
                                    "value",
                                    "{\"before\":null,\"after\":{\"id\":3,\"name\":\"cy\"},"
                                            + "\"op\":\"c\"}"));
            RedisCluster.await(
                    "user:3 is written (after every earlier change of the stream)",
                    () -> client.sync().exists("user:3") == 1);
        } finally {
            insert.getJobClient().orElseThrow().cancel().get();
        }
        assertThat(client.sync().hgetall("user:1")).isEqualTo(Map.of("name", "anna"));
        assertThat(client.sync().exists("user:2")).isZero();
        assertThat(client.sync().hgetall("user:3")).isEqualTo(Map.of("name", "cy"));
    }

    /** Table ev over stream ev, its field payload decoded as json, read from start to end. */
    private void createJsonPayloadTable() {
        tEnv.executeSql(
                "CREATE TABLE ev (n INT) WITH ("
                        + with(
                                "data-type",
                                "stream",
                                "key.pattern",
                                "ev",
                                "format",
                                "json",
                                "value.field",
                                "payload",
                                "scan.startup.mode",
                                "timestamp",
                                "scan.startup.timestamp-millis",
                                "0",
                                "scan.bounded.mode",
                                "latest")
                        + ")");
    }

    @Test
    void anEntryTheFormatCannotDecodeFailsNamingFieldEntryAndStream() {
        client.sync().xadd("ev", new XAddArgs().id("1000-1"), Map.of("payload", "{\"n\": 1}"));
        client.sync().xadd("ev", new XAddArgs().id("1000-2"), Map.of("payload", "not json"));
        createJsonPayloadTable();

        assertThatThrownBy(() -> query("SELECT n FROM ev"))
                .hasStackTraceContaining(
                        "Cannot decode field 'payload' of entry 1000-2 of stream 'ev' with format"
                                + " 'json': value 'not json'");
    }

    @Test
    void anEntryTheFormatDecodesToNoRowFailsNamingFieldEntryAndStream() {
        client.sync().xadd("ev", new XAddArgs().id("1000-1"), Map.of("payload", "{\"n\": 1}"));
        client.sync().xadd("ev", new XAddArgs().id("1000-2"), Map.of("payload", ""));
        createJsonPayloadTable();

        assertThatThrownBy(() -> query("SELECT n FROM ev"))
                .hasStackTraceContaining(
                        "Cannot decode field 'payload' of entry 1000-2 of stream 'ev' with format"
                                + " 'json': value '' (the format decoded it to no row)");
    }

    @Test
    void entriesDeletedAfterTheStartFailOrAreSkippedByPolicy() throws Exception {
        for (int i = 1; i <= 6; i++) {
            xadd("o:eu", "1000-" + i, "eu", i);
        }
        client.sync().xdel("o:eu", "1000-4");
        String[] start = {
            "scan.startup.mode",
            "specific-ids",
            "scan.startup.specific-ids",
            "o:eu:1000-3",
            "scan.bounded.mode",
            "latest"
        };
        createOrders(tEnv, start);

        assertThatThrownBy(() -> query("SELECT stream_key, entry_id FROM orders"))
                .hasStackTraceContaining("Stream 'o:eu' (")
                .hasStackTraceContaining(
                        "lost entries after 1000-2, where the read goes on: entries up to 1000-4"
                                + " were deleted (XDEL) before they were read. Set"
                                + " 'scan.stream.trimmed-policy' = 'continue'");

        tEnv.executeSql("DROP TABLE orders");
        createOrders(tEnv, concat(start, "scan.stream.trimmed-policy", "continue"));
        assertThat(ids(query("SELECT stream_key, entry_id FROM orders")))
                .containsExactly("o:eu/1000-3", "o:eu/1000-5", "o:eu/1000-6");
    }

    @Test
    void badStartAndStopOptionsFailNamingTheOption() {
        assertThatThrownBy(
                        () -> {
                            createOrders(tEnv, "scan.startup.mode", "timestamp");
                            query("SELECT * FROM orders");
                        })
                .hasStackTraceContaining(
                        "Option 'scan.startup.mode' = 'timestamp' needs option"
                                + " 'scan.startup.timestamp-millis'");
        tEnv.executeSql("DROP TABLE IF EXISTS orders");
        assertThatThrownBy(
                        () -> {
                            createOrders(
                                    tEnv,
                                    "scan.startup.mode",
                                    "specific-ids",
                                    "scan.startup.specific-ids",
                                    "o:eu:12-x");
                            query("SELECT * FROM orders");
                        })
                .hasStackTraceContaining(
                        "Option 'scan.startup.specific-ids', stream 'o:eu': 'o:eu:12-x'"
                                .substring(0, 45));
        tEnv.executeSql("DROP TABLE IF EXISTS orders");
        assertThatThrownBy(
                        () -> {
                            createOrders(tEnv, "scan.bounded.timestamp-millis", "5");
                            query("SELECT * FROM orders");
                        })
                .hasStackTraceContaining(
                        "Option 'scan.bounded.timestamp-millis' applies only with"
                                + " 'scan.bounded.mode' = 'timestamp', not 'unbounded'");
        tEnv.executeSql("DROP TABLE IF EXISTS orders");
        assertThatThrownBy(
                        () -> {
                            createOrders(tEnv, "scan.stream.block", "2 min");
                            query("SELECT * FROM orders");
                        })
                .hasStackTraceContaining("option 'scan.stream.block'")
                .hasStackTraceContaining("below 'command.timeout'");
        tEnv.executeSql("DROP TABLE IF EXISTS orders");
        assertThatThrownBy(
                        () -> {
                            createOrders(
                                    tEnv,
                                    "scan.consumer-group",
                                    "g",
                                    "scan.bounded.mode",
                                    "latest");
                            query("SELECT * FROM orders");
                        })
                .hasStackTraceContaining(
                        "Option 'scan.consumer-group' reads a stream table unbounded: it does not"
                                + " go with 'scan.bounded.mode' = 'latest'");
        tEnv.executeSql("DROP TABLE IF EXISTS orders");
        assertThatThrownBy(
                        () -> {
                            createOrders(tEnv, "scan.consumer-name", "c");
                            query("SELECT * FROM orders");
                        })
                .hasStackTraceContaining(
                        "Option 'scan.consumer-name' needs option 'scan.consumer-group'");
        tEnv.executeSql("DROP TABLE IF EXISTS orders");
        assertThatThrownBy(
                        () -> {
                            createOrders(tEnv, "scan.claim-min-idle-time", "1 min");
                            query("SELECT * FROM orders");
                        })
                .hasStackTraceContaining(
                        "Option 'scan.claim-min-idle-time' needs option 'scan.consumer-group'");
        tEnv.executeSql("DROP TABLE IF EXISTS orders");
        assertThatThrownBy(
                        () -> {
                            createOrders(
                                    tEnv,
                                    "scan.consumer-group",
                                    "g",
                                    "scan.claim-min-idle-time",
                                    "0 ms");
                            query("SELECT * FROM orders");
                        })
                .hasStackTraceContaining(
                        "Invalid value 'PT0S' for option 'scan.claim-min-idle-time': must be at"
                                + " least 1 ms.");
        assertThatThrownBy(
                        () -> {
                            tEnv.executeSql(
                                    "CREATE TABLE h (id STRING) WITH ("
                                            + with("scan.startup.mode", "latest")
                                            + ")");
                            query("SELECT * FROM h");
                        })
                .hasStackTraceContaining(
                        "Option 'scan.startup.mode' applies to 'data-type' = 'stream' only, not"
                                + " 'hash'");
    }
}
