package io.github.flinkredis.connector.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code FT.INFO} replies of several RediSearch versions, and the choice of a table's index. */
class RedisSearchIndexTest {

    /** A reply as Lettuce's ArrayOutput gives it with the byte-array codec: text as bytes. */
    private static Object bytes(Object o) {
        if (o instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        if (o instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object e : l) {
                out.add(bytes(e));
            }
            return out;
        }
        return o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> reply(Object... elements) {
        return (List<Object>) bytes(List.of(elements));
    }

    /** RediSearch 2.2.9 (RESP2), as redis-cli shows FT.INFO of a hash index with a FILTER. */
    @Test
    void aHashIndexOfRediSearch22() {
        RedisSearchIndex index =
                RedisSearchIndex.parse(
                        "fidx",
                        reply(
                                "index_name", "fidx",
                                "index_options", List.of(),
                                "index_definition",
                                        List.of(
                                                "key_type", "HASH",
                                                "prefixes", List.of("user:", "member:"),
                                                "filter", "@age>10",
                                                "default_score", "1"),
                                "attributes",
                                        List.of(
                                                List.of(
                                                        "identifier",
                                                        "city",
                                                        "attribute",
                                                        "city",
                                                        "type",
                                                        "TAG",
                                                        "SEPARATOR",
                                                        ";"),
                                                List.of(
                                                        "identifier",
                                                        "age",
                                                        "attribute",
                                                        "age",
                                                        "type",
                                                        "NUMERIC",
                                                        "SORTABLE"),
                                                List.of(
                                                        "identifier",
                                                        "name",
                                                        "attribute",
                                                        "name",
                                                        "type",
                                                        "TEXT",
                                                        "WEIGHT",
                                                        "1",
                                                        "SORTABLE",
                                                        "NOSTEM")),
                                "num_docs", "1",
                                "hash_indexing_failures", "0",
                                "indexing", "0"));

        assertThat(index.name()).isEqualTo("fidx");
        assertThat(index.onJson()).isFalse();
        assertThat(index.prefixes()).containsExactly("user:", "member:");
        assertThat(index.filter()).isEqualTo("@age>10");
        assertThat(index.indexingFailures()).isZero();
        assertThat(index.indexing()).isFalse();
        assertThat(index.attributes())
                .containsExactly(
                        new RedisSearchAttribute(
                                "city", "city", RedisSearchFieldType.TAG, false, false, false, ";"),
                        new RedisSearchAttribute(
                                "age",
                                "age",
                                RedisSearchFieldType.NUMERIC,
                                true,
                                false,
                                false,
                                null),
                        new RedisSearchAttribute(
                                "name",
                                "name",
                                RedisSearchFieldType.TEXT,
                                true,
                                false,
                                false,
                                null));
    }

    /**
     * RediSearch 2.6+ over RESP3, flattened by Lettuce: an attribute's flags in a {@code flags}
     * list; a JSON index with aliases; a TAG without SEPARATOR gets the default one.
     */
    @Test
    void aJsonIndexWithFlagsInAList() {
        RedisSearchIndex index =
                RedisSearchIndex.parse(
                        "jidx",
                        reply(
                                "index_name", "jidx",
                                "index_definition",
                                        List.of("key_type", "JSON", "prefixes", List.of("doc:")),
                                "attributes",
                                        List.of(
                                                List.of(
                                                        "identifier",
                                                        "$.city",
                                                        "attribute",
                                                        "city",
                                                        "type",
                                                        "TAG",
                                                        "flags",
                                                        List.of("CASESENSITIVE", "SORTABLE")),
                                                List.of(
                                                        "identifier",
                                                        "$.n",
                                                        "attribute",
                                                        "count",
                                                        "type",
                                                        "NUMERIC",
                                                        "flags",
                                                        List.of()),
                                                List.of(
                                                        "identifier",
                                                        "$.v",
                                                        "attribute",
                                                        "v",
                                                        "type",
                                                        "VECTOR",
                                                        "algorithm",
                                                        "FLAT"))));

        assertThat(index.onJson()).isTrue();
        assertThat(index.filter()).isNull();
        assertThat(index.attributeOf("city").orElseThrow())
                .isEqualTo(
                        new RedisSearchAttribute(
                                "$.city",
                                "city",
                                RedisSearchFieldType.TAG,
                                true,
                                true,
                                false,
                                ","));
        // by alias; and, in a JSON index, by the path $.<column>
        assertThat(index.attributeOf("count").orElseThrow().identifier()).isEqualTo("$.n");
        assertThat(index.attributeOf("n").orElseThrow().name()).isEqualTo("count");
        assertThat(index.attributeOf("v").orElseThrow().type())
                .isEqualTo(RedisSearchFieldType.VECTOR);
        assertThat(index.attributeOf("missing")).isEmpty();
    }

    @Test
    void anIndexWithoutPrefixCoversEveryKey() {
        RedisSearchIndex index =
                RedisSearchIndex.parse(
                        "all",
                        reply(
                                "index_definition",
                                List.of("key_type", "HASH"),
                                "attributes",
                                List.of()));

        assertThat(index.prefixes()).containsExactly("");
        assertThat(index.prefixCovering("user:")).contains("");
    }

    @Test
    void theDialectIsSentFromRediSearch24On() {
        int v229 =
                RedisSearchQueries.searchVersion(
                        "# Modules\r\nmodule:name=ReJSON,ver=20008,api=1\r\n"
                                + "module:name=search,ver=20209,api=1,filters=0\r\n");
        int v805 = RedisSearchQueries.searchVersion("module:name=search,ver=80205,api=1\r\n");

        assertThat(v229).isEqualTo(20209);
        assertThat(RedisSearchQueries.dialectOf(v229)).isZero();
        assertThat(RedisSearchQueries.dialectOf(20400)).isEqualTo(2);
        assertThat(RedisSearchQueries.dialectOf(v805)).isEqualTo(2);
        assertThat(RedisSearchQueries.searchVersion("module:name=ReJSON,ver=20008")).isEqualTo(-1);
    }

    @Test
    void aReplyWithoutKeyTypeIsRejectedNamingTheIndex() {
        assertThatThrownBy(() -> RedisSearchIndex.parse("odd", reply("index_name", "odd")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FT.INFO odd gave no index_definition with a key_type");
    }

    private static RedisSearchIndex index(
            String name, boolean json, List<String> prefixes, String filter) {
        return new RedisSearchIndex(name, json, prefixes, filter, List.of());
    }

    @Test
    void theIndexOfTheTablesTypeWithTheLongestCoveringPrefixIsChosen() {
        List<RedisSearchIndex> indexes =
                List.of(
                        index("broad", false, List.of("us"), null),
                        index("exact", false, List.of("other:", "user:"), null),
                        index("json", true, List.of("user:"), null),
                        index("filtered", false, List.of("user:"), "@age>10"),
                        index("elsewhere", false, List.of("order:"), null));

        RedisSearchIndexes.Choice choice = RedisSearchIndexes.choose(indexes, false, "user:");

        assertThat(choice.index().name()).isEqualTo("exact");
        assertThat(choice.rejected())
                .containsExactly(
                        "index 'elsewhere' covers the key prefixes [order:], not the table's"
                                + " 'user:'",
                        "index 'filtered' has FILTER '@age>10', which may leave keys of the table"
                                + " out",
                        "index 'json' is ON JSON, the table reads hashes");
    }

    @Test
    void anIndexThatFailedToIndexDocumentsOrIsStillIndexingIsNotUsed() {
        RedisSearchIndex failing =
                RedisSearchIndex.parse(
                        "failing",
                        reply(
                                "index_definition", List.of("key_type", "HASH"),
                                "hash_indexing_failures", "2",
                                "indexing", "0"));
        RedisSearchIndex busy =
                RedisSearchIndex.parse(
                        "busy",
                        reply(
                                "index_definition", List.of("key_type", "HASH"),
                                // RESP3 gives FT.INFO's counts as doubles
                                "hash_indexing_failures", 0.0,
                                "indexing", 1.0));

        RedisSearchIndexes.Choice choice =
                RedisSearchIndexes.choose(List.of(failing, busy), false, "user:");

        assertThat(failing.indexingFailures()).isEqualTo(2);
        assertThat(busy.indexing()).isTrue();
        assertThat(choice.index()).isNull();
        assertThat(choice.rejected())
                .containsExactly(
                        "index 'busy' is still indexing the keys that existed when it was created",
                        "index 'failing' failed to index 2 documents (hash_indexing_failures),"
                                + " which no query would find");
    }

    @Test
    void noIndexServesATableWhenNoneCoversItsKeys() {
        RedisSearchIndexes.Choice choice =
                RedisSearchIndexes.choose(
                        List.of(index("users", false, List.of("user:1"), null)), false, "user:");

        assertThat(choice.index()).isNull();
        assertThat(choice.rejected())
                .containsExactly(
                        "index 'users' covers the key prefixes [user:1], not the table's 'user:'");
    }
}
