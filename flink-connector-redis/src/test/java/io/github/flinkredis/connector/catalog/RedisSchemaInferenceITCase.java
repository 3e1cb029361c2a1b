package io.github.flinkredis.connector.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.RedisStackITCaseBase;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisDataType;
import java.util.Map;
import org.apache.flink.table.api.DataTypes;
import org.junit.jupiter.api.Test;

/**
 * {@link RedisSchemaInference#infer} from Java, against a real server: hashes, and JSON documents
 * with nested objects, arrays, dates and a member of mixed kinds (RedisJSON: {@code
 * REDIS_STACK_URL}, or module files in {@code REDIS_MODULES}).
 */
class RedisSchemaInferenceITCase extends RedisStackITCaseBase {

    private RedisConnectionConfig config() {
        return RedisConnectionConfig.fromUrl(redis.url()).build();
    }

    @Test
    void hashesGiveTheirFieldsTypedAndTheKeyPartAsPrimaryKey() throws Exception {
        for (int i = 1; i <= 30; i++) {
            client.hset(
                    "order:" + (1000 + i),
                    i % 2 == 0
                            ? Map.of("item", "book", "qty", Integer.toString(i), "price", "9.99")
                            : Map.of("item", "pen", "qty", Integer.toString(i)));
        }
        client.set("order:x", "a string under the prefix is not a hash");

        RedisInferredTable t =
                RedisSchemaInference.infer(config(), RedisDataType.HASH, "order:", 20);

        assertThat(t.sampledKeys()).isEqualTo(20);
        assertThat(t.schema().toString())
                .isEqualTo(
                        "(\n"
                                + "  `id` INT NOT NULL COMMENT 'inferred from 20 values: all read"
                                + " as INT; in 100% of keys',\n"
                                + "  `item` STRING COMMENT 'inferred from 20 values: all read as"
                                + " STRING; in 100% of keys',\n"
                                + "  `price` DECIMAL(10, 2) COMMENT 'inferred from "
                                + t.columns().get(2).values()
                                + " values: all read as DECIMAL(10, 2); in "
                                + Math.round(100 * t.columns().get(2).presence())
                                + "% of keys',\n"
                                + "  `qty` INT COMMENT 'inferred from 20 values: all read as INT;"
                                + " in 100% of keys',\n"
                                + "  CONSTRAINT `PK_id` PRIMARY KEY (`id`) NOT ENFORCED\n"
                                + ")");
        assertThat(t.options())
                .containsExactly(Map.entry("data-type", "hash"), Map.entry("key.prefix", "order:"));
    }

    @Test
    void timeseriesGiveTheirSamplesAndLabelsThroughTheCatalog() throws Exception {
        assumeCommand("TS.ADD", "RedisTimeSeries");
        for (int sensor = 1; sensor <= 2; sensor++) {
            client.command(
                    "TS.CREATE",
                    "temp:" + sensor,
                    "LABELS",
                    "unit",
                    "C",
                    "site",
                    Integer.toString(sensor));
            for (int i = 0; i < 5; i++) {
                client.command(
                        "TS.ADD",
                        "temp:" + sensor,
                        Long.toString(1_700_000_000_000L + i * 1000),
                        Integer.toString(20 + sensor * 10 + i));
            }
        }
        tEnv.executeSql("CREATE CATALOG r WITH ('type' = 'redis', 'url' = '" + redis.url() + "')");

        assertThat(tEnv.from("r.db0.temp").getResolvedSchema().toString())
                .contains(
                        "`id` INT NOT NULL",
                        "`ts` TIMESTAMP_LTZ(3) NOT NULL",
                        "`val` DOUBLE",
                        "`site` INT",
                        "`unit` STRING",
                        "PRIMARY KEY (`id`, `ts`)");
        assertThat(query("SELECT id, val, site, unit FROM r.db0.temp WHERE val >= 43"))
                .containsExactlyInAnyOrder(
                        org.apache.flink.types.Row.of(2, 43.0, 2, "C"),
                        org.apache.flink.types.Row.of(2, 44.0, 2, "C"));
    }

    @Test
    void jsonDocumentsGiveNestedRowsArraysDatesAndMixedMembersAsString() throws Exception {
        assumeCommand("JSON.SET", "RedisJSON");
        for (int i = 1; i <= 10; i++) {
            client.jsonSet(
                    "doc:" + i,
                    String.format(
                            "{\"name\":\"n%d\",\"age\":%d,\"score\":%d.5,\"ok\":%s,"
                                    + "\"joined\":\"2024-01-%02d\",\"tags\":[\"a\",\"b\"],"
                                    + "\"address\":{\"city\":\"c%d\",\"zip\":%d},"
                                    + "\"big\":%d,\"mixed\":%s}",
                            i,
                            20 + i,
                            i,
                            i % 2 == 0,
                            i,
                            i,
                            1000 + i,
                            5_000_000_000L + i,
                            i % 5 == 0 ? "\"five\"" : Integer.toString(i)));
        }

        RedisInferredTable t =
                RedisSchemaInference.infer(config(), RedisDataType.JSON, "doc:", 100);

        assertThat(t.columns().stream().map(c -> c.name() + " " + c.type()))
                .containsExactly(
                        "id INT",
                        "address ROW<`city` STRING, `zip` INT>",
                        "age INT",
                        "big BIGINT",
                        "joined DATE",
                        "mixed STRING",
                        "name STRING",
                        "ok BOOLEAN",
                        "score DOUBLE",
                        "tags ARRAY<STRING>");
        RedisInferredColumn mixed = t.columns().get(5);
        assertThat(mixed.fallbackFrom()).isEqualTo(DataTypes.INT());
        assertThat(mixed.confidence()).isEqualTo(0.8);

        // the same table through the catalog, read by the connector
        tEnv.executeSql("CREATE CATALOG r WITH ('type' = 'redis', 'url' = '" + redis.url() + "')");
        assertThat(
                        query(
                                "SELECT id, address.city, tags[2], mixed FROM r.db0.doc"
                                        + " WHERE id IN (4, 5)"))
                .containsExactlyInAnyOrder(
                        org.apache.flink.types.Row.of(4, "c4", "b", "4"),
                        org.apache.flink.types.Row.of(5, "c5", "b", "five"));
    }
}
