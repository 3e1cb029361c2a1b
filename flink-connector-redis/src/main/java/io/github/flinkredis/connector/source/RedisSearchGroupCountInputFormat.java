package io.github.flinkredis.connector.source;

import io.github.flinkredis.connector.client.RedisPipeline;
import io.github.flinkredis.connector.client.RedisRetryPolicy;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisConnectorOptions;
import io.github.flinkredis.connector.model.RedisRecord;
import io.github.flinkredis.connector.model.RedisRecordDeserializer;
import io.github.flinkredis.connector.search.RedisSearchGroupCount;
import io.github.flinkredis.connector.search.RedisSearchIndex;
import io.github.flinkredis.connector.search.RedisSearchIndexes;
import io.lettuce.core.protocol.ProtocolVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.api.common.io.DefaultInputSplitAssigner;
import org.apache.flink.api.common.io.RichInputFormat;
import org.apache.flink.api.common.io.statistics.BaseStatistics;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.io.GenericInputSplit;
import org.apache.flink.core.io.InputSplit;
import org.apache.flink.core.io.InputSplitAssigner;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.utils.JoinedRowData;
import org.apache.flink.table.data.utils.ProjectedRowData;

/**
 * The rows of an aggregation pushed into RediSearch ({@link RedisSearchGroupCount}): one input
 * split, read on the standalone server or the Sentinels' primary. Each group's values are read by
 * the table's deserializer as it reads a hash's fields (the same parsing, errors and {@code
 * scan.parse-error.policy}: a group whose values the policy skips gives no row, as its hashes give
 * none in a scan); the group gives a row of the grouped columns followed by each aggregate's
 * partial result ({@link RedisPartialAggregate}: the count, a value, or a value times the count).
 * Flink's final aggregation merges the rows of groups whose values read alike.
 *
 * <p>Commands: {@code FT.INFO} first (the index must still hold every key of the table: no indexing
 * failures, not indexing), then the aggregation and its pages ({@code FT.CURSOR READ}). A failure
 * fails the read, which Flink runs again as a whole.
 */
