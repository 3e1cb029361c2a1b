package io.github.flinkredis.connector.table;

import java.util.List;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/**
 * Counts the members of one large set or sorted set through SQL, in a JVM of its own that {@link
 * RedisLargeCollectionITCase} starts with a small heap. Prints {@code RESULT count sum}, where sum
 * adds the number each member starts with.
 *
 * <p>Arguments: the Redis URL, the data type ({@code set} or {@code zset}), the key.
 */
public final class LargeCollectionScan {

    private LargeCollectionScan() {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String type = args[1];
        String key = args[2];
        TableEnvironment tEnv = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        tEnv.getConfig().set("parallelism.default", "1");
        tEnv.executeSql(
                "CREATE TABLE big (`member` STRING"
                        + ("zset".equals(type) ? ", score DOUBLE" : "")
                        + ") WITH ('connector' = 'redis', 'url' = '"
                        + url
                        + "', 'data-type' = '"
                        + type
                        + "', 'key.pattern' = '"
                        + key
                        + "')");
        List<Row> rows = new java.util.ArrayList<>();
        try (CloseableIterator<Row> it =
                tEnv.executeSql(
                                "SELECT COUNT(*), SUM(CAST(SUBSTRING(`member`, 1, 7) AS BIGINT))"
                                        + " FROM big")
                        .collect()) {
            it.forEachRemaining(rows::add);
        }
        System.out.println("RESULT " + rows.get(0).getField(0) + " " + rows.get(0).getField(1));
    }
}
