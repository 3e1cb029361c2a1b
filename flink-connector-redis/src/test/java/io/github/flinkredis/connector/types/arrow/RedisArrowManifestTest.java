package io.github.flinkredis.connector.types.arrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON document of a columnar table's manifest, written and read. */
class RedisArrowManifestTest {

    private static final RedisArrowManifest.Batch LZ4 =
            new RedisArrowManifest.Batch("t:w1:0-0", 10, 100, RedisArrowCodec.LZ4);
    private static final RedisArrowManifest.Batch ZSTD =
            new RedisArrowManifest.Batch("t:w2:0-0", 20, 200, RedisArrowCodec.ZSTD);

    private static RedisArrowManifest read(String json) throws IOException {
        return RedisArrowManifest.parse(json.getBytes(StandardCharsets.UTF_8), "t");
    }

    @Test
    void aManifestReadsBackAsWritten() throws IOException {
        RedisArrowManifest one =
                new RedisArrowManifest("w1", RedisArrowCodec.LZ4, "c2No", List.of(LZ4));
        RedisArrowManifest two = one.append("w2", RedisArrowCodec.ZSTD, List.of(ZSTD));

        assertThat(RedisArrowManifest.parse(one.toJson(), "t")).isEqualTo(one);
        assertThat(RedisArrowManifest.parse(two.toJson(), "t")).isEqualTo(two);
        assertThat(one.batchCodecs()).isEqualTo("lz4");
        assertThat(two.batchCodecs()).isEqualTo("mixed");
        assertThat(two.rows()).isEqualTo(30);
        assertThat(new String(two.toJson(), StandardCharsets.UTF_8))
                .contains("\"codec\":\"mixed\"")
                .contains("{\"key\":\"t:w1:0-0\",\"rows\":10,\"bytes\":100,\"codec\":\"lz4\"}")
                .contains("{\"key\":\"t:w2:0-0\",\"rows\":20,\"bytes\":200,\"codec\":\"zstd\"}");
    }

    @Test
    void aSnapshotWithoutBatchesNamesTheCodecOfItsWrite() throws IOException {
        RedisArrowManifest empty =
                new RedisArrowManifest("w1", RedisArrowCodec.NONE, "c2No", List.of());
        assertThat(empty.batchCodecs()).isEqualTo("none");
        assertThat(RedisArrowManifest.parse(empty.toJson(), "t")).isEqualTo(empty);
    }

    /** Manifests written before batches named their codec: the top-level one is theirs. */
    @Test
    void batchesWithoutACodecTakeTheTopLevelOne() throws IOException {
        RedisArrowManifest m =
                read(
                        "{\"format\":\"flink-connector-redis/arrow\",\"version\":1,\"writeId\":\"w1\","
                                + "\"codec\":\"lz4\",\"schema\":\"c2No\",\"rows\":10,\"batches\":"
                                + "[{\"key\":\"t:w1:0-0\",\"rows\":10,\"bytes\":100}]}");
        assertThat(m.batches()).containsExactly(LZ4);
    }

    @Test
    void anUnknownOrMissingCodecIsRefusedNamingTheKeyAndBatch() {
        String head =
                "{\"format\":\"flink-connector-redis/arrow\",\"version\":1,\"writeId\":\"w1\",";
        assertThatThrownBy(
                        () ->
                                read(
                                        head
                                                + "\"codec\":\"mixed\",\"schema\":\"c2No\",\"batches\":"
                                                + "[{\"key\":\"t:w1:0-0\",\"rows\":10,\"bytes\":100}]}"))
                .isInstanceOf(IOException.class)
                .hasMessage("Key 't', batch 't:w1:0-0': unknown codec 'mixed' (zstd, lz4 or none)");
        assertThatThrownBy(
                        () ->
                                read(
                                        head
                                                + "\"codec\":\"lz4\",\"schema\":\"c2No\",\"batches\":"
                                                + "[{\"key\":\"t:w1:0-0\",\"rows\":10,\"bytes\":100,"
                                                + "\"codec\":\"brotli\"}]}"))
                .hasMessage(
                        "Key 't', batch 't:w1:0-0': unknown codec 'brotli' (zstd, lz4 or none)");
        assertThatThrownBy(
                        () -> read(head + "\"codec\":\"gzip\",\"schema\":\"c2No\",\"batches\":[]}"))
                .hasMessage("Key 't': unknown codec 'gzip' (zstd, lz4 or none)");
        assertThatThrownBy(() -> read(head + "\"schema\":\"c2No\",\"batches\":[]}"))
                .hasMessage(
                        "Key 't' holds no manifest of a columnar table: it lacks writeId, codec,"
                                + " schema");
    }
}
