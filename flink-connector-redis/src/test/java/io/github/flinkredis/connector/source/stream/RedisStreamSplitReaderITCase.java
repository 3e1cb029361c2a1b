package io.github.flinkredis.connector.source.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.flinkredis.connector.RedisITCaseBase;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.StreamTrimmedPolicy;
import io.github.flinkredis.connector.model.RedisStreamConsumer;
import io.github.flinkredis.connector.model.RedisStreamEntryId;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The stream split reader on its own against a real server: a position restored from a checkpoint
 * that the stream was trimmed past is a gap, failing or counted by policy; the lag and pending
 * gauges follow the read.
 */
class RedisStreamSplitReaderITCase extends RedisITCaseBase {

    private RedisStreamSplitReader reader(StreamTrimmedPolicy policy, RedisStreamMetrics metrics) {
        return reader(policy, metrics, null, new RedisStreamAcks());
    }

    private RedisStreamSplitReader reader(
            StreamTrimmedPolicy policy,
            RedisStreamMetrics metrics,
            RedisStreamConsumer consumer,
            RedisStreamAcks acks) {
        return new RedisStreamSplitReader(
                RedisConnectionConfig.fromUrl(redisUrl()).build(),
                null,
                100,
                100,
                1_000,
                consumer,
                acks,
                policy,
                metrics);
    }

    private static RedisStreamMetrics metrics(boolean consumerGroup) {
        return new RedisStreamMetrics(
                UnregisteredMetricsGroup.createSourceReaderMetricGroup(), consumerGroup);
    }

