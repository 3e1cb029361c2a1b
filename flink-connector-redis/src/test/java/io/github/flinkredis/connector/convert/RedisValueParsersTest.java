package io.github.flinkredis.connector.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RedisValueParsersTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    /** The integer and floating-point types. */
    private static final List<DataType> NUMBERS =
            List.of(
                    DataTypes.TINYINT(),
                    DataTypes.SMALLINT(),
                    DataTypes.INT(),
                    DataTypes.BIGINT(),
                    DataTypes.FLOAT(),
                    DataTypes.DOUBLE());

    private static Object parse(DataType type, String value) throws Exception {
        return RedisValueParsers.create(type.getLogicalType(), BERLIN)
                .parse(value.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "TRUE", "1", "yes", "Yes", "t", "T", "y", "Y"})
    void readsTrue(String value) throws Exception {
        assertThat(parse(DataTypes.BOOLEAN(), value)).isEqualTo(true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "False", "0", "no", "NO", "f", "n"})
    void readsFalse(String value) throws Exception {
        assertThat(parse(DataTypes.BOOLEAN(), value)).isEqualTo(false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2", "maybe", " true"})
    void rejectsOtherBooleans(String value) {
        assertThatThrownBy(() -> parse(DataTypes.BOOLEAN(), value))
                .hasMessageContaining("expected true/false");
    }

    @ParameterizedTest
    @CsvSource({"TINYINT,128", "SMALLINT,32768", "INT,2147483648", "BIGINT,1.0", "INT,' 1'"})
    void rejectsIntegersOutOfRangeOrMalformed(String type, String value) {
        DataType t =
                type.equals("TINYINT")
                        ? DataTypes.TINYINT()
                        : type.equals("SMALLINT")
                                ? DataTypes.SMALLINT()
                                : type.equals("INT") ? DataTypes.INT() : DataTypes.BIGINT();
        assertThatThrownBy(() -> parse(t, value)).isInstanceOf(NumberFormatException.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "0",
                "7",
                "-7",
                "+7",
                "-0",
                "127",
                "-128",
                "32767",
                "2147483647",
                "-2147483648",
                "9007199254740993",
                "999999999999999999",
                "1000000000000000000",
                "9223372036854775807",
                "-9223372036854775808",
                "007",
                "1700000000123"
            })
    void plainIntegersReadAsTheGeneralParsersReadThem(String value) throws Exception {
        for (DataType type : NUMBERS) {
            Object expected;
            try {
                expected = general(type, value);
            } catch (NumberFormatException e) {
                assertThatThrownBy(() -> parse(type, value))
                        .as("%s %s", type, value)
                        .isInstanceOf(NumberFormatException.class);
                continue;
            }
            assertThat(parse(type, value)).as("%s %s", type, value).isEqualTo(expected);
        }
        if (!value.startsWith("+")) {
            assertThat(parse(DataTypes.TIMESTAMP_LTZ(3), value))
                    .isEqualTo(TimestampData.fromEpochMillis(Long.parseLong(value)));
        }
    }

    /** What Java's own parsers make of {@code value} for {@code type}. */
    private static Object general(DataType type, String value) {
        switch (type.getLogicalType().getTypeRoot()) {
            case TINYINT:
                return Byte.parseByte(value);
            case SMALLINT:
                return Short.parseShort(value);
            case INTEGER:
                return Integer.parseInt(value);
            case BIGINT:
                return Long.parseLong(value);
            case FLOAT:
                return (float) Double.parseDouble(value);
            default:
                return Double.parseDouble(value);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\u0664\u0662", // Arabic-Indic 42, which Java's Integer.parseInt reads as 42
                "\u0967", // Devanagari 1
                "\uff14\uff12", // fullwidth 42
                "4\u0662",
                "-\u0664",
                "+",
                "-",
                "",
                "1_000",
                "0x10"
            })
    void numbersTakeAsciiDigitsOnly(String value) {
        List<DataType> types = new ArrayList<>(NUMBERS);
        types.add(DataTypes.DECIMAL(10, 2));
        for (DataType type : types) {
            assertThatThrownBy(() -> parse(type, value))
                    .as("%s '%s'", type, value)
                    .isInstanceOf(NumberFormatException.class);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "TINYINT,-129",
        "TINYINT,+128",
        "SMALLINT,-32769",
        "INT,-2147483649",
        "INT,99999999999999999999",
        "BIGINT,9223372036854775808",
        "BIGINT,-9223372036854775809",
        "BIGINT,-92233720368547758080"
    })
    void integersOutOfRangeNameTheType(String type, String value) {
        DataType t =
                type.equals("TINYINT")
                        ? DataTypes.TINYINT()
                        : type.equals("SMALLINT")
                                ? DataTypes.SMALLINT()
                                : type.equals("INT") ? DataTypes.INT() : DataTypes.BIGINT();
        assertThatThrownBy(() -> parse(t, value))
                .isInstanceOf(NumberFormatException.class)
                .hasMessage("out of range for " + type);
    }

    @Test
    void integersAtTheirBoundsAndWithSigns() throws Exception {
        assertThat(parse(DataTypes.TINYINT(), "+127")).isEqualTo((byte) 127);
        assertThat(parse(DataTypes.TINYINT(), "-128")).isEqualTo((byte) -128);
        assertThat(parse(DataTypes.BIGINT(), "-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(parse(DataTypes.BIGINT(), "+9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(parse(DataTypes.BIGINT(), "0009223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(parse(DataTypes.INT(), "-0")).isEqualTo(0);
    }

    @ParameterizedTest
    @CsvSource({"DOUBLE,1e400", "DOUBLE,-1e309", "DOUBLE,1e99999", "FLOAT,1e39", "FLOAT,-3.5e38"})
    void numbersBeyondTheRangeOfTheTypeAreErrorsNotInfinity(String type, String value) {
        DataType t = type.equals("FLOAT") ? DataTypes.FLOAT() : DataTypes.DOUBLE();
        assertThatThrownBy(() -> parse(t, value))
                .isInstanceOf(NumberFormatException.class)
                .hasMessage("out of range for " + type);
    }

    @Test
    void numbersAtTheEdgesOfTheRange() throws Exception {
        assertThat(parse(DataTypes.DOUBLE(), "1.7976931348623157e308")).isEqualTo(Double.MAX_VALUE);
        assertThat(parse(DataTypes.FLOAT(), "3.4028235e38")).isEqualTo(Float.MAX_VALUE);
        // too small for the type: rounds to zero (as 0.1 rounds to the nearest double)
        assertThat(parse(DataTypes.DOUBLE(), "1e-400")).isEqualTo(0.0);
        assertThat(parse(DataTypes.FLOAT(), "1e-50")).isEqualTo(0.0f);
        assertThat(parse(DataTypes.FLOAT(), "-inf")).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat((Float) parse(DataTypes.FLOAT(), "nan")).isNaN();
    }

    @Test
    void readsRedisInfinitiesAndRejectsJavaSuffixes() throws Exception {
        assertThat(parse(DataTypes.DOUBLE(), "inf")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(parse(DataTypes.DOUBLE(), "-inf")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(parse(DataTypes.FLOAT(), "+inf")).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(parse(DataTypes.DOUBLE(), "1e3")).isEqualTo(1000.0);
        assertThatThrownBy(() -> parse(DataTypes.DOUBLE(), "1d"))
                .isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> parse(DataTypes.DOUBLE(), "0x1p3"))
                .isInstanceOf(NumberFormatException.class);
    }

    @Test
    void readsDecimalsRoundedToTheScaleAndRejectsOverflow() throws Exception {
        assertThat(((DecimalData) parse(DataTypes.DECIMAL(5, 2), "123.456")).toBigDecimal())
                .isEqualTo(new BigDecimal("123.46"));
        assertThatThrownBy(() -> parse(DataTypes.DECIMAL(5, 2), "1234.5"))
                .hasMessage("does not fit DECIMAL(5, 2)");
    }

    @Test
    void decimalsWithHugeExponentsAreDecidedWithoutRounding() throws Exception {
        // rounding these would compute a power of ten of a billion digits
        assertThatThrownBy(() -> parse(DataTypes.DECIMAL(10, 2), "1e999999999"))
                .hasMessage("does not fit DECIMAL(10, 2)");
        assertThatThrownBy(() -> parse(DataTypes.DECIMAL(10, 2), "-1e999999999"))
                .hasMessage("does not fit DECIMAL(10, 2)");
        assertThat(((DecimalData) parse(DataTypes.DECIMAL(10, 2), "1e-999999999")).toBigDecimal())
                .isEqualTo(new BigDecimal("0.00"));
        assertThat(((DecimalData) parse(DataTypes.DECIMAL(10, 2), "-1e-999999999")).toBigDecimal())
                .isEqualTo(new BigDecimal("0.00"));
        // at the edges the rounding decides, as before
        assertThat(((DecimalData) parse(DataTypes.DECIMAL(10, 2), "0.005")).toBigDecimal())
                .isEqualTo(new BigDecimal("0.01"));
        assertThat(((DecimalData) parse(DataTypes.DECIMAL(10, 2), "0.0049")).toBigDecimal())
                .isEqualTo(new BigDecimal("0.00"));
        assertThat(((DecimalData) parse(DataTypes.DECIMAL(10, 2), "12345678.994")).toBigDecimal())
                .isEqualTo(new BigDecimal("12345678.99"));
        assertThatThrownBy(() -> parse(DataTypes.DECIMAL(10, 2), "99999999.995"))
                .hasMessage("does not fit DECIMAL(10, 2)");
        assertThat(((DecimalData) parse(DataTypes.DECIMAL(10, 2), "1e5")).toBigDecimal())
                .isEqualTo(new BigDecimal("100000.00"));
        assertThat(((DecimalData) parse(DataTypes.DECIMAL(10, 2), "0")).toBigDecimal())
                .isEqualTo(new BigDecimal("0.00"));
    }

    @Test
    void readsTimesWithTheirPrecision() throws Exception {
        assertThat(parse(DataTypes.TIME(3), "13:45:30.123456")).isEqualTo(49_530_123);
        assertThat(parse(DataTypes.TIME(0), "13:45:30.999")).isEqualTo(49_530_000);
        assertThat(parse(DataTypes.DATE(), "1970-01-02")).isEqualTo(1);
    }

    @Test
    void readsTimestampsInEveryAcceptedForm() throws Exception {
        LocalDateTime expected = LocalDateTime.of(2024, 1, 2, 3, 4, 5, 678_000_000);
        assertThat(parse(DataTypes.TIMESTAMP(3), "2024-01-02T03:04:05.678"))
                .isEqualTo(TimestampData.fromLocalDateTime(expected));
        assertThat(parse(DataTypes.TIMESTAMP(3), "2024-01-02 03:04:05.678"))
                .isEqualTo(TimestampData.fromLocalDateTime(expected));
        assertThat(parse(DataTypes.TIMESTAMP(3), "2024-01-02T04:04:05.678+01:00"))
                .isEqualTo(TimestampData.fromLocalDateTime(expected));
        assertThat(parse(DataTypes.TIMESTAMP(0), "2024-01-02T03:04:05.678"))
                .isEqualTo(TimestampData.fromLocalDateTime(expected.withNano(0)));
        assertThat(parse(DataTypes.TIMESTAMP(3), "1704164645678"))
                .isEqualTo(TimestampData.fromEpochMillis(1_704_164_645_678L));
        assertThatThrownBy(() -> parse(DataTypes.TIMESTAMP(3), "yesterday"))
                .hasMessageContaining("ISO-8601");
    }

    @Test
    void readsLocalZonedTimestampsInTheSessionTimeZone() throws Exception {
        // 2024-01-02 04:04:05 in Berlin (UTC+1 in winter) is 03:04:05 UTC
        TimestampData utc =
                TimestampData.fromInstant(java.time.Instant.parse("2024-01-02T03:04:05Z"));
        assertThat(parse(DataTypes.TIMESTAMP_LTZ(3), "2024-01-02 04:04:05")).isEqualTo(utc);
        assertThat(parse(DataTypes.TIMESTAMP_LTZ(3), "2024-01-02T03:04:05Z")).isEqualTo(utc);
        assertThat(parse(DataTypes.TIMESTAMP_LTZ(3), "1704164645000")).isEqualTo(utc);
    }

    @Test
    void listsTheSupportedTypes() {
        assertThat(RedisValueParsers.isSupported(DataTypes.STRING().getLogicalType())).isTrue();
        assertThat(RedisValueParsers.isSupported(DataTypes.BYTES().getLogicalType())).isTrue();
        assertThat(RedisValueParsers.isSupported(DataTypes.ARRAY(DataTypes.INT()).getLogicalType()))
                .isFalse();
        assertThatThrownBy(
                        () ->
                                RedisValueParsers.create(
                                        DataTypes.MAP(DataTypes.INT(), DataTypes.INT())
                                                .getLogicalType(),
                                        BERLIN))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
