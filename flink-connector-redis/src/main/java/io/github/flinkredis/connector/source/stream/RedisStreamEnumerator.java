package io.github.flinkredis.connector.source.stream;

import io.github.flinkredis.connector.client.RedisPipeline;
import io.github.flinkredis.connector.client.RedisRetryPolicy;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisTableLayout;
import io.github.flinkredis.connector.model.RedisStreamConsumer;
import io.github.flinkredis.connector.model.RedisStreamEntryId;
import io.github.flinkredis.connector.model.RedisStreamPositions;
import io.github.flinkredis.connector.model.RedisText;
import io.lettuce.core.KeyScanArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.async.RedisKeyAsyncCommands;
import io.lettuce.core.api.async.RedisStreamAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.util.FlinkRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the streams of a {@link RedisStreamSource} and assigns each, as one split, to a reader.
 *
 * <p>A key pattern without glob characters names one stream, which is read even before it exists.
 * Otherwise the enumerator runs {@code SCAN cursor MATCH pattern COUNT 1000 TYPE stream} over every
 * shard when it starts and, for an unbounded source, again every discovery interval, on a worker
 * thread. A new stream's positions are resolved then ({@code XREVRANGE key + - COUNT 1} where the
 * last entry is needed). Each stream goes to reader {@code hash(key) mod parallelism}, so a stream
 * stays with one reader and the streams spread evenly. A bounded source discovers once and then
 * tells every reader that no more splits come.
 */
