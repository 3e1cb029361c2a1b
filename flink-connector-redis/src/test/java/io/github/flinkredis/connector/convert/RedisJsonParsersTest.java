package io.github.flinkredis.connector.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.DataType;
import org.junit.jupiter.api.Test;

/** Reading JSON values as Flink types: native numbers and booleans, strings by the hash rules. */
class RedisJsonParsersTest {

    private static Object parse(DataType type, String json) throws Exception {
        return RedisJsonParsers.create(type.getLogicalType(), ZoneId.of("UTC"))
                .parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void numbersAndBooleansAreNative() throws Exception {
        assertThat(parse(DataTypes.INT(), "42")).isEqualTo(42);
        assertThat(parse(DataTypes.BIGINT(), "-9007199254740993")).isEqualTo(-9007199254740993L);
        assertThat(parse(DataTypes.TINYINT(), "-128")).isEqualTo((byte) -128);
        assertThat(parse(DataTypes.DOUBLE(), "1.5e3")).isEqualTo(1500.0);
        assertThat(parse(DataTypes.FLOAT(), "2")).isEqualTo(2.0f);
        assertThat(parse(DataTypes.DECIMAL(5, 2), "1.005"))
                .isEqualTo(DecimalData.fromBigDecimal(new BigDecimal("1.01"), 5, 2));
        assertThat(parse(DataTypes.BOOLEAN(), "true")).isEqualTo(true);
        // strings follow the rules of hash fields
        assertThat(parse(DataTypes.INT(), "\"7\"")).isEqualTo(7);
        assertThat(parse(DataTypes.BOOLEAN(), "\"yes\"")).isEqualTo(true);
    }

    @Test
    void wrongNumbersAreErrors() {
        assertThatThrownBy(() -> parse(DataTypes.INT(), "1.5")).hasMessage("not an integer");
        assertThatThrownBy(() -> parse(DataTypes.TINYINT(), "300")).hasMessage("out of range");
        assertThatThrownBy(() -> parse(DataTypes.BIGINT(), "99999999999999999999"))
                .hasMessage("out of range");
        assertThatThrownBy(() -> parse(DataTypes.DECIMAL(3, 1), "1234.5"))
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> parse(DataTypes.BOOLEAN(), "1"))
                .hasMessage("expected a JSON boolean, found a number");
        assertThatThrownBy(() -> parse(DataTypes.INT(), "{\"a\":1}"))
                .hasMessage("expected a JSON integer, found an object");
        assertThatThrownBy(() -> parse(DataTypes.INT(), "nul"))
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void numbersBeyondTheRangeOfTheTypeAreErrorsNotInfinity() throws Exception {
        assertThatThrownBy(() -> parse(DataTypes.DOUBLE(), "1e400"))
                .hasMessage("out of range for DOUBLE");
        assertThatThrownBy(() -> parse(DataTypes.DOUBLE(), "-1e309"))
                .hasMessage("out of range for DOUBLE");
        assertThatThrownBy(() -> parse(DataTypes.FLOAT(), "1e39"))
                .hasMessage("out of range for FLOAT");
        assertThatThrownBy(() -> parse(DataTypes.DOUBLE(), "\"1e400\""))
                .hasMessageContaining("out of range for DOUBLE");
        assertThatThrownBy(() -> parse(DataTypes.INT(), "\"\u0664\u0662\""))
                .hasMessageContaining("not a decimal integer");
        assertThat(parse(DataTypes.DOUBLE(), "1.7976931348623157e308")).isEqualTo(Double.MAX_VALUE);
        assertThat(parse(DataTypes.FLOAT(), "3.4028235e38")).isEqualTo(Float.MAX_VALUE);
        assertThat(parse(DataTypes.DOUBLE(), "1e-400")).isEqualTo(0.0);
    }

    @Test
    void decimalsWithHugeExponentsAreDecidedWithoutRounding() throws Exception {
        assertThatThrownBy(() -> parse(DataTypes.DECIMAL(10, 2), "1e999999999"))
                .hasMessageContaining("out of range");
        assertThat(parse(DataTypes.DECIMAL(10, 2), "1e-999999999"))
                .isEqualTo(DecimalData.fromBigDecimal(new BigDecimal("0.00"), 10, 2));
        assertThat(parse(DataTypes.DECIMAL(10, 2), "0.005"))
                .isEqualTo(DecimalData.fromBigDecimal(new BigDecimal("0.01"), 10, 2));
    }

    @Test
    void textColumnsTakeAnyValue() throws Exception {
        assertThat(parse(DataTypes.STRING(), "\"h\\u00e9\""))
                .isEqualTo(StringData.fromString("hé"));
        assertThat(parse(DataTypes.STRING(), "12.50")).isEqualTo(StringData.fromString("12.50"));
        assertThat(parse(DataTypes.STRING(), "{\"a\": [1, true]}"))
                .isEqualTo(StringData.fromString("{\"a\":[1,true]}"));
    }

    @Test
    void timesAreStringsOrEpochMillis() throws Exception {
        assertThat(parse(DataTypes.TIMESTAMP(3), "\"2024-05-01T10:00:00\""))
                .isEqualTo(TimestampData.fromEpochMillis(1714557600000L));
        assertThat(parse(DataTypes.TIMESTAMP_LTZ(3), "1714557600000"))
                .isEqualTo(TimestampData.fromEpochMillis(1714557600000L));
        assertThat(parse(DataTypes.DATE(), "\"2024-05-01\"")).isEqualTo(19844);
        assertThatThrownBy(() -> parse(DataTypes.DATE(), "19844"))
                .hasMessage("expected a JSON string, found a number");
        assertThat((byte[]) parse(DataTypes.BYTES(), "\"AAH/\"")).containsExactly(0, 1, -1);
    }

    @Test
    void nestedRowsArraysAndMaps() throws Exception {
        DataType type =
                DataTypes.ROW(
                        DataTypes.FIELD("city", DataTypes.STRING()),
                        DataTypes.FIELD("zips", DataTypes.ARRAY(DataTypes.INT())),
                        DataTypes.FIELD(
                                "attrs", DataTypes.MAP(DataTypes.STRING(), DataTypes.INT())));

        GenericRowData row =
                (GenericRowData)
                        parse(
                                type,
                                "{\"ignored\":{\"x\":[1]},\"zips\":[1,null,3],\"city\":\"Oslo\","
                                        + "\"attrs\":{\"a\":1,\"b\":null}}");

        assertThat(row.getField(0)).isEqualTo(StringData.fromString("Oslo"));
        assertThat(((GenericArrayData) row.getField(1)).toObjectArray())
                .containsExactly(1, null, 3);
        GenericMapData attrs = (GenericMapData) row.getField(2);
        assertThat(attrs.size()).isEqualTo(2);
        assertThat(attrs.get(StringData.fromString("a"))).isEqualTo(1);
        assertThat(attrs.get(StringData.fromString("b"))).isNull();
        // a missing member is NULL
        assertThat(((GenericRowData) parse(type, "{}")).getField(0)).isNull();
    }

    @Test
    void nestedErrorsNameThePath() {
        DataType type =
                DataTypes.ROW(
                        DataTypes.FIELD(
                                "address",
                                DataTypes.ROW(
                                        DataTypes.FIELD("zip", DataTypes.INT()),
                                        DataTypes.FIELD(
                                                "lines", DataTypes.ARRAY(DataTypes.INT())))),
                        DataTypes.FIELD("id", DataTypes.INT().notNull()));

        assertThatThrownBy(() -> parse(type, "{\"id\":1,\"address\":{\"zip\":1.5}}"))
                .hasMessage("in address.zip: not an integer");
        assertThatThrownBy(() -> parse(type, "{\"id\":1,\"address\":{\"lines\":[1,\"x\"]}}"))
                .hasMessageContaining("in address.lines.[1]");
        assertThatThrownBy(() -> parse(type, "{\"address\":{}}"))
                .hasMessage("member 'id' is missing or null, but NOT NULL");
    }

    @Test
    void supportedTypes() {
        assertThat(
                        RedisJsonParsers.isSupported(
                                DataTypes.MAP(DataTypes.STRING(), DataTypes.INT())
                                        .getLogicalType()))
                .isTrue();
        assertThat(
                        RedisJsonParsers.isSupported(
                                DataTypes.MAP(DataTypes.INT(), DataTypes.INT()).getLogicalType()))
                .isFalse();
        assertThat(
                        RedisJsonParsers.isSupported(
                                DataTypes.MULTISET(DataTypes.INT()).getLogicalType()))
                .isFalse();
    }
}
