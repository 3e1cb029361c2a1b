package io.github.flinkredis.connector.source;

import io.github.flinkredis.connector.client.RedisClientFactory;
import io.github.flinkredis.connector.model.RedisRecordDeserializer;
import io.github.flinkredis.connector.source.enumerator.RedisSourceEnumerator;
import io.github.flinkredis.connector.source.reader.RedisKeySplitReader;
import io.github.flinkredis.connector.source.reader.RedisScanRecord;
import io.github.flinkredis.connector.source.split.RedisScanSplit;
import java.io.IOException;
import java.util.LinkedList;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.api.common.io.DefaultInputSplitAssigner;
import org.apache.flink.api.common.io.RichInputFormat;
import org.apache.flink.api.common.io.statistics.BaseStatistics;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.core.io.InputSplit;
import org.apache.flink.core.io.InputSplitAssigner;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.SimpleUserCodeClassLoader;

/**
 * A {@link RedisSource}'s bounded scan as an {@link org.apache.flink.api.common.io.InputFormat},
 * for what Flink reads only through one: the lookup join's FULL cache ({@code 'lookup.cache' =
 * 'FULL'}), which loads and reloads the whole table with it. One input split per shard, read with
 * the same commands, batching and failover handling as the source; positions are not checkpointed
 * (a load that fails is repeated as a whole).
 *
 * @param <T> the type of the records the deserializer emits
 */
@Internal
public final class RedisScanInputFormat<T> extends RichInputFormat<T, InputSplit>
        implements ResultTypeQueryable<T> {

    private static final long serialVersionUID = 1L;

    private final RedisSource<T> source;

    private transient RedisKeySplitReader reader;
    private transient ShardSplit split;

    /** The records deserialized and not returned yet: a list to collect into, a queue to poll. */
    private transient LinkedList<T> buffered;

    private transient ListCollector<T> collector;
    private transient boolean splitFinished;

    public RedisScanInputFormat(RedisSource<T> source) {
        this.source = source;
    }

    @Override
    public void configure(Configuration parameters) {}

    @Override
    public BaseStatistics getStatistics(BaseStatistics cachedStatistics) {
        return cachedStatistics;
    }

    /** One split per shard: the server, the primary a Sentinel names, or each cluster primary. */
    @Override
    public InputSplit[] createInputSplits(int minNumSplits) {
        List<RedisScanSplit> splits =
                RedisSourceEnumerator.splitsOf(
                        RedisClientFactory.discoverShards(source.getConnectionConfig()),
                        source.getConnectionConfig(),
                        source.getKeyPattern(),
                        source.getPointKeys());
        InputSplit[] out = new InputSplit[splits.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = new ShardSplit(i, splits.get(i));
        }
        return out;
    }

    @Override
    public InputSplitAssigner getInputSplitAssigner(InputSplit[] inputSplits) {
        return new DefaultInputSplitAssigner(inputSplits);
    }

    @Override
    public void open(InputSplit inputSplit) throws IOException {
        split = (ShardSplit) inputSplit;
        buffered = new LinkedList<>();
        collector = new ListCollector<>(buffered);
        splitFinished = false;
        reader =
                new RedisKeySplitReader(
                        source.getConnectionConfig(),
                        source.getReadSpec(),
                        source.getScanCount(),
                        source.getBatchSize(),
                        source.getMaxBatchesInFlight(),
                        source.getLimit(),
                        source.getSearch(),
                        new SimpleCounter(),
                        new SimpleCounter());
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(split.split)));
    }

    /** Opens the deserializer, once per copy of this format (each loads some splits). */
    @Override
    public void openInputFormat() throws IOException {
        openDeserializer(source.getDeserializer(), "redis scan");
    }

    /**
     * Opens a deserializer that an input format uses, outside a source (no metrics of its own).
     *
     * @param what what reads with it, for the message
     * @throws IOException if it cannot be opened
     */
    static void openDeserializer(RedisRecordDeserializer<?> deserializer, String what)
            throws IOException {
        try {
            RedisRecordDeserializer.open(
                    deserializer,
                    new UnregisteredMetricsGroup(),
                    SimpleUserCodeClassLoader.create(
                            Thread.currentThread().getContextClassLoader()));
        } catch (Exception e) {
            throw new IOException("Cannot open the deserializer of the " + what, e);
        }
    }

    @Override
    public boolean reachedEnd() throws IOException {
        while (buffered.isEmpty() && !splitFinished) {
            RecordsWithSplitIds<RedisScanRecord> records = reader.fetch();
            try {
                while (records.nextSplit() != null) {
                    RedisScanRecord record;
                    while ((record = records.nextRecordFromSplit()) != null) {
                        source.getDeserializer().deserialize(record.record(), collector);
                    }
                }
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e.getMessage(), e);
            }
            splitFinished = records.finishedSplits().contains(split.split.splitId());
            records.recycle();
        }
        return buffered.isEmpty();
    }

    @Override
    public T nextRecord(T reuse) {
        return buffered.poll();
    }

    @Override
    public void close() throws IOException {
        if (reader != null) {
            try {
                reader.close();
            } catch (Exception e) {
                throw new IOException("Cannot close the redis scan", e);
            } finally {
                reader = null;
            }
        }
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return source.getProducedType();
    }

    /** The input split of one shard: a {@link RedisScanSplit} from its start. */
    static final class ShardSplit implements InputSplit {
        private static final long serialVersionUID = 1L;

        private final int number;
        private final RedisScanSplit split;

        ShardSplit(int number, RedisScanSplit split) {
            this.number = number;
            this.split = split;
        }

        @Override
        public int getSplitNumber() {
            return number;
        }

        @Override
        public String toString() {
            return split.toString();
        }
    }
}
