package io.github.flinkredis.connector.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.RedisStackITCaseBase;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.model.RedisRecordDeserializer;
import io.github.flinkredis.connector.search.RedisSearchKeyQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A job reading through a RediSearch index ({@link RedisSourceBuilder#setSearch}) that fails after
 * a checkpoint taken mid-result and is restored from it: every selected key is emitted exactly
 * once, in segments of 1,000 read in pages of 100. Needs RediSearch ({@code REDIS_STACK_URL}, or
 * module files in {@code REDIS_MODULES}).
 */
class RedisSearchCheckpointITCase extends RedisStackITCaseBase {

    private static final int KEYS = 10_000;

    @AfterEach
    void dropIndex() {
        if (client != null) {
            try {
                client.command("FT.DROPINDEX", "cp");
            } catch (RuntimeException absent) {
                // skipped before creating it
            }
        }
    }

    @Test
    void restoreMidResultEmitsEverySelectedKeyExactlyOnce() throws Exception {
        assumeCommand("FT.INFO", "RediSearch");
        createIndex("cp", "ON", "HASH", "PREFIX", "1", "cp:", "SCHEMA", "v", "NUMERIC");
        // v = i: the query v >= 2000 selects 8,000 keys
        client.loadHashes(KEYS, i -> "cp:" + i, i -> Map.of("v", Integer.toString(i)));
        StreamExecutionEnvironment env = RedisSourceCheckpointITCase.restartOnceEnvironment();

        RedisSource<Tuple2<String, Map<String, String>>> source =
                RedisSource.<Tuple2<String, Map<String, String>>>builder()
                        .setConnectionConfig(RedisConnectionConfig.fromUrl(redisUrl()).build())
                        .setKeyPattern("cp:*")
                        .setFields("v")
                        .setScanCount(100)
                        .setBatchSize(30)
                        .setSearch(new RedisSearchKeyQuery("cp", "@v:[2000 +inf]", 0, 1000))
                        .setDeserializer(RedisRecordDeserializer.hashAsMap())
                        .build();

        List<String> result = new ArrayList<>();
        String bad = RedisSourceCheckpointITCase.BAD;
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "redis")
                .map(
                        t ->
                                t.f0.equals("cp:" + t.f1.get("v"))
                                                && Integer.parseInt(t.f1.get("v")) >= 2000
                                        ? t.f0
                                        : bad + t.f0)
                .transform(
                        "exactly-once check",
                        Types.STRING,
                        new RedisSourceCheckpointITCase.ExactlyOnceCheck(2_345, 4_000))
                .executeAndCollect()
                .forEachRemaining(result::add);

        assertThat(RedisSourceCheckpointITCase.FAILED).isTrue();
        assertThat(result).containsExactly("records=8000 duplicates=0 badValues=0");
    }
}