    /** Fetches until {@code done} holds, adding the IDs fetched to {@code ids}; 30 s at most. */
    private static void fetchUntil(
            RedisStreamSplitReader reader, List<String> ids, BooleanSupplier done)
            throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!done.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as("time left").isLessThan(deadline);
            RecordsWithSplitIds<RedisStreamRecord> records = reader.fetch();
            while (records.nextSplit() != null) {
                RedisStreamRecord r;
                while ((r = records.nextRecordFromSplit()) != null) {
                    ids.add(r.record.entryId());
                }
            }
        }
    }

    /** Stream t with entries 1000-1 to 1000-10, field n = 1..10. */
    private void addTenEntries() {
        for (int i = 1; i <= 10; i++) {
            client.sync().xadd("t", new XAddArgs().id("1000-" + i), Map.of("n", "" + i));
        }
    }

    /** Entries 2000-1 to 2000-3 in one script, the last trimming stream t to itself. */
    private void addThreeTrimmingToTheLast() {
        client.sync()
                .eval(
                        "redis.call('XADD', KEYS[1], '2000-1', 'n', '11');"
                                + " redis.call('XADD', KEYS[1], '2000-2', 'n', '12');"
                                + " return redis.call('XADD', KEYS[1], 'MAXLEN', '1',"
                                + " '2000-3', 'n', '13')",
                        io.lettuce.core.ScriptOutputType.VALUE,
                        "t");
    }

    private static void readStreamTFromItsStart(RedisStreamSplitReader reader) {
        reader.handleSplitsChanges(
                new SplitsAddition<>(
                        List.of(
                                new RedisStreamSplit(
                                        "t".getBytes(StandardCharsets.UTF_8),
                                        RedisStreamEntryId.MIN,
                                        null))));
    }

    @Test
    void theLagGaugeCountsTheEntriesAfterTheLastOneRead() throws Exception {
        addTenEntries();
        RedisStreamMetrics metrics = metrics(false);
        RedisStreamMetrics.Stream gauges = metrics.stream("t");
        List<Long> lags = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        try (RedisStreamSplitReader reader =
                reader(StreamTrimmedPolicy.FAIL, metrics, null, new RedisStreamAcks())) {
            readStreamTFromItsStart(reader);
            fetchUntil(
                    reader,
                    ids,
                    () -> {
                        if (lags.isEmpty() || lags.get(lags.size() - 1) != gauges.lag) {
                            lags.add(gauges.lag);
                        }
                        return gauges.lag == 0;
                    });
            // the first XINFO went out before the first XREAD: all 10 entries were ahead
            assertThat(lags).containsExactly(-1L, 10L, 0L);
            assertThat(ids).hasSize(10);

            client.sync().xadd("t", new XAddArgs().id("2000-1"), Map.of("n", "11"));
            fetchUntil(reader, ids, () -> ids.size() == 11);
        }
    }

    @Test
    void withAConsumerGroupTheGaugesShowTheGroupsLagAndPendingEntries() throws Exception {
        addTenEntries();
        client.sync().xgroupCreate(XReadArgs.StreamOffset.from("t", "0"), "g");
        RedisStreamMetrics metrics = metrics(true);
        RedisStreamMetrics.Stream gauges = metrics.stream("t");
        RedisStreamAcks acks = new RedisStreamAcks();
        List<String> ids = new ArrayList<>();
        try (RedisStreamSplitReader reader =
                reader(
                        StreamTrimmedPolicy.FAIL,
                        metrics,
                        new RedisStreamConsumer("g", "c"),
                        acks)) {
            acks.attach(reader);
            readStreamTFromItsStart(reader);
            fetchUntil(reader, ids, () -> gauges.pending == 10 && gauges.lag == 0);
            assertThat(ids).hasSize(10);

            // a checkpoint holding the first 4 completes: they are acknowledged
            acks.completed(
                    Map.of(
                            "t",
                            new RedisStreamAcks.Checkpointed(
                                    RedisStreamEntryId.parse("1000-4"), List.of())));
            fetchUntil(reader, ids, () -> gauges.pending == 6);
            client.sync().xadd("t", new XAddArgs().id("2000-1"), Map.of("n", "11"));
            fetchUntil(reader, ids, () -> ids.size() == 11 && gauges.pending == 7);
        }
    }

    @ParameterizedTest(name = "consumer group {0}, {1}")
    @CsvSource({"false, FAIL", "false, CONTINUE", "true, FAIL", "true, CONTINUE"})
    void entriesTrimmedBeforeARunningReadReachesThemAreAGap(
            boolean group, StreamTrimmedPolicy policy) throws Exception {
        addTenEntries();
        if (group) {
            client.sync().xgroupCreate(XReadArgs.StreamOffset.from("t", "0"), "g");
        }
        RedisStreamMetrics metrics = metrics(group);
        RedisStreamMetrics.Stream gauges = metrics.stream("t");
        List<String> ids = new ArrayList<>();
        try (RedisStreamSplitReader reader =
                group ? groupReader(policy, metrics) : reader(policy, metrics)) {
            readStreamTFromItsStart(reader);
            // caught up, and known to be: the lag is counted from here
            fetchUntil(reader, ids, () -> ids.size() == 10 && gauges.lag == 0);

            // the blocked XREAD or XREADGROUP is answered after the script, with 2000-3 only
            addThreeTrimmingToTheLast();

            if (policy == StreamTrimmedPolicy.FAIL) {
                Throwable t =
                        catchThrowable(
                                () -> fetchUntil(reader, ids, () -> metrics.gaps().getCount() > 0));
                assertThat(t)
                        .hasMessageContaining("Stream 't'")
                        .hasMessageContaining(
                                group
                                        ? "lost 2 entries that group 'g' never read: they were"
                                                + " trimmed (MAXLEN, XTRIM) or deleted (XDEL)"
                                                + " before it reached them; the group has read up"
                                                + " to 2000-3"
                                        : "lost 2 entries added after 1000-10: they were trimmed"
                                                + " (MAXLEN, XTRIM) or deleted (XDEL) before the"
                                                + " read reached them; it read up to 2000-3")
                        .hasMessageContaining("'scan.stream.trimmed-policy' = 'continue'");
            } else {
                fetchUntil(reader, ids, () -> metrics.gaps().getCount() == 1);
                // and no gap again once the read is past it: a gauge round after 3000-1 (with a
                // group, 12 pending: nothing is acknowledged here) counts none
                client.sync().xadd("t", new XAddArgs().id("3000-1"), Map.of("n", "14"));
                fetchUntil(
                        reader,
                        ids,
                        () -> ids.size() == 12 && (group ? gauges.pending == 12 : gauges.lag == 0));
                assertThat(metrics.gaps().getCount()).isEqualTo(1);
            }
        }
        assertThat(ids.subList(10, ids.size()))
                .isEqualTo(
                        policy == StreamTrimmedPolicy.FAIL
                                ? List.of("2000-3")
                                : List.of("2000-3", "3000-1"));
    }

    /** Failed calls of XINFO STREAM on the server since the last reset ({@code INFO}). */
    private long failedXinfoStream() {
        for (String line : client.sync().info("commandstats").split("\\r?\\n")) {
            if (line.startsWith("cmdstat_xinfo|stream:")) {
                for (String part : line.substring(line.indexOf(':') + 1).split(",")) {
                    if (part.startsWith("failed_calls=")) {
                        return Long.parseLong(part.substring("failed_calls=".length()));
                    }
                }
            }
        }
        return 0;
    }

    @Test
    void aStreamDeletedWhileReadIsReadAgainWhenItComesBack() throws Exception {
        addTenEntries();
        RedisStreamMetrics metrics = metrics(false);
        List<String> ids = new ArrayList<>();
        try (RedisStreamSplitReader reader = reader(StreamTrimmedPolicy.FAIL, metrics)) {
            readStreamTFromItsStart(reader);
            fetchUntil(reader, ids, () -> ids.size() == 10 && metrics.stream("t").lag == 0);
            client.resetStats();
            client.sync().del("t");
            // two gauge rounds whose XINFO STREAM failed (no such key): the first one's failure
            // was taken in by the second round
            fetchUntil(reader, ids, () -> failedXinfoStream() >= 2);

            client.sync().xadd("t", new XAddArgs().id("3000-1"), Map.of("n", "11"));
            fetchUntil(reader, ids, () -> ids.size() == 11);
        }
        assertThat(ids.get(10)).isEqualTo("3000-1");
        assertThat(metrics.gaps().getCount()).isZero();
    }

    @Test
    void entriesLeftPendingByADeadConsumerAreClaimedAndCounted() throws Exception {
        for (int i = 1; i <= 5; i++) {
            client.sync().xadd("t", new XAddArgs().id("1000-" + i), Map.of("n", "" + i));
        }
        client.sync().xgroupCreate(XReadArgs.StreamOffset.from("t", "0"), "g");
        // a consumer that reads the five entries and dies without acknowledging them
        client.sync()
                .xreadgroup(
                        io.lettuce.core.Consumer.from("g", "dead"),
                        XReadArgs.StreamOffset.lastConsumed("t"));
        RedisStreamMetrics metrics = metrics(true);
        List<String> ids = new ArrayList<>();
        try (RedisStreamSplitReader reader =
                reader(
                        StreamTrimmedPolicy.FAIL,
                        metrics,
                        new RedisStreamConsumer("g", "c").withClaimMinIdle(Duration.ofMillis(1)),
                        new RedisStreamAcks())) {
            readStreamTFromItsStart(reader);
            fetchUntil(reader, ids, () -> ids.size() == 5);
        }

        assertThat(ids).containsExactly("1000-1", "1000-2", "1000-3", "1000-4", "1000-5");
        assertThat(metrics.claims().getCount()).isEqualTo(5);
        // they now belong to c-claimed, until a checkpoint holding them completes
        assertThat(client.sync().xpending("t", "g").getConsumerMessageCount())
                .isEqualTo(Map.of("c-claimed", 5L));
    }

    /**
     * Stream t of ten entries, group g at its start, {@code count} delivered to {@code consumer}.
     */
    private void tenEntriesAndGroupDelivered(String consumer, int count) {
        addTenEntries();
        client.sync().xgroupCreate(XReadArgs.StreamOffset.from("t", "0"), "g");
        client.sync()
                .xreadgroup(
                        io.lettuce.core.Consumer.from("g", consumer),
                        XReadArgs.Builder.count(count),
                        XReadArgs.StreamOffset.lastConsumed("t"));
    }

    private RedisStreamSplitReader groupReader(StreamTrimmedPolicy policy, RedisStreamMetrics m) {
        return reader(policy, m, new RedisStreamConsumer("g", "c"), new RedisStreamAcks());
    }

    @ParameterizedTest
    @EnumSource(StreamTrimmedPolicy.class)
    void aGroupPositionBeforeTheTrimmedStreamsFirstEntryIsAGap(StreamTrimmedPolicy policy)
            throws Exception {
        // another consumer of the group reads and acknowledges 3 entries
        tenEntriesAndGroupDelivered("other", 3);
        client.sync().xack("t", "g", "1000-1", "1000-2", "1000-3");
        client.sync().xtrim("t", 5); // 1000-4 and 1000-5 go unread by the group

        RedisStreamMetrics metrics = metrics(true);
        List<String> ids = new ArrayList<>();
        try (RedisStreamSplitReader reader = groupReader(policy, metrics)) {
            if (policy == StreamTrimmedPolicy.FAIL) {
                assertThatThrownBy(() -> readStreamTFromItsStart(reader))
                        .hasMessageContaining("Stream 't' (")
                        .hasMessageContaining(
                                "lost 2 entries that group 'g' never read: they were trimmed"
                                        + " (MAXLEN, XTRIM) or deleted (XDEL) before it reached"
                                        + " them; the group has read up to 1000-3")
                        .hasMessageContaining("'scan.stream.trimmed-policy' = 'continue'");
                assertThat(metrics.gaps().getCount()).isEqualTo(1);
                return;
            }
            readStreamTFromItsStart(reader);
            // and a gauge round after the last entry (5 pending: nothing is acknowledged here)
            fetchUntil(reader, ids, () -> ids.size() == 5 && metrics.stream("t").pending == 5);
        }
        assertThat(ids).containsExactly("1000-6", "1000-7", "1000-8", "1000-9", "1000-10");
        assertThat(metrics.gaps().getCount()).isEqualTo(1);
        // the check counted the lost entries as read by the group: its lag is right again, and
        // a read started later (a restart) finds no gap
        assertThat(client.sync().xinfoGroups("t").get(0).toString())
                .contains("entries-read, 10, lag, 0");
        try (RedisStreamSplitReader again = groupReader(policy, metrics)) {
            readStreamTFromItsStart(again);
        }
        assertThat(metrics.gaps().getCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(StreamTrimmedPolicy.class)
    void pendingEntriesTrimmedBeforeTheyAreReadAgainAreAGap(StreamTrimmedPolicy policy)
            throws Exception {
        // an earlier run of consumer c was delivered 5 entries and emitted none in a checkpoint
        tenEntriesAndGroupDelivered("c", 5);
        client.sync().xtrim("t", 7); // 1000-1 to 1000-3 are gone

        RedisStreamMetrics metrics = metrics(true);
        List<String> ids = new ArrayList<>();
        try (RedisStreamSplitReader reader = groupReader(policy, metrics)) {
            readStreamTFromItsStart(reader);
            if (policy == StreamTrimmedPolicy.FAIL) {
                Throwable t =
                        catchThrowable(
                                () -> fetchUntil(reader, ids, () -> metrics.gaps().getCount() > 0));
                assertThat(t)
                        .hasMessageContaining("Stream 't'")
                        .hasMessageContaining(
                                "lost 3 entries delivered to consumer 'c' of group 'g' after 0-0,"
                                        + " the last entry emitted: they were trimmed (MAXLEN,"
                                        + " XTRIM) or deleted (XDEL) before they could be read"
                                        + " again (1000-1, 1000-2, 1000-3)");
                assertThat(ids).isEmpty();
                return;
            }
            fetchUntil(reader, ids, () -> ids.size() == 7);
        }
        assertThat(ids)
                .containsExactly(
                        "1000-4", "1000-5", "1000-6", "1000-7", "1000-8", "1000-9", "1000-10");
        assertThat(metrics.gaps().getCount()).isEqualTo(1);
    }

    private static RedisStreamSplit resumedAfter(String id) {
        return new RedisStreamSplit(
                "t".getBytes(StandardCharsets.UTF_8),
                RedisStreamEntryId.parse(id),
                RedisStreamEntryId.parse("1000-10"),
                true);
    }

    @Test
    void aStreamTrimmedPastTheCheckpointedEntryIsAGap() throws Exception {
        addTenEntries();
        client.sync().xtrim("t", 5); // 1000-1 to 1000-5 are gone; the job had emitted 1000-2

        RedisStreamMetrics metrics = metrics(false);
        Counter gaps = metrics.gaps();
        try (RedisStreamSplitReader failing = reader(StreamTrimmedPolicy.FAIL, metrics)) {
            assertThatThrownBy(
                            () ->
                                    failing.handleSplitsChanges(
                                            new SplitsAddition<>(List.of(resumedAfter("1000-2")))))
                    .hasMessageContaining("Stream 't' (")
                    .hasMessageContaining(
                            "lost entries after 1000-2, where the read goes on: the stream was"
                                    + " trimmed (MAXLEN, XTRIM) past it: its first entry is now"
                                    + " 1000-6");
        }
        assertThat(gaps.getCount()).isEqualTo(1);

        try (RedisStreamSplitReader going = reader(StreamTrimmedPolicy.CONTINUE, metrics)) {
            going.handleSplitsChanges(new SplitsAddition<>(List.of(resumedAfter("1000-2"))));
            List<String> ids = new ArrayList<>();
            while (ids.size() < 5) {
                RecordsWithSplitIds<RedisStreamRecord> records = going.fetch();
                while (records.nextSplit() != null) {
                    RedisStreamRecord r;
                    while ((r = records.nextRecordFromSplit()) != null) {
                        ids.add(r.record.entryId());
                    }
                }
            }
            assertThat(ids).containsExactly("1000-6", "1000-7", "1000-8", "1000-9", "1000-10");
        }
        assertThat(gaps.getCount()).isEqualTo(2);

        // a position the stream was not trimmed past is no gap
        try (RedisStreamSplitReader fine = reader(StreamTrimmedPolicy.FAIL, metrics)) {
            fine.handleSplitsChanges(new SplitsAddition<>(List.of(resumedAfter("1000-7"))));
        }
        assertThat(gaps.getCount()).isEqualTo(2);
    }
}
