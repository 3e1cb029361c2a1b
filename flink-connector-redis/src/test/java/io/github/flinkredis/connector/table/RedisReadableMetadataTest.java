package io.github.flinkredis.connector.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ObjectIdentifier;
import org.apache.flink.table.catalog.ResolvedCatalogTable;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.connector.source.abilities.SupportsReadingMetadata;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.DataType;
import org.junit.jupiter.api.Test;

/**
 * The readable metadata a table lists ({@code listReadableMetadata}): its keys in order (Flink
 * keeps the map's order) and their types, for each data type.
 */
class RedisReadableMetadataTest {

    private static final DataType KEY = DataTypes.STRING().notNull();
    private static final DataType TTL = DataTypes.BIGINT().notNull();

    @Test
    void everyTableReadsTheKeyAndItsTtl() {
        for (String type : List.of("hash", "json", "string", "set", "list", "zset")) {
            assertThat(listed(type, Map.of()))
                    .as(type)
                    .containsExactly(Map.entry("key", KEY), Map.entry("ttl", TTL));
        }
    }

    @Test
    void aBoundedStreamTableReadsEntryIdsAndTimes() {
        assertThat(
                        listed(
                                "stream",
                                Map.of(
                                        "scan.startup.mode",
                                        "earliest",
                                        "scan.bounded.mode",
                                        "latest")))
                .containsExactly(
                        Map.entry("key", KEY),
                        Map.entry("ttl", TTL),
                        Map.entry("id", DataTypes.STRING().notNull()),
                        Map.entry("timestamp", DataTypes.TIMESTAMP_LTZ(3).notNull()));
    }

    @Test
    void aStreamTailReadsNoTtl() {
        assertThat(listed("stream", Map.of()))
                .containsExactly(
                        Map.entry("key", KEY),
                        Map.entry("id", DataTypes.STRING().notNull()),
                        Map.entry("timestamp", DataTypes.TIMESTAMP_LTZ(3).notNull()));
    }

    @Test
    void aTimeSeriesTableReadsItsLabels() {
        assertThat(listed("timeseries", Map.of()))
                .containsExactly(
                        Map.entry("key", KEY),
                        Map.entry("ttl", TTL),
                        Map.entry(
                                "labels",
                                DataTypes.MAP(DataTypes.STRING(), DataTypes.STRING()).notNull()));
    }

    @Test
    void theKeyIsReadAsDeclared() {
        assertThat(listed("hash", Map.of(), DataTypes.BYTES()))
                .containsExactly(Map.entry("key", DataTypes.BYTES()), Map.entry("ttl", TTL));
    }

    private static List<Map.Entry<String, DataType>> listed(
            String dataType, Map<String, String> options) {
        return listed(dataType, options, null);
    }

    /**
     * The metadata a source of {@code dataType} lists, in order; {@code keyColumn}: the type of its
     * column {@code METADATA FROM 'key'}, or null for none.
     */
    private static List<Map.Entry<String, DataType>> listed(
            String dataType, Map<String, String> options, DataType keyColumn) {
        Map<String, String> all = new HashMap<>(options);
        all.put("connector", "redis");
        all.put("url", "redis://localhost:6379");
        all.put("data-type", dataType);
        List<Column> columns = new ArrayList<>(physicalColumns(dataType));
        if (keyColumn != null) {
            columns.add(Column.metadata("k", keyColumn, "key", true));
        }
        ResolvedSchema schema = ResolvedSchema.of(columns);
        CatalogTable table =
                CatalogTable.newBuilder()
                        .schema(Schema.newBuilder().fromResolvedSchema(schema).build())
                        .options(all)
                        .build();
        SupportsReadingMetadata source =
                (SupportsReadingMetadata)
                        FactoryUtil.createDynamicTableSource(
                                null,
                                ObjectIdentifier.of("c", "d", "t"),
                                new ResolvedCatalogTable(table, schema),
                                Map.of(),
                                new Configuration(),
                                RedisReadableMetadataTest.class.getClassLoader(),
                                false);
        return List.copyOf(source.listReadableMetadata().entrySet());
    }

    /** Physical columns of a table of {@code dataType}: its record parts, or a field. */
    private static List<Column> physicalColumns(String dataType) {
        switch (dataType) {
            case "set":
                return List.of(Column.physical("member", DataTypes.STRING()));
            case "zset":
                return List.of(
                        Column.physical("member", DataTypes.STRING()),
                        Column.physical("score", DataTypes.DOUBLE()));
            case "list":
                return List.of(Column.physical("element", DataTypes.STRING()));
            case "timeseries":
                return List.of(
                        Column.physical("ts", DataTypes.BIGINT()),
                        Column.physical("val", DataTypes.DOUBLE()));
            default:
                return List.of(Column.physical("f", DataTypes.STRING()));
        }
    }
}
