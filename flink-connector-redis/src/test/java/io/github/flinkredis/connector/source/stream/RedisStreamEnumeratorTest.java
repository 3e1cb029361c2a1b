package io.github.flinkredis.connector.source.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.StreamBoundedMode;
import io.github.flinkredis.connector.config.StreamStartupMode;
import io.github.flinkredis.connector.model.RedisStreamPositions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.mocks.MockSplitEnumeratorContext;
import org.junit.jupiter.api.Test;

/**
 * The stream enumerator of a bounded read, without a job: each reader is told once that no more
 * splits come. Telling a reader again after it finished (it had no split) sends an event to a
 * FINISHED task, which fails the job over: seen in {@code RedisStreamSourceConformanceITCase
 * .testIdleReader} (parallelism 5, readers registering one after the other).
 */
class RedisStreamEnumeratorTest {

    /** A context that counts the no-more-splits signals per reader. */
    private static final class Counting extends MockSplitEnumeratorContext<RedisStreamSplit> {
        final Map<Integer, Integer> told = new HashMap<>();

        Counting(int parallelism) {
            super(parallelism);
        }

        @Override
        public void signalNoMoreSplits(int subtask) {
            told.merge(subtask, 1, Integer::sum);
            super.signalNoMoreSplits(subtask);
        }
    }

    @Test
    void aBoundedReadTellsEachReaderOnceThatNoMoreSplitsCome() throws Exception {
        try (Counting context = new Counting(3)) {
            // restored after discovery, with nothing to assign: no Redis needed
            RedisStreamEnumerator enumerator =
                    new RedisStreamEnumerator(
                            context,
                            RedisConnectionConfig.fromUrl("redis://127.0.0.1:1").build(),
                            "s:*",
                            RedisStreamPositions.of(
                                    StreamStartupMode.EARLIEST,
                                    0,
                                    Map.of(),
                                    StreamBoundedMode.LATEST,
                                    0,
                                    Map.of()),
                            0,
                            null,
                            new RedisStreamEnumeratorState(Set.of(), List.of(), true));
            enumerator.start();
            for (int reader = 0; reader < 3; reader++) {
                context.registerReader(new ReaderInfo(reader, "localhost"));
                enumerator.addReader(reader);
            }

            assertThat(context.told).isEqualTo(Map.of(0, 1, 1, 1, 2, 1));

            // reader 1 fails and comes back: only it is told again
            enumerator.addSplitsBack(List.of(), 1);
            context.unregisterReader(1);
            context.registerReader(new ReaderInfo(1, "localhost"));
            enumerator.addReader(1);

            assertThat(context.told).isEqualTo(Map.of(0, 1, 1, 2, 2, 1));
        }
    }
}
