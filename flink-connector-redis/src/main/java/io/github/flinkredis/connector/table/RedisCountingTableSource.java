package io.github.flinkredis.connector.table;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisScanOptions;
import io.github.flinkredis.connector.config.RedisSearchAggregatePushdown;
import io.github.flinkredis.connector.config.RedisTableLayout;
import io.github.flinkredis.connector.lookup.RedisLookupOptions;
import io.github.flinkredis.connector.search.RedisSearchGroupCount;
import io.github.flinkredis.connector.search.RedisSearchPlanner;
import io.github.flinkredis.connector.source.RedisPartialAggregate;
import io.github.flinkredis.connector.source.RedisSearchGroupCountInputFormat;
import io.github.flinkredis.connector.types.spi.RedisReadSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.connector.Projection;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.InputFormatProvider;
import org.apache.flink.table.connector.source.abilities.SupportsAggregatePushDown;
import org.apache.flink.table.expressions.AggregateExpression;
import org.apache.flink.table.expressions.FieldReferenceExpression;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalType;

/**
 * The source of a table of hashes that a RediSearch index may count (aggregate pushdown, batch
 * mode): {@code SELECT g1, COUNT(*), SUM(a), MIN(b) FROM t GROUP BY g1} (or no GROUP BY) becomes
 * one {@code FT.AGGREGATE ... GROUPBY ... REDUCE COUNT} over the index's documents ({@link
 * RedisSearchGroupCount}), grouped by the GROUP BY's fields and the aggregated ones ({@code @g1
 * @a @b}), when {@link RedisSearchPlanner#planGroupCount} shows that it counts exactly the rows a
 * scan would give. The source then emits a row per group: the GROUP BY's columns and each
 * aggregate's partial result over the group ({@link RedisPartialAggregate}), which Flink's final
 * aggregation merges. Anything else is read as by {@link RedisDynamicTableSource}.
 *
 * <p>Pushed: {@code COUNT(*)}, and with {@code search.aggregate-pushdown} = {@code by-value} also
 * {@code COUNT(col)}, {@code MIN}, {@code MAX} and {@code SUM} of integer columns, with no WHERE (Flink pushes an aggregate only where no filter remains, and this
 * source keeps the filters it pushes into an index), no LIMIT and no metadata column, grouping by
 * and aggregating hash fields. Not pushed: sums of FLOAT and DOUBLE, DISTINCT, FILTER, aggregates
 * of the PRIMARY KEY; {@code REDUCE SUM/MIN/MAX} of RediSearch are never used, since its answers
 * differ from Flink's (see docs/search.md).
 *
 * <p>A table with a DECIMAL column does not get this source: with aggregate pushdown on the source,
 * Flink 2.2 fails to plan {@code AVG} of a DECIMAL column before it asks the source.
 */
