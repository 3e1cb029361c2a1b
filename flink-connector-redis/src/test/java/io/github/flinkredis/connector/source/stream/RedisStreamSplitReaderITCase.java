package io.github.flinkredis.connector.source.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkredis.connector.RedisITCaseBase;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.StreamTrimmedPolicy;
import io.lettuce.core.XAddArgs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.metrics.SimpleCounter;
import org.junit.jupiter.api.Test;

/**
 * The stream split reader on its own against a real server: a position restored from a checkpoint
 * that the stream was trimmed past is a gap, failing or counted by policy.
 */
class RedisStreamSplitReaderITCase extends RedisITCaseBase {

    private RedisStreamSplitReader reader(StreamTrimmedPolicy policy, SimpleCounter gaps) {
        return new RedisStreamSplitReader(
                RedisConnectionConfig.fromUrl(redisUrl()).build(),
                null,
                100,
                100,
                1_000,
                null,
                new RedisStreamAcks(),
                policy,
                gaps,
                new SimpleCounter());
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
        for (int i = 1; i <= 10; i++) {
            client.sync().xadd("t", new XAddArgs().id("1000-" + i), Map.of("n", "" + i));
        }
        client.sync().xtrim("t", 5); // 1000-1 to 1000-5 are gone; the job had emitted 1000-2

        SimpleCounter gaps = new SimpleCounter();
        try (RedisStreamSplitReader failing = reader(StreamTrimmedPolicy.FAIL, gaps)) {
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

        try (RedisStreamSplitReader going = reader(StreamTrimmedPolicy.CONTINUE, gaps)) {
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
        try (RedisStreamSplitReader fine = reader(StreamTrimmedPolicy.FAIL, gaps)) {
            fine.handleSplitsChanges(new SplitsAddition<>(List.of(resumedAfter("1000-7"))));
        }
        assertThat(gaps.getCount()).isEqualTo(2);
    }
}
