package io.github.flinkredis.connector.table;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisConnectorOptions;
import io.github.flinkredis.connector.sink.RedisArrowOutputFormat;
import io.github.flinkredis.connector.source.RedisArrowInputFormat;
import io.github.flinkredis.connector.types.arrow.RedisArrowCodec;
import io.github.flinkredis.connector.types.arrow.RedisArrowManifest;
import io.github.flinkredis.connector.types.arrow.RedisArrowTypes;
import java.io.IOException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.TableException;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.Projection;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.OutputFormatProvider;
import org.apache.flink.table.connector.sink.abilities.SupportsOverwrite;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.InputFormatProvider;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.connector.source.abilities.SupportsLimitPushDown;
import org.apache.flink.table.connector.source.abilities.SupportsProjectionPushDown;
import org.apache.flink.table.factories.DynamicTableFactory;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;

/**
 * Tables of {@code 'data-type' = 'arrow'}: columnar tables stored as Arrow IPC record batches under
 * a manifest key ({@code key.prefix}), read and written by bounded jobs ({@link
 * RedisArrowInputFormat}, {@link RedisArrowOutputFormat}); see docs/arrow.md.
 */
@Internal
final class RedisArrowTables {

    /** The value of option {@code data-type} for columnar tables. */
    static final String DATA_TYPE = "arrow";

    /** The options only columnar tables take. */
    static final Set<ConfigOption<?>> OPTIONS =
            Set.of(
                    RedisConnectorOptions.ARROW_COMPRESSION,
                    RedisConnectorOptions.SINK_ARROW_BATCH_ROWS,
                    RedisConnectorOptions.SINK_ARROW_RETENTION,
                    RedisConnectorOptions.SINK_ARROW_PENDING_TTL);

    /** A batch ends at this many bytes of uncompressed Arrow buffers. */
    static final long BATCH_BYTES = 64L << 20;

    private RedisArrowTables() {}

    static boolean isArrow(ReadableConfig options) {
        return DATA_TYPE.equals(options.get(RedisConnectorOptions.DATA_TYPE));
    }

    /** The table's manifest key and its columns, checked. */
    private record Table(String manifestKey, DataType rowType) {}

    private static Table table(DynamicTableFactory.Context context, ReadableConfig options) {
        String prefix = options.get(RedisConnectorOptions.KEY_PREFIX);
        if (prefix.isEmpty()) {
            throw new ValidationException(
                    String.format(
                            "An '%s' table needs option '%s': its manifest key, under which its"
                                    + " batch keys are named.",
                            DATA_TYPE, RedisConnectorOptions.KEY_PREFIX.key()));
        }
        ResolvedSchema schema = context.getCatalogTable().getResolvedSchema();
        for (Column c : schema.getColumns()) {
            if (!c.isPhysical()) {
                throw new ValidationException(
                        String.format(
                                "Column '%s' of an '%s' table is %s: its columns are stored"
                                        + " ones only.",
                                c.getName(), DATA_TYPE, c));
            }
        }
        if (schema.getPrimaryKey().isPresent()) {
            throw new ValidationException(
                    String.format(
                            "An '%s' table has no PRIMARY KEY: it is written whole (INSERT INTO"
                                    + " adds record batches, INSERT OVERWRITE replaces them), not"
                                    + " by key.",
                            DATA_TYPE));
        }
        if (context.getCatalogTable().isPartitioned()) {
            throw new ValidationException(
                    String.format(
                            "PARTITIONED BY is not supported by '%s' tables yet.", DATA_TYPE));
        }
        DataType rowType = context.getPhysicalRowDataType();
        RedisArrowTypes.schemaOf((RowType) rowType.getLogicalType()); // every type mapped
        return new Table(prefix, rowType);
    }

    private static RedisArrowCodec codec(ReadableConfig options) {
        String value = options.get(RedisConnectorOptions.ARROW_COMPRESSION);
        try {
            return RedisArrowCodec.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ValidationException(
                    String.format(
                            "Invalid value '%s' for option '%s': 'zstd', 'lz4' or 'none'.",
                            value, RedisConnectorOptions.ARROW_COMPRESSION.key()));
        }
    }

    static DynamicTableSource source(DynamicTableFactory.Context context, ReadableConfig options) {
        Table table = table(context, options);
        return new Source(
                RedisTableOptions.connectionConfig(options), table.manifestKey(), table.rowType());
    }

    static DynamicTableSink sink(DynamicTableFactory.Context context, ReadableConfig options) {
        Table table = table(context, options);
        int batchRows = options.get(RedisConnectorOptions.SINK_ARROW_BATCH_ROWS);
        if (batchRows < 1) {
            throw new ValidationException(
                    String.format(
                            "Invalid value %d for option '%s': at least 1.",
                            batchRows, RedisConnectorOptions.SINK_ARROW_BATCH_ROWS.key()));
        }
        return new Sink(
                RedisTableOptions.connectionConfig(options),
                table.manifestKey(),
                table.rowType(),
                codec(options),
                batchRows,
                new RedisArrowOutputFormat.Lifetimes(
                        options.get(RedisConnectorOptions.SINK_ARROW_PENDING_TTL).toMillis(),
                        options.get(RedisConnectorOptions.SINK_ARROW_RETENTION).toMillis()));
    }

