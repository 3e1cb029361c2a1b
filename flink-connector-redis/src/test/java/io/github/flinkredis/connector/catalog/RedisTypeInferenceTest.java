package io.github.flinkredis.connector.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.api.DataTypes;
import org.junit.jupiter.api.Test;

/** The type of sampled values: the first candidate that reads them all, else STRING or BYTES. */
class RedisTypeInferenceTest {

    private static RedisTypeInference.Inferred of(String... values) {
        List<byte[]> bytes = new ArrayList<>();
        for (String v : values) {
            bytes.add(v.getBytes(StandardCharsets.UTF_8));
        }
        return RedisTypeInference.of(bytes);
    }

    @Test
    void eachCandidateIsChosenWhereItReadsEveryValue() {
        assertThat(of("1", "-42", "2147483647").type()).isEqualTo(DataTypes.INT());
        assertThat(of("1", "2147483648").type()).isEqualTo(DataTypes.BIGINT());
        assertThat(of("12.50", "3.5", "100").type()).isEqualTo(DataTypes.DECIMAL(10, 2));
        assertThat(of("123456789.123456").type()).isEqualTo(DataTypes.DECIMAL(19, 6));
        assertThat(of("1e3", "2.5").type()).isEqualTo(DataTypes.DOUBLE());
        assertThat(of("true", "FALSE").type()).isEqualTo(DataTypes.BOOLEAN());
        assertThat(of("2024-01-31", "1999-12-01").type()).isEqualTo(DataTypes.DATE());
        assertThat(of("2024-01-31T10:00:00", "2024-02-01 08:30:00.125").type())
                .isEqualTo(DataTypes.TIMESTAMP(3));
        assertThat(of("hello", "1").type()).isEqualTo(DataTypes.STRING());
    }

    @Test
    void aMixedFieldFallsBackToStringNamingTheTypeMostValuesReadAs() {
        RedisTypeInference.Inferred t = of("1", "2", "3", "n/a");

        assertThat(t.type()).isEqualTo(DataTypes.STRING());
        assertThat(t.parsed()).isEqualTo(4);
        assertThat(t.best()).isEqualTo(DataTypes.INT());
        assertThat(t.bestParsed()).isEqualTo(3);
    }

    @Test
    void yesAndNoAreNotInferredAsBooleans() {
        // the BOOLEAN parser reads them, but a field of y/n is more likely text
        assertThat(of("y", "n").type()).isEqualTo(DataTypes.STRING());
    }

    @Test
    void valuesThatAreNotUtf8AreBytes() {
        RedisTypeInference.Inferred t =
                RedisTypeInference.of(List.of(new byte[] {(byte) 0xff, 0}, "a".getBytes()));

        assertThat(t.type()).isEqualTo(DataTypes.BYTES());
    }

    @Test
    void aColumnCommentSaysHowSureTheInferenceIs() {
        RedisInferredColumn sure =
                new RedisInferredColumn("age", DataTypes.INT(), false, 60, 60, 1.0, null, 0);
        RedisInferredColumn mixed =
                new RedisInferredColumn(
                        "code", DataTypes.STRING(), false, 60, 60, 0.5, DataTypes.INT(), 54);

        assertThat(sure.confidence()).isEqualTo(1.0);
        assertThat(sure.comment())
                .isEqualTo("inferred from 60 values: all read as INT; in 100% of keys");
        assertThat(mixed.confidence()).isEqualTo(0.9);
        assertThat(mixed.comment())
                .isEqualTo(
                        "inferred from 60 values: 90% read as INT, the rest do not: STRING; in"
                                + " 50% of keys");
    }
}
