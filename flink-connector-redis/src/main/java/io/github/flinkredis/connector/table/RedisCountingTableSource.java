package io.github.flinkredis.connector.table;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisScanOptions;
import io.github.flinkredis.connector.config.RedisTableLayout;
import io.github.flinkredis.connector.lookup.RedisLookupOptions;
import io.github.flinkredis.connector.search.RedisSearchGroupCount;
import io.github.flinkredis.connector.search.RedisSearchPlanner;
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
import org.apache.flink.table.functions.BuiltInFunctionDefinitions;
import org.apache.flink.table.functions.FunctionDefinition;
import org.apache.flink.table.types.DataType;

/**
 * The source of a table of hashes that a RediSearch index may count (aggregate pushdown, batch
 * mode): {@code SELECT g1, g2, COUNT(*) FROM t GROUP BY g1, g2} (or no GROUP BY) becomes one {@code
 * FT.AGGREGATE ... GROUPBY ... REDUCE COUNT} over the index's documents ({@link
 * RedisSearchGroupCount}), when {@link RedisSearchPlanner#planGroupCount} shows that it counts
 * exactly the rows a scan would give. The source then emits a row per group, the group's columns
 * and its count, which Flink's final aggregation adds up. Anything else is read as by {@link
 * RedisDynamicTableSource}.
 *
 * <p>Pushed: {@code COUNT(*)} only, with no WHERE (Flink pushes an aggregate only where no filter
 * remains, and this source keeps the filters it pushes into an index), no LIMIT and no metadata
 * column, grouped by hash fields. Not pushed: {@code COUNT(col)}, {@code SUM}, {@code MIN}, {@code
 * MAX}, {@code AVG}: RediSearch's answers differ from Flink's (see docs/search.md).
 *
 * <p>A table with a DECIMAL column does not get this source: with aggregate pushdown on the source,
 * Flink 2.2 fails to plan {@code AVG} of a DECIMAL column before it asks the source.
 */
@Internal
final class RedisCountingTableSource extends RedisDynamicTableSource
        implements SupportsAggregatePushDown {

    /** The count pushed down, or null. */
    @Nullable private RedisSearchGroupCount groupCount;

    /** The physical columns grouped by, in the order of the rows' first fields. */
    private int[] groupColumns = new int[0];

    RedisCountingTableSource(
            RedisConnectionConfig connectionConfig,
            RedisTableLayout layout,
            RedisScanOptions scanOptions,
            RedisSourceSchema schema,
            RedisReadSettings readSettings,
            RedisLookupOptions lookupOptions) {
        super(connectionConfig, layout, scanOptions, schema, readSettings, lookupOptions);
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
                || !metadataKeys.isEmpty()
                || !aggregateExpressions.stream().allMatch(RedisCountingTableSource::isCountAll)) {
            return false;
        }
        int[] grouping = groupingSets.get(0);
        int[] columns = new int[grouping.length];
        List<String> fields = new ArrayList<>();
        for (int i = 0; i < grouping.length; i++) {
            columns[i] = projectedFields[grouping[i]];
            if (RedisReadPlan.indexOf(keyPartIndices, columns[i]) >= 0) {
                return false; // a PRIMARY KEY column, parsed from the key
            }
            fields.add(schema.fieldNames().get(columns[i]));
        }
        Optional<RedisSearchGroupCount> count =
                RedisSearchPlanner.planGroupCount(
                        connectionConfig, scanOptions.searchIndex(), layout.keyPrefix(), fields);
        if (count.isEmpty()) {
            return false;
        }
        this.groupCount = count.get();
        this.groupColumns = columns;
        this.producedDataType = producedDataType;
        return true;
    }

    /**
     * Whether {@code e} is {@code COUNT(*)}: the planner's {@code Count1AggFunction} (a planner
     * class, known here by its name), or a COUNT of no argument, for every row.
     */
    private static boolean isCountAll(AggregateExpression e) {
        FunctionDefinition f = e.getFunctionDefinition();
        boolean count =
                f == BuiltInFunctionDefinitions.COUNT
                        || f.getClass().getSimpleName().equals("Count1AggFunction");
        return count
                && e.getArgs().isEmpty()
                && !e.isDistinct()
                && e.getFilterExpression().isEmpty();
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
                        groupColumns,
                        List.of(),
                        Projection.range(0, groupColumns.length).project(producedDataType),
                        context);
        return InputFormatProvider.of(
                new RedisSearchGroupCountInputFormat(
                        connectionConfig,
                        groupCount,
                        groups.deserializer,
                        layout.keyPrefix(),
                        scanOptions.scanCount(),
                        context.createTypeInformation(producedDataType)));
    }

    @Override
    RedisDynamicTableSource newInstance() {
        return new RedisCountingTableSource(
                connectionConfig, layout, scanOptions, schema, readSettings, lookupOptions);
    }

    @Override
    public DynamicTableSource copy() {
        RedisCountingTableSource copy = (RedisCountingTableSource) super.copy();
        copy.groupCount = groupCount;
        copy.groupColumns = groupColumns.clone();
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
                && Objects.equals(groupCount, that.groupCount);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), groupCount);
    }
}