@Internal
public final class RedisStreamEnumerator
        implements SplitEnumerator<RedisStreamSplit, RedisStreamEnumeratorState> {

    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamEnumerator.class);

    private static final int SCAN_COUNT = 1000;

    private final SplitEnumeratorContext<RedisStreamSplit> context;
    private final RedisConnectionConfig config;
    private final String keyPattern;
    private final RedisStreamPositions positions;
    private final long discoveryIntervalMillis;
    @Nullable private final RedisStreamConsumer consumer;

    private final Set<String> discovered;
    private final Map<Integer, List<RedisStreamSplit>> pending = new HashMap<>();

    /** Readers of a bounded read told that no more splits come, each once. */
    private final Set<Integer> toldNoMoreSplits = new HashSet<>();

    private boolean initialDiscoveryDone;

    RedisStreamEnumerator(
            SplitEnumeratorContext<RedisStreamSplit> context,
            RedisConnectionConfig config,
            String keyPattern,
            RedisStreamPositions positions,
            long discoveryIntervalMillis,
            @Nullable RedisStreamConsumer consumer,
            @Nullable RedisStreamEnumeratorState restored) {
        this.consumer = consumer;
        this.context = context;
        this.config = config;
        this.keyPattern = keyPattern;
        this.positions = positions;
        this.discoveryIntervalMillis = discoveryIntervalMillis;
        this.discovered = new LinkedHashSet<>();
        if (restored != null) {
            discovered.addAll(restored.discovered());
            initialDiscoveryDone = restored.initialDiscoveryDone();
            for (RedisStreamSplit split : restored.unassigned()) {
                pending.computeIfAbsent(owner(split), k -> new ArrayList<>()).add(split);
            }
        }
    }

    @Override
    public void start() {
        if (positions.isBounded() || discoveryIntervalMillis <= 0) {
            if (!initialDiscoveryDone) {
                context.callAsync(() -> discover(Set.copyOf(discovered), true), this::added);
            }
        } else {
            context.callAsync(
                    () -> discover(Set.copyOf(discovered), !initialDiscoveryDone),
                    this::added,
                    0,
                    discoveryIntervalMillis);
        }
    }

    /** Runs on a worker thread: the splits of the streams not in {@code known}. */
    private List<RedisStreamSplit> discover(Set<String> known, boolean atJobStart)
            throws Exception {
        String literal = RedisTableLayout.literalKeyOf(keyPattern);
        // one discovery: its failure is retried at the next discovery interval
        try (RedisPipeline redis =
                RedisPipeline.immediate(
                        config, RedisRetryPolicy.maxRetries(0, "none"), "stream discovery")) {
            RedisClusterAsyncCommands<byte[], byte[]> commands = redis.commands();
            return splits(commands, commands, literal, known, atJobStart);
        }
    }

    private List<RedisStreamSplit> splits(
            RedisKeyAsyncCommands<byte[], byte[]> keys,
            RedisStreamAsyncCommands<byte[], byte[]> streams,
            @Nullable String literal,
            Set<String> known,
            boolean atJobStart)
            throws Exception {
        List<byte[]> found = new ArrayList<>();
        if (literal != null) {
            found.add(literal.getBytes(StandardCharsets.UTF_8));
        } else {
            KeyScanArgs args = new KeyScanArgs().match(keyPattern).limit(SCAN_COUNT).type("stream");
            ScanCursor cursor = ScanCursor.INITIAL;
            Set<String> seen = new HashSet<>();
            do {
                KeyScanCursor<byte[]> page = await(keys.scan(cursor, args));
                for (byte[] key : page.getKeys()) {
                    if (seen.add(RedisText.identifier(key))) {
                        found.add(key);
                    }
                }
                cursor = page;
            } while (!cursor.isFinished());
        }
        List<RedisStreamSplit> splits = new ArrayList<>();
        for (byte[] key : found) {
            if (known.contains(RedisText.identifier(key))) {
                continue;
            }
            // asked at most once, and only where a position needs it
            Supplier<RedisStreamEntryId> lastEntry = memoize(() -> lastEntry(streams, key));
            RedisStreamEntryId start = positions.startAfter(key, atJobStart, lastEntry);
            if (consumer != null) {
                createGroup(streams, key, start);
                // the group holds the position; nothing of the split is emitted yet
                start = RedisStreamEntryId.MIN;
            }
            splits.add(new RedisStreamSplit(key, start, positions.stopAt(key, lastEntry)));
        }
        return splits;
    }

    /**
     * {@code XGROUP CREATE key group <start> MKSTREAM}: the group reads the entries after {@code
     * start}; a group that exists already keeps its position.
     */
    private void createGroup(
            RedisStreamAsyncCommands<byte[], byte[]> streams, byte[] key, RedisStreamEntryId start)
            throws Exception {
        try {
            await(
                    streams.xgroupCreate(
                            XReadArgs.StreamOffset.from(key, start.toString()),
                            consumer.group().getBytes(StandardCharsets.UTF_8),
                            XGroupCreateArgs.Builder.mkstream()));
            LOG.info(
                    "Created consumer group {} of stream {} after entry {}",
                    consumer.group(),
                    RedisText.show(key),
                    start);
        } catch (ExecutionException e) {
            if (e.getCause() == null
                    || e.getCause().getMessage() == null
                    || !e.getCause().getMessage().startsWith("BUSYGROUP")) {
                throw e;
            }
        }
    }

    /** {@code supplier}, asked on the first {@code get()} only. */
    private static <T> Supplier<T> memoize(Supplier<T> supplier) {
        return new Supplier<>() {
            private boolean asked;
            private T value;

            @Override
            public T get() {
                if (!asked) {
                    value = supplier.get();
                    asked = true;
                }
                return value;
            }
        };
    }

    /** {@code XREVRANGE key + - COUNT 1}: the stream's last entry ID, null if it has none. */
    @Nullable
    private RedisStreamEntryId lastEntry(
            RedisStreamAsyncCommands<byte[], byte[]> streams, byte[] key) {
        try {
            List<StreamMessage<byte[], byte[]>> last =
                    await(streams.xrevrange(key, Range.create("-", "+"), Limit.from(1)));
            return last.isEmpty() ? null : RedisStreamEntryId.parse(last.get(0).getId());
        } catch (Exception e) {
            throw new FlinkRuntimeException(
                    "Cannot read the last entry of stream '"
                            + RedisText.show(key)
                            + "' at "
                            + config.endpoint()
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    private <V> V await(java.util.concurrent.CompletionStage<V> reply)
            throws ExecutionException, InterruptedException, TimeoutException {
        return reply.toCompletableFuture()
                .get(config.getCommandTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    }

    /** Runs in the coordinator thread with what {@link #discover} found. */
    private void added(List<RedisStreamSplit> splits, Throwable error) {
        if (error != null) {
            if (!initialDiscoveryDone) {
                throw new FlinkRuntimeException(
                        "Cannot discover the streams matching '"
                                + keyPattern
                                + "' at "
                                + config.endpoint()
                                + ": "
                                + error.getMessage(),
                        error);
            }
            // a later round failing (e.g. Redis restarting) is retried at the next interval
            LOG.warn(
                    "Discovering the streams matching '{}' at {} failed; retrying in {} ms",
                    keyPattern,
                    config.endpoint(),
                    discoveryIntervalMillis,
                    error);
            return;
        }
        for (RedisStreamSplit split : splits) {
            if (discovered.add(split.splitId())) {
                LOG.info("Found stream {}", split);
                pending.computeIfAbsent(owner(split), k -> new ArrayList<>()).add(split);
            }
        }
        initialDiscoveryDone = true;
        assignPending();
    }

    private int owner(RedisStreamSplit split) {
        return (split.splitId().hashCode() & Integer.MAX_VALUE) % context.currentParallelism();
    }

    private void assignPending() {
        Map<Integer, List<RedisStreamSplit>> assignment = new HashMap<>();
        for (Integer reader : context.registeredReaders().keySet()) {
            List<RedisStreamSplit> splits = pending.remove(reader);
            if (splits != null && !splits.isEmpty()) {
                assignment.put(reader, splits);
            }
        }
        if (!assignment.isEmpty()) {
            context.assignSplits(new SplitsAssignment<>(assignment));
        }
        if (positions.isBounded() && initialDiscoveryDone) {
            for (Integer reader : context.registeredReaders().keySet()) {
                // once per reader: one that has finished its splits may be FINISHED already, and
                // an event to a finished task fails the job over
                if (!pending.containsKey(reader) && toldNoMoreSplits.add(reader)) {
                    context.signalNoMoreSplits(reader);
                }
            }
        }
    }

    @Override
    public void handleSplitRequest(int subtaskId, @Nullable String requesterHostname) {
        // splits are pushed to their owners as they are found
    }

    @Override
    public void addSplitsBack(List<RedisStreamSplit> splits, int subtaskId) {
        toldNoMoreSplits.remove(subtaskId);
        for (RedisStreamSplit split : splits) {
            pending.computeIfAbsent(owner(split), k -> new ArrayList<>()).add(split);
        }
        // assigned when the reader registers again
    }

    @Override
    public void addReader(int subtaskId) {
        // a reader registering (again, after a failover) has not been told yet
        toldNoMoreSplits.remove(subtaskId);
        assignPending();
    }

    @Override
    public RedisStreamEnumeratorState snapshotState(long checkpointId) {
        List<RedisStreamSplit> unassigned = new ArrayList<>();
        pending.values().forEach(unassigned::addAll);
        return new RedisStreamEnumeratorState(discovered, unassigned, initialDiscoveryDone);
    }

    @Override
    public void close() {}
}
