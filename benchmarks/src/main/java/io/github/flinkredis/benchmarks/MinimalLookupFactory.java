package io.github.flinkredis.benchmarks;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.LookupTableSource;
import org.apache.flink.table.connector.source.lookup.AsyncLookupFunctionProvider;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.functions.AsyncLookupFunction;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/**
 * The yardstick of {@link LookupBenchmark}'s (m): the least an async lookup of Redis hashes can be
 * in Flink SQL. A table {@code (id BIGINT, <field> STRING, ..., PRIMARY KEY (id) NOT ENFORCED) WITH
 * ('connector' = 'bench-minimal-lookup', 'url' = 'redis://...', 'key.prefix' = 'user:')} serves
 * only lookup joins on {@code id}: each lookup sends {@code HMGET <prefix><id> <field> ...} of the
 * other columns' names on one Lettuce connection ({@link ByteArrayCodec}), and its future completes
 * on Lettuce's event loop with a {@link GenericRowData} of the id and the values as {@link
 * StringData}, or no row where every value is nil. Nothing else: no cache, no retries, no metrics,
 * no EXISTS to tell a hash without those fields from a missing key, no projection pushdown (the row
 * holds every column). Flink's {@code table.exec.async-lookup.*} settings (100 in flight, ordered
 * output, by default) apply as to any {@link AsyncLookupFunctionProvider}.
 */
public final class MinimalLookupFactory implements DynamicTableSourceFactory {

    /** The connector's identifier. */
    public static final String IDENTIFIER = "bench-minimal-lookup";

    static final ConfigOption<String> URL =
            ConfigOptions.key("url").stringType().noDefaultValue().withDescription("Redis URL");

    static final ConfigOption<String> KEY_PREFIX =
            ConfigOptions.key("key.prefix")
                    .stringType()
                    .defaultValue("")
                    .withDescription("prefix of the keys: the key of id i is <prefix><i>");

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(URL);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of(KEY_PREFIX);
    }

    @Override
    public DynamicTableSource createDynamicTableSource(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        helper.validate();
        ResolvedSchema schema = context.getCatalogTable().getResolvedSchema();
        List<String> columns = new ArrayList<>();
        int idPosition = -1;
        for (Column column : schema.getColumns()) {
            if (!column.isPhysical()) {
                throw new ValidationException(IDENTIFIER + " takes physical columns only");
            }
            LogicalTypeRoot type = column.getDataType().getLogicalType().getTypeRoot();
            if (type == LogicalTypeRoot.BIGINT && idPosition < 0) {
                idPosition = columns.size();
            } else if (type != LogicalTypeRoot.VARCHAR) {
                throw new ValidationException(
                        IDENTIFIER + " takes one BIGINT id column and STRING columns");
            }
            columns.add(column.getName());
        }
        if (idPosition < 0) {
            throw new ValidationException(IDENTIFIER + " needs a BIGINT id column");
        }
        return new Source(
                helper.getOptions().get(URL),
                helper.getOptions().get(KEY_PREFIX),
                idPosition,
                columns.toArray(new String[0]));
    }

    /** The table: lookups only, on its id column. */
    public static final class Source implements LookupTableSource {
        private final String url;
        private final String keyPrefix;
        private final int idPosition;
        private final String[] columns;

        Source(String url, String keyPrefix, int idPosition, String[] columns) {
            this.url = url;
            this.keyPrefix = keyPrefix;
            this.idPosition = idPosition;
            this.columns = columns;
        }

        @Override
        public LookupRuntimeProvider getLookupRuntimeProvider(LookupContext context) {
            int[][] keys = context.getKeys();
            if (keys.length != 1 || keys[0].length != 1 || keys[0][0] != idPosition) {
                throw new ValidationException(
                        IDENTIFIER
                                + " looks up by its id column '"
                                + columns[idPosition]
                                + "' only");
            }
            return AsyncLookupFunctionProvider.of(new Lookup(url, keyPrefix, idPosition, columns));
        }

        @Override
        public DynamicTableSource copy() {
            return new Source(url, keyPrefix, idPosition, columns);
        }

        @Override
        public String asSummaryString() {
            return IDENTIFIER;
        }
    }

    /** {@code HMGET <prefix><id> <field> ...} per lookup on one connection, async. */
    public static final class Lookup extends AsyncLookupFunction {
        private static final long serialVersionUID = 1L;

        private final String url;
        private final String keyPrefix;
        private final int idPosition;
        private final String[] columns;

        private transient RedisClient client;
        private transient StatefulRedisConnection<byte[], byte[]> connection;
        private transient RedisAsyncCommands<byte[], byte[]> commands;

        /** The HMGET's fields: the names of the columns but the id. */
        private transient byte[][] fields;

        Lookup(String url, String keyPrefix, int idPosition, String[] columns) {
            this.url = url;
            this.keyPrefix = keyPrefix;
            this.idPosition = idPosition;
            this.columns = columns;
        }

        @Override
        public void open(FunctionContext context) {
            fields = new byte[columns.length - 1][];
            for (int i = 0, f = 0; i < columns.length; i++) {
                if (i != idPosition) {
                    fields[f++] = columns[i].getBytes(StandardCharsets.UTF_8);
                }
            }
            client = RedisClient.create(url);
            connection = client.connect(ByteArrayCodec.INSTANCE);
            commands = connection.async();
        }

        @Override
        public CompletableFuture<Collection<RowData>> asyncLookup(RowData keyRow) {
            long id = keyRow.getLong(0);
            byte[] key = (keyPrefix + id).getBytes(StandardCharsets.UTF_8);
            return commands.hmget(key, fields)
                    .thenApply(values -> row(id, values))
                    .toCompletableFuture();
        }

        private Collection<RowData> row(long id, List<KeyValue<byte[], byte[]>> values) {
            GenericRowData row = new GenericRowData(columns.length);
            row.setField(idPosition, id);
            boolean any = false;
            for (int i = 0, f = 0; i < columns.length; i++) {
                if (i != idPosition) {
                    KeyValue<byte[], byte[]> value = values.get(f++);
                    if (value.hasValue()) {
                        row.setField(i, StringData.fromBytes(value.getValue()));
                        any = true;
                    }
                }
            }
            return any ? Collections.singletonList(row) : Collections.emptyList();
        }

        @Override
        public void close() {
            if (connection != null) {
                connection.close();
            }
            if (client != null) {
                client.shutdown();
            }
        }
    }
}