@Internal
final class RedisCountingTableSource extends RedisDynamicTableSource
        implements SupportsAggregatePushDown {

    /** The count pushed down, or null. */
    @Nullable private RedisSearchGroupCount groupCount;

    /**
     * The physical columns the count groups by, in the order of its fields: the columns of the
     * query's GROUP BY first, then the other columns its aggregates read.
     */
    private int[] readColumns = new int[0];

    /** How many of {@link #readColumns} the query groups by. */
    private int grouped;

    /** The query's aggregates, computed from each group's count. */
    private List<RedisPartialAggregate> aggregates = List.of();

    /** Which aggregates may be pushed ({@code search.aggregate-pushdown}): COUNT or BY_VALUE. */
    private final RedisSearchAggregatePushdown pushdown;

    RedisCountingTableSource(
            RedisConnectionConfig connectionConfig,
            RedisTableLayout layout,
            RedisScanOptions scanOptions,
            RedisSourceSchema schema,
            RedisReadSettings readSettings,
            RedisLookupOptions lookupOptions,
            RedisSearchAggregatePushdown pushdown) {
        super(connectionConfig, layout, scanOptions, schema, readSettings, lookupOptions);
        this.pushdown = pushdown;
    }

    @Override
    public boolean applyAggregates(
            List<int[]> groupingSets,
            List<AggregateExpression> aggregateExpressions,
            DataType producedDataType) {
        if (groupingSets.size() != 1
                || pointKeys != null
                || narrowedPattern != null
                || search != null
                || limit >= 0
                || !metadataKeys.isEmpty()) {
            return false;
        }
        List<Integer> read = new ArrayList<>();
        for (int g : groupingSets.get(0)) {
            int column = projectedFields[g];
            if (RedisReadPlan.indexOf(keyPartIndices, column) >= 0) {
                return false; // a PRIMARY KEY column, parsed from the key
            }
            read.add(column);
        }
        int groupedColumns = read.size();
        List<RedisPartialAggregate> partials = new ArrayList<>();
        List<LogicalType> produced = producedDataType.getLogicalType().getChildren();
        for (int i = 0; i < aggregateExpressions.size(); i++) {
            RedisPartialAggregate partial =
                    partialOf(aggregateExpressions.get(i), produced.get(groupedColumns + i), read);
            if (partial == null) {
                return false;
            }
            partials.add(partial);
        }
        List<String> fields = new ArrayList<>();
        for (int column : read) {
            fields.add(schema.fieldNames().get(column));
        }
        Optional<RedisSearchGroupCount> count =
                RedisSearchPlanner.planGroupCount(
                        connectionConfig, scanOptions.searchIndex(), layout.keyPrefix(), fields);
        if (count.isEmpty()) {
            return false;
        }
        this.groupCount = count.get();
        this.readColumns = read.stream().mapToInt(Integer::intValue).toArray();
        this.grouped = groupedColumns;
        this.aggregates = List.copyOf(partials);
        this.producedDataType = producedDataType;
        return true;
    }

    /**
     * {@code e}, whose result the source produces as {@code resultType}, computed from group
     * counts, its column added to {@code read} where it is not there yet; null where it cannot be
     * (see {@link RedisPartialAggregate#kindOf}) or reads a PRIMARY KEY column.
     */
    @Nullable
    private RedisPartialAggregate partialOf(
            AggregateExpression e, LogicalType resultType, List<Integer> read) {
        List<FieldReferenceExpression> args = e.getArgs();
        int column = args.size() == 1 ? projectedFields[args.get(0).getFieldIndex()] : -1;
        LogicalType type = column < 0 ? null : schema.physical().getTypeAt(column);
        RedisPartialAggregate.Kind kind = RedisPartialAggregate.kindOf(e, type, resultType);
        if (kind == null
                || (kind != RedisPartialAggregate.Kind.COUNT_ALL
                        && pushdown != RedisSearchAggregatePushdown.BY_VALUE)) {
            return null;
        }
        if (column < 0) {
            return new RedisPartialAggregate(kind, -1, null, resultType);
        }
        if (RedisReadPlan.indexOf(keyPartIndices, column) >= 0) {
            return null;
        }
        int position = read.indexOf(column);
        if (position < 0) {
            position = read.size();
            read.add(column);
        }
        return new RedisPartialAggregate(kind, position, type, resultType);
    }

    @Override
    public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
        if (groupCount == null) {
            return super.getScanRuntimeProvider(context);
        }
        RedisReadPlan groups =
                RedisReadPlan.of(
                        schema,
                        layout,
                        scanOptions.parseErrorPolicy(),
                        readSettings,
                        keyPartIndices,
                        readColumns,
                        List.of(),
                        Projection.of(readColumns).project(schema.physicalRowType),
                        context);
        return InputFormatProvider.of(
                new RedisSearchGroupCountInputFormat(
                        connectionConfig,
                        groupCount,
                        groups.deserializer,
                        grouped,
                        aggregates,
                        layout.keyPrefix(),
                        scanOptions.scanCount(),
                        context.createTypeInformation(producedDataType)));
    }

    @Override
    RedisDynamicTableSource newInstance() {
        return new RedisCountingTableSource(
                connectionConfig,
                layout,
                scanOptions,
                schema,
                readSettings,
                lookupOptions,
                pushdown);
    }

    @Override
    public DynamicTableSource copy() {
        RedisCountingTableSource copy = (RedisCountingTableSource) super.copy();
        copy.groupCount = groupCount;
        copy.readColumns = readColumns.clone();
        copy.grouped = grouped;
        copy.aggregates = aggregates;
        return copy;
    }

    @Override
    String summaryDetails() {
        return super.summaryDetails() + (groupCount == null ? "" : ", " + groupCount);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RedisCountingTableSource that
                && super.equals(o)
                && Objects.equals(groupCount, that.groupCount)
                && grouped == that.grouped
                && aggregates.equals(that.aggregates)
                && pushdown == that.pushdown;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), groupCount, grouped, aggregates, pushdown);
    }
}