@Internal
public final class RedisSearchGroupCountInputFormat extends RichInputFormat<RowData, InputSplit>
        implements ResultTypeQueryable<RowData> {

    private static final long serialVersionUID = 1L;

    private static final String OWNER = "RediSearch count";

    private final RedisConnectionConfig connectionConfig;
    private final RedisSearchGroupCount count;
    private final RedisRecordDeserializer<RowData> groupDeserializer;

    /** The positions of the grouped columns in a group's values: the first ones. */
    private final int[] groupedPositions;

    private final List<RedisPartialAggregate> aggregates;
    private final String keyPrefix;
    private final int pageSize;
    private final TypeInformation<RowData> producedType;

    /** The key the group records name in messages: the table's keys and the aggregation. */
    private final byte[] groupKey;

    /** The names of the fields grouped by, as the group records carry them. */
    private final byte[][] fieldNames;

    private transient RedisPipeline pipeline;
    private transient LinkedList<RowData> buffered;
    private transient long cursor;

    /**
     * @param groupDeserializer reads the group's columns from a record whose values are the group's
     *     values, in the order of {@link RedisSearchGroupCount#fields()}
     * @param grouped how many of those columns, the first ones, the rows carry: the query's GROUP
     *     BY
     * @param aggregates the query's aggregates, each computed from the group's columns and count
     * @param keyPrefix the table's key prefix, for messages
     * @param pageSize groups per page
     * @param producedType the {@code grouped} columns and then the aggregates' results
     */
    public RedisSearchGroupCountInputFormat(
            RedisConnectionConfig connectionConfig,
            RedisSearchGroupCount count,
            RedisRecordDeserializer<RowData> groupDeserializer,
            int grouped,
            List<RedisPartialAggregate> aggregates,
            String keyPrefix,
            int pageSize,
            TypeInformation<RowData> producedType) {
        this.connectionConfig = connectionConfig;
        this.count = count;
        this.groupDeserializer = groupDeserializer;
        this.groupedPositions = IntStream.range(0, grouped).toArray();
        this.aggregates = List.copyOf(aggregates);
        this.keyPrefix = keyPrefix;
        this.pageSize = pageSize;
        this.producedType = producedType;
        this.groupKey =
                (keyPrefix + "* (a group of " + count + ")").getBytes(StandardCharsets.UTF_8);
        this.fieldNames = new byte[count.fields().size()][];
        for (int i = 0; i < fieldNames.length; i++) {
            fieldNames[i] = count.fields().get(i).getBytes(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void configure(Configuration parameters) {}

    @Override
    public BaseStatistics getStatistics(BaseStatistics cachedStatistics) {
        return cachedStatistics;
    }

    @Override
    public InputSplit[] createInputSplits(int minNumSplits) {
        return new InputSplit[] {new GenericInputSplit(0, 1)};
    }

    @Override
    public InputSplitAssigner getInputSplitAssigner(InputSplit[] inputSplits) {
        return new DefaultInputSplitAssigner(inputSplits);
    }

    @Override
    public void openInputFormat() throws IOException {
        RedisScanInputFormat.openDeserializer(groupDeserializer, "RediSearch count");
    }

    /**
     * Checks the index and sends the aggregation.
     *
     * @throws IOException if Redis cannot be reached, the index is gone or no longer holds every
     *     key of the table, or the aggregation fails
     */
    @Override
    public void open(InputSplit split) throws IOException {
        buffered = new LinkedList<>();
        pipeline =
                RedisPipeline.batchedOrFail(
                        connectionConfig.withProtocolVersion(ProtocolVersion.RESP2),
                        RedisRetryPolicy.maxRetries(0, "a RediSearch count"),
                        OWNER);
        RedisSearchIndex index =
                RedisSearchIndex.parse(
                        count.index(),
                        pipeline.await(
                                RedisSearchIndexes.sendInfo(pipeline.commands(), count.index()),
                                "FT.INFO " + count.index()));
        String why = RedisSearchIndexes.whyIncomplete(index);
        if (why != null) {
            throw new IOException(
                    String.format(
                            "The keys of prefix '%s' cannot be counted through RediSearch: %s."
                                    + " Set option '%s' = 'none' to count them with a scan.",
                            keyPrefix, why, RedisConnectorOptions.SEARCH_INDEX.key()));
        }
        receive(pipeline.await(count.sendAggregate(pipeline.commands(), pageSize), "" + count));
    }

    @Override
    public boolean reachedEnd() throws IOException {
        while (buffered.isEmpty() && cursor != 0) {
            receive(
                    pipeline.await(
                            count.sendRead(pipeline.commands(), cursor, pageSize),
                            "FT.CURSOR READ " + count.index()));
        }
        return buffered.isEmpty();
    }

    /** Turns a page of groups into rows. */
    private void receive(List<Object> reply) throws IOException {
        RedisSearchGroupCount.Page page = count.page(reply);
        cursor = page.cursor();
        List<RowData> groups = new ArrayList<>(1);
        ListCollector<RowData> out = new ListCollector<>(groups);
        for (RedisSearchGroupCount.Group group : page.groups()) {
            groups.clear();
            try {
                groupDeserializer.deserialize(
                        new RedisRecord(
                                groupKey, fieldNames, group.values(), RedisRecord.TTL_NOT_FETCHED),
                        out);
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e.getMessage(), e);
            }
            // none where the parse error policy skips the group's values
            for (RowData values : groups) {
                buffered.add(row(values, group.count()));
            }
        }
    }

    /** The row of a group: its grouped columns, then each aggregate's result over the group. */
    private RowData row(RowData values, long count) {
        GenericRowData results = new GenericRowData(aggregates.size());
        for (int i = 0; i < aggregates.size(); i++) {
            results.setField(i, aggregates.get(i).of(values, count));
        }
        return new JoinedRowData(
                ProjectedRowData.from(groupedPositions).replaceRow(values), results);
    }

    @Override
    public RowData nextRecord(RowData reuse) {
        return buffered.poll();
    }

    @Override
    public void close() {
        if (pipeline != null) {
            pipeline.close();
            pipeline = null;
        }
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        return producedType;
    }
}
