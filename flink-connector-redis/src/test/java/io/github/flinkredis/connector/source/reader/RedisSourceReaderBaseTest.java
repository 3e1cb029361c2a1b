package io.github.flinkredis.connector.source.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.apache.flink.connector.testutils.source.reader.TestingReaderContext;
import org.apache.flink.connector.testutils.source.reader.TestingReaderOutput;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;

/**
 * A fetcher failure reaches the task however it interleaves with the task taking an empty fetch:
 * Flink's own reader loses it now and then (see {@link RedisSourceReaderBase}), and the task waits
 * forever.
 */
class RedisSourceReaderBaseTest {

    /**
     * Runs of the race; Flink's reader alone lost the failure in about one run in five hundred
     * here.
     */
    private static final int RUNS = 2_000;

    @Test
    void aFailureRightAfterAnEmptyFetchFailsThePoll() throws Exception {
        for (int run = 0; run < RUNS; run++) {
            Throwable failure = pollUntilFailure(run);
            assertThat(ExceptionUtils.findThrowableWithMessage(failure, "node gone"))
                    .as("run %d: %s", run, ExceptionUtils.stringifyException(failure))
                    .isPresent();
        }
    }

    /** Polls as a source task does: waits for availability whenever nothing is available. */
    private static Throwable pollUntilFailure(int run) throws Exception {
        try (Reader reader = new Reader()) {
            reader.start();
            reader.addSplits(List.of(new Split()));
            TestingReaderOutput<String> output = new TestingReaderOutput<>();
            while (true) {
                InputStatus status;
                try {
                    status = reader.pollNext(output);
                } catch (Exception e) {
                    return e;
                }
                assertThat(status).as("run %d", run).isEqualTo(InputStatus.NOTHING_AVAILABLE);
                try {
                    reader.isAvailable().get(30, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    fail("run %d: the reader waits for data although its fetcher failed", run);
                }
            }
        }
    }

    /** A split reader whose first fetch is empty and whose second fails. */
    private static final class EmptyThenFailing implements SplitReader<String, Split> {
        private int fetches;

        @Override
        public RecordsWithSplitIds<String> fetch() throws IOException {
            if (fetches++ == 0) {
                return new RecordsBySplits.Builder<String>().build();
            }
            throw new IOException("node gone");
        }

        @Override
        public void handleSplitsChanges(SplitsChange<Split> splitsChanges) {}

        @Override
        public void wakeUp() {}

        @Override
        public void close() {}
    }

    private static final class Split implements SourceSplit {
        @Override
        public String splitId() {
            return "split";
        }
    }

    private static final class Reader extends RedisSourceReaderBase<String, String, Split, Split> {
        Reader() {
            super(
                    EmptyThenFailing::new,
                    (element, output, state) -> output.collect(element),
                    new Configuration(),
                    new TestingReaderContext());
        }

        @Override
        protected void onSplitFinished(Map<String, Split> finishedSplitIds) {}

        @Override
        protected Split initializedState(Split split) {
            return split;
        }

        @Override
        protected Split toSplitType(String splitId, Split state) {
            return state;
        }
    }
}
