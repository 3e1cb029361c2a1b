package io.github.flinkredis.connector.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.RedisStackITCaseBase;
import java.util.Map;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SQL example of docs/search.md runs as written, through the index its comment creates. Needs
 * RediSearch ({@code REDIS_STACK_URL}, or module files in {@code REDIS_MODULES}).
 */
class RedisSearchDocsITCase extends RedisStackITCaseBase {

    @AfterEach
    void dropIndex() {
        if (client != null) {
            try {
                client.command("FT.DROPINDEX", "users-idx");
            } catch (RuntimeException absent) {
                // skipped before creating it
            }
        }
    }

    @Test
    void searchPageExampleRunsThroughTheIndex() throws Exception {
        assumeCommand("FT.INFO", "RediSearch");
        // created before the keys: each is indexed as it is written
        createIndex(
                "users-idx",
                "ON",
                "HASH",
                "PREFIX",
                "1",
                "user:",
                "SCHEMA",
                "city",
                "TAG",
                "age",
                "NUMERIC");
        client.hset("user:1", Map.of("name", "ann", "age", "31", "city", "Oslo"));
        client.hset("user:2", Map.of("name", "bob", "age", "25", "city", "Oslo"));
        client.hset("user:3", Map.of("name", "cy", "age", "47", "city", "Paris"));
        client.hset("user:4", Map.of("name", "dan", "age", "40", "city", "oslo"));
        client.hset("user:5", Map.of("name", "eve", "age", "52", "city", "Oslo"));
        client.resetStats();

        assertThat(runMarkdownSql("docs/search.md"))
                .containsExactlyInAnyOrder(
                        Row.of(1L, "ann", 31),
                        Row.of(5L, "eve", 52),
                        // the count per city: 'oslo' is a group of its own
                        Row.of("Oslo", 3L),
                        Row.of("oslo", 1L),
                        Row.of("Paris", 1L),
                        // the first name and the count of names per city
                        Row.of("Oslo", "ann", 3L),
                        Row.of("oslo", "dan", 1L),
                        Row.of("Paris", "cy", 1L));
        // the filtered query lists its keys, each aggregation counts: three FT.AGGREGATE
        assertThat(client.calls("FT.AGGREGATE")).isEqualTo(3);
        assertThat(client.calls("scan")).isZero();
        // user:4 ('oslo') matches the case-folding TAG and is read; Flink's filter drops it
        assertThat(client.calls("hmget")).isEqualTo(3);
    }
}
