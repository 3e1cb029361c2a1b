package io.github.flinkredis.connector.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.model.RedisRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A timeseries sample's record: its numbers, and their text for whoever reads the values. */
class RedisRecordTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> text(RedisRecord record) {
        List<String> out = new ArrayList<>();
        for (byte[] v : record.values()) {
            out.add(new String(v, StandardCharsets.US_ASCII));
        }
        return out;
    }

    @Test
    void aSampleCarriesItsNumbersAndGivesTheirText() {
        byte[][] fields = {utf8("value"), utf8("timestamp")};
        boolean[] timestamps = {false, true};
        List<List<String>> texts = new ArrayList<>();
        for (double v : new double[] {4, -0.0, 21.5, Double.NaN, 1e15, -3, 0.1}) {
            RedisRecord r =
                    RedisRecord.ofSample(
                            utf8("t"), fields, timestamps, 1_700_000_000_123L, v, -1, null);
            assertThat(r.isSample()).isTrue();
            assertThat(r.isSampleTimestamp(0)).isFalse();
            assertThat(r.isSampleTimestamp(1)).isTrue();
            assertThat(r.sampleTimestamp()).isEqualTo(1_700_000_000_123L);
            assertThat(Double.doubleToRawLongBits(r.sampleValue()))
                    .isEqualTo(Double.doubleToRawLongBits(v));
            texts.add(text(r));
        }

        assertThat(texts)
                .containsExactly(
                        List.of("4", "1700000000123"),
                        List.of("-0", "1700000000123"),
                        List.of("21.5", "1700000000123"),
                        List.of("NaN", "1700000000123"),
                        List.of("1.0E15", "1700000000123"),
                        List.of("-3", "1700000000123"),
                        List.of("0.1", "1700000000123"));
        RedisRecord hash = new RedisRecord(utf8("h"), fields, new byte[][] {utf8("x"), null}, -1);
        assertThat(hash.isSample()).isFalse();
        assertThat(hash.isSampleTimestamp(1)).isFalse();
    }
}
