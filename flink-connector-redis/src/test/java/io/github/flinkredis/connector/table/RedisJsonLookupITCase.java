package io.github.flinkredis.connector.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.RedisStackITCaseBase;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.lookup.RedisAsyncLookupFunction;
import io.github.flinkredis.connector.model.RedisRecordDeserializer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lookup joins against RedisJSON documents: {@code JSON.GET key $.a $.b} of the joined members
 * (nested ones included, under {@code json.path}), sync and async. Needs a server with RedisJSON
 * ({@code REDIS_STACK_URL}, or module files in {@code REDIS_MODULES}); the cluster runs need {@code
 * REDIS_MODULES}.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"standalone", "cluster"})
class RedisJsonLookupITCase extends RedisStackITCaseBase {

    @Parameter String deployment;

    @Override
    protected String deployment() {
        return deployment;
    }

    @BeforeEach
    void load() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        tEnv = StreamTableEnvironment.create(env, EnvironmentSettings.inStreamingMode());
        client.jsonSet(
                "user:1",
                "{\"name\":\"ann\",\"address\":{\"city\":\"Oslo\",\"zip\":150},"
                        + "\"profile\":{\"level\":3}}");
        client.jsonSet("user:2", "{\"name\":\"bob\",\"profile\":{\"level\":1}}");
        client.pexpire("user:2", 600_000);
        client.resetStats();
        tEnv.executeSql(
                "CREATE TEMPORARY VIEW orders AS SELECT oid, uid, PROCTIME() AS pt FROM (VALUES"
                        + " (10, 1), (11, 2), (12, 3)) AS t(oid, uid)");
    }

    @Test
    void documentsAreReadWithJsonGetOfTheJoinedMembers() throws Exception {
        for (String async : new String[] {"false", "true"}) {
            tEnv.executeSql("DROP TABLE IF EXISTS users");
            tEnv.executeSql(
                    "CREATE TABLE users (id INT, name STRING, address ROW<city STRING, zip INT>,"
                            + " bio STRING, ttl BIGINT METADATA VIRTUAL,"
                            + " PRIMARY KEY (id) NOT ENFORCED) WITH ("
                            + with(
                                    "data-type",
                                    "json",
                                    "key.prefix",
                                    "user:",
                                    "lookup.async",
                                    async)
                            + ")");
            client.resetStats();

            List<Row> rows =
                    query(
                            "SELECT o.oid, u.name, u.address, u.ttl > 0 FROM orders AS o LEFT JOIN"
                                    + " users FOR SYSTEM_TIME AS OF o.pt AS u ON o.uid = u.id");

            assertThat(rows)
                    .as("lookup.async = %s", async)
                    .containsExactlyInAnyOrder(
                            Row.of(10, "ann", Row.of("Oslo", 150), false),
                            Row.of(11, "bob", null, true),
                            Row.of(12, null, null, null));
            assertThat(client.calls("json.get")).isEqualTo(3);
            assertThat(client.calls("pttl")).isEqualTo(3);
        }
    }

    @Test
    void jsonPathPicksTheValueWhoseMembersAreColumns() throws Exception {
        tEnv.executeSql(
                "CREATE TABLE profiles (id INT, level INT, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with("data-type", "json", "key.prefix", "user:", "json.path", "$.profile")
                        + ")");

        List<Row> rows =
                query(
                        "SELECT o.oid, p.level FROM orders AS o JOIN profiles FOR SYSTEM_TIME AS OF"
                                + " o.pt AS p ON o.uid = p.id");

        assertThat(rows).containsExactlyInAnyOrder(Row.of(10, 3), Row.of(11, 1));
    }

    @Test
    void documentsAreLookedUpFromTheDataStreamApi() throws Exception {
        assumeCommand("JSON.GET", "RedisJSON");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        RedisAsyncLookupFunction<Integer, Tuple2<String, Map<String, String>>, String> lookup =
                RedisAsyncLookupFunction
                        .<Integer, Tuple2<String, Map<String, String>>, String>builder()
                        .setConnectionConfig(RedisConnectionConfig.fromUrl(redisUrl()).build())
                        .setDataType(RedisDataType.JSON)
                        .setFields("name", "profile")
                        .setKeyFunction(uid -> "user:" + uid)
                        .setDeserializer(RedisRecordDeserializer.hashAsMap())
                        .setJoiner((uid, user) -> uid + " " + user.f1, Types.STRING)
                        .build();

        List<String> out =
                AsyncDataStream.orderedWait(env.fromData(1, 2, 3), lookup, 30, TimeUnit.SECONDS, 10)
                        .executeAndCollect(10);

        assertThat(out)
                .containsExactly(
                        "1 {name=\"ann\", profile={\"level\":3}}",
                        "2 {name=\"bob\", profile={\"level\":1}}");
        assertThat(client.calls("json.get")).isEqualTo(3);
    }
}
