package io.github.flinkredis.connector.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.RedisStackITCaseBase;
import io.github.flinkredis.connector.client.RedisPipeline;
import io.github.flinkredis.connector.client.RedisRetryPolicy;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Indexes found with FT._LIST and FT.INFO on a real RediSearch, and the choice of a table's. */
class RedisSearchIndexesITCase extends RedisStackITCaseBase {

    private RedisPipeline pipeline;

    @BeforeEach
    void openPipeline() {
        assumeCommand("FT.INFO", "RediSearch");
        pipeline =
                RedisPipeline.immediate(
                        RedisConnectionConfig.fromUrl(redis.url()).build(),
                        RedisRetryPolicy.maxRetries(0, "none"),
                        "test");
    }

    @AfterEach
    void dropIndexesAndClose() throws Exception {
        if (pipeline == null) {
            return;
        }
        for (String name : RedisSearchIndexes.names(get(RedisSearchIndexes.sendList(commands())))) {
            client.sync()
                    .dispatch(
                            CommandType.FT_DROPINDEX,
                            new StatusOutput<>(StringCodec.UTF8),
                            new CommandArgs<>(StringCodec.UTF8).add(name));
        }
        pipeline.close();
    }

    private RedisClusterAsyncCommands<byte[], byte[]> commands() {
        return pipeline.commands();
    }

    private static <T> T get(java.util.concurrent.Future<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    /** {@code FT.CREATE <args...>}, as typed in redis-cli. */
    private void ftCreate(String... args) {
        CommandArgs<String, String> a = new CommandArgs<>(StringCodec.UTF8);
        for (String arg : args) {
            a.add(arg);
        }
        client.sync().dispatch(CommandType.FT_CREATE, new StatusOutput<>(StringCodec.UTF8), a);
    }

    private List<RedisSearchIndex> indexes() throws Exception {
        List<RedisSearchIndex> indexes = new ArrayList<>();
        for (String name : RedisSearchIndexes.names(get(RedisSearchIndexes.sendList(commands())))) {
            indexes.add(
                    RedisSearchIndex.parse(
                            name, get(RedisSearchIndexes.sendInfo(commands(), name))));
        }
        return indexes;
    }

    @Test
    void theServersIndexesAreReadAndTheTablesOneIsChosen() throws Exception {
        ftCreate(
                "users",
                "ON",
                "HASH",
                "PREFIX",
                "1",
                "user:",
                "SCHEMA",
                "city",
                "TAG",
                "SEPARATOR",
                ";",
                "age",
                "NUMERIC",
                "SORTABLE",
                "name",
                "TEXT");
        ftCreate(
                "adults", "ON", "HASH", "PREFIX", "1", "user:", "FILTER", "@age>17", "SCHEMA",
                "age", "NUMERIC");
        ftCreate(
                "docs", "ON", "JSON", "PREFIX", "1", "doc:", "SCHEMA", "$.city", "AS", "city",
                "TAG", "$.n", "AS", "n", "NUMERIC");

        List<RedisSearchIndex> indexes = indexes();

        assertThat(indexes)
                .extracting(RedisSearchIndex::name)
                .containsExactlyInAnyOrder("users", "adults", "docs");
        RedisSearchIndex users =
                indexes.stream().filter(i -> i.name().equals("users")).findFirst().orElseThrow();
        assertThat(users.onJson()).isFalse();
        assertThat(users.prefixes()).containsExactly("user:");
        assertThat(users.attributeOf("city").orElseThrow())
                .isEqualTo(
                        new RedisSearchAttribute(
                                "city",
                                "city",
                                RedisSearchFieldType.TAG,
                                false,
                                false,
                                false,
                                ";"));
        assertThat(users.attributeOf("age").orElseThrow().sortable()).isTrue();
        assertThat(users.attributeOf("name").orElseThrow().type())
                .isEqualTo(RedisSearchFieldType.TEXT);
        RedisSearchIndex docs =
                indexes.stream().filter(i -> i.name().equals("docs")).findFirst().orElseThrow();
        assertThat(docs.onJson()).isTrue();
        assertThat(docs.attributeOf("n").orElseThrow().identifier()).isEqualTo("$.n");

        RedisSearchIndexes.Choice hashes = RedisSearchIndexes.choose(indexes, false, "user:");
        assertThat(hashes.index().name()).isEqualTo("users");
        assertThat(hashes.rejected())
                .containsExactlyInAnyOrder(
                        "index 'adults' has FILTER '@age>17', which may leave keys of the table"
                                + " out",
                        "index 'docs' is ON JSON, the table reads hashes");
        assertThat(RedisSearchIndexes.choose(indexes, true, "doc:").index().name())
                .isEqualTo("docs");
        assertThat(RedisSearchIndexes.choose(indexes, true, "order:").index()).isNull();
    }
}