    /** The bounded read of a columnar table, with projection and LIMIT pushdown. */
    static final class Source
            implements ScanTableSource, SupportsProjectionPushDown, SupportsLimitPushDown {
        private final RedisConnectionConfig connection;
        private final String manifestKey;
        private DataType producedType;
        private long limit = -1;

        /**
         * The snapshot this query reads, once read: shared by the copies the planner makes, which
         * may each be asked for their runtime provider.
         */
        private final AtomicReference<Optional<RedisArrowManifest>> snapshot;

        Source(RedisConnectionConfig connection, String manifestKey, DataType producedType) {
            this(connection, manifestKey, producedType, new AtomicReference<>());
        }

        private Source(
                RedisConnectionConfig connection,
                String manifestKey,
                DataType producedType,
                AtomicReference<Optional<RedisArrowManifest>> snapshot) {
            this.connection = connection;
            this.manifestKey = manifestKey;
            this.producedType = producedType;
            this.snapshot = snapshot;
        }

        @Override
        public ChangelogMode getChangelogMode() {
            return ChangelogMode.insertOnly();
        }

        /**
         * Reads the snapshot to read ({@code GET} of the manifest key), once per planned query.
         *
         * @throws org.apache.flink.table.api.TableException if Redis cannot be reached or the
         *     manifest key holds no manifest
         */
        @Override
        public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
            Optional<RedisArrowManifest> manifest = snapshot.get();
            if (manifest == null) {
                try {
                    manifest =
                            Optional.ofNullable(
                                    RedisArrowInputFormat.snapshot(connection, manifestKey));
                } catch (IOException e) {
                    throw new TableException(e.getMessage(), e);
                }
                snapshot.set(manifest);
            }
            return InputFormatProvider.of(
                    new RedisArrowInputFormat(
                            connection,
                            manifestKey,
                            manifest.orElse(null),
                            (RowType) producedType.getLogicalType(),
                            limit,
                            context.createTypeInformation(producedType)));
        }

        @Override
        public boolean supportsNestedProjection() {
            return false;
        }

        @Override
        public void applyProjection(int[][] projectedFields, DataType producedDataType) {
            this.producedType = Projection.of(projectedFields).project(producedType);
        }

        @Override
        public void applyLimit(long limit) {
            this.limit = limit;
        }

        @Override
        public DynamicTableSource copy() {
            Source copy = new Source(connection, manifestKey, producedType, snapshot);
            copy.limit = limit;
            return copy;
        }

        @Override
        public String asSummaryString() {
            return "Redis arrow table '" + manifestKey + "'";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Source that
                    && connection.equals(that.connection)
                    && manifestKey.equals(that.manifestKey)
                    && producedType.equals(that.producedType)
                    && limit == that.limit;
        }

        @Override
        public int hashCode() {
            return Objects.hash(manifestKey, producedType, limit);
        }
    }

    /**
     * The bounded write of a columnar table: INSERT INTO adds batches, INSERT OVERWRITE replaces.
     */
    static final class Sink implements DynamicTableSink, SupportsOverwrite {
        private final RedisConnectionConfig connection;
        private final String manifestKey;
        private final DataType rowType;
        private final RedisArrowCodec codec;
        private final int batchRows;
        private final RedisArrowOutputFormat.Lifetimes lifetimes;
        private boolean overwrite;

        Sink(
                RedisConnectionConfig connection,
                String manifestKey,
                DataType rowType,
                RedisArrowCodec codec,
                int batchRows,
                RedisArrowOutputFormat.Lifetimes lifetimes) {
            this.connection = connection;
            this.manifestKey = manifestKey;
            this.rowType = rowType;
            this.codec = codec;
            this.batchRows = batchRows;
            this.lifetimes = lifetimes;
        }

        @Override
        public ChangelogMode getChangelogMode(ChangelogMode requestedMode) {
            return ChangelogMode.insertOnly();
        }

        @Override
        public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
            if (!context.isBounded()) {
                throw new ValidationException(
                        String.format(
                                "Table '%s' ('data-type' = '%s') is written by bounded jobs only"
                                        + " (batch mode, or a bounded source in streaming mode).",
                                manifestKey, DATA_TYPE));
            }
            return OutputFormatProvider.of(
                    new RedisArrowOutputFormat(
                            connection,
                            manifestKey,
                            (RowType) rowType.getLogicalType(),
                            codec,
                            batchRows,
                            BATCH_BYTES,
                            overwrite,
                            UUID.randomUUID().toString(),
                            lifetimes));
        }

        @Override
        public void applyOverwrite(boolean overwrite) {
            this.overwrite = overwrite;
        }

        @Override
        public DynamicTableSink copy() {
            Sink copy = new Sink(connection, manifestKey, rowType, codec, batchRows, lifetimes);
            copy.overwrite = overwrite;
            return copy;
        }

        @Override
        public String asSummaryString() {
            return "Redis arrow table '" + manifestKey + "'";
        }
    }
}
