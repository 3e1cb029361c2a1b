package io.github.flinkredis.connector.convert;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.TimeType;
import org.apache.flink.table.types.logical.TimestampType;

/**
 * The one rule set for reading Redis strings as Flink column types. Every parser is strict: it
 * accepts exactly the documented forms and reports anything else as an error.
 *
 * <ul>
 *   <li>CHAR, VARCHAR, STRING: the bytes as UTF-8;
 *   <li>BOOLEAN: true/false, 1/0, yes/no, t/f, y/n, in any case;
 *   <li>TINYINT, SMALLINT, INT, BIGINT: decimal integers (ASCII digits) in range;
 *   <li>FLOAT, DOUBLE: decimal or scientific notation within the type's range, also inf, +inf, -inf
 *       and nan as Redis writes them;
 *   <li>DECIMAL(p, s): a decimal number, rounded half-up to scale s, that fits precision p;
 *   <li>DATE: ISO-8601 {@code yyyy-MM-dd};
 *   <li>TIME(p): ISO-8601 {@code HH:mm[:ss[.fff]]};
 *   <li>TIMESTAMP(p): ISO-8601 {@code yyyy-MM-dd'T'HH:mm[:ss[.f...]]} (or with a space for T), an
 *       ISO-8601 instant with offset (converted to UTC), or epoch milliseconds;
 *   <li>TIMESTAMP_LTZ(p): an ISO-8601 instant with offset or Z, epoch milliseconds, or a local
 *       date-time read in the session time zone ({@code table.local-time-zone});
 *   <li>BINARY, VARBINARY, BYTES: the raw bytes.
 * </ul>
 */
@Internal
public final class RedisValueParsers {

    /** The column types a hash field can be read as. */
    public static final Set<LogicalTypeRoot> SUPPORTED =
            EnumSet.of(
                    LogicalTypeRoot.CHAR,
                    LogicalTypeRoot.VARCHAR,
                    LogicalTypeRoot.BOOLEAN,
                    LogicalTypeRoot.TINYINT,
                    LogicalTypeRoot.SMALLINT,
                    LogicalTypeRoot.INTEGER,
                    LogicalTypeRoot.BIGINT,
                    LogicalTypeRoot.FLOAT,
                    LogicalTypeRoot.DOUBLE,
                    LogicalTypeRoot.DECIMAL,
                    LogicalTypeRoot.DATE,
                    LogicalTypeRoot.TIME_WITHOUT_TIME_ZONE,
                    LogicalTypeRoot.TIMESTAMP_WITHOUT_TIME_ZONE,
                    LogicalTypeRoot.TIMESTAMP_WITH_LOCAL_TIME_ZONE,
                    LogicalTypeRoot.BINARY,
                    LogicalTypeRoot.VARBINARY);

    private static final DateTimeFormatter LOCAL_DATE_TIME =
            new DateTimeFormatterBuilder()
                    .parseCaseInsensitive()
                    .append(DateTimeFormatter.ISO_LOCAL_DATE)
                    .optionalStart()
                    .appendLiteral('T')
                    .optionalEnd()
                    .optionalStart()
                    .appendLiteral(' ')
                    .optionalEnd()
                    .append(DateTimeFormatter.ISO_LOCAL_TIME)
                    .toFormatter(Locale.ROOT);

    private RedisValueParsers() {}

    /** Whether a column of this type can be read from a Redis string. */
    public static boolean isSupported(LogicalType type) {
        return SUPPORTED.contains(type.getTypeRoot());
    }

    /**
     * The parser for a column type.
     *
     * @param localTimeZone the session time zone, for TIMESTAMP_LTZ values without offset
     * @throws IllegalArgumentException for a type outside {@link #SUPPORTED}
     */
    public static RedisValueParser create(LogicalType type, ZoneId localTimeZone) {
        switch (type.getTypeRoot()) {
            case CHAR:
            case VARCHAR:
                return StringData::fromBytes;
            case BOOLEAN:
                return RedisValueParsers::parseBoolean;
            case TINYINT:
            case SMALLINT:
            case INTEGER:
            case BIGINT:
                return integerParser(type);
            case FLOAT:
            case DOUBLE:
            case DECIMAL:
                return fractionalParser(type);
            case DATE:
            case TIME_WITHOUT_TIME_ZONE:
            case TIMESTAMP_WITHOUT_TIME_ZONE:
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return temporalParser(type, localTimeZone);
            case BINARY:
            case VARBINARY:
                return v -> v;
            default:
                throw new IllegalArgumentException("Unsupported column type " + type);
        }
    }

    /**
     * TINYINT, SMALLINT, INT, BIGINT: plain decimal digits on the fast path, else {@link
     * #parseInteger} (which fails for a value out of the type's range).
     */
    private static RedisValueParser integerParser(LogicalType type) {
        switch (type.getTypeRoot()) {
            case TINYINT:
                return v -> {
                    long l = plainLong(v);
                    return l != NOT_PLAIN && l == (byte) l
                            ? (byte) l
                            : (byte) parseInteger(v, Byte.MIN_VALUE, Byte.MAX_VALUE, "TINYINT");
                };
            case SMALLINT:
                return v -> {
                    long l = plainLong(v);
                    return l != NOT_PLAIN && l == (short) l
                            ? (short) l
                            : (short) parseInteger(v, Short.MIN_VALUE, Short.MAX_VALUE, "SMALLINT");
                };
            case INTEGER:
                return v -> {
                    long l = plainLong(v);
                    return l != NOT_PLAIN && l == (int) l
                            ? (int) l
                            : (int) parseInteger(v, Integer.MIN_VALUE, Integer.MAX_VALUE, "INT");
                };
            case BIGINT:
                return v -> {
                    long l = plainLong(v);
                    return l != NOT_PLAIN
                            ? l
                            : parseInteger(v, Long.MIN_VALUE, Long.MAX_VALUE, "BIGINT");
                };
            default:
                throw new IllegalArgumentException("Not an integer type: " + type);
        }
    }

    /** FLOAT, DOUBLE (plain digits exactly representable on the fast path), DECIMAL(p, s). */
    private static RedisValueParser fractionalParser(LogicalType type) {
        switch (type.getTypeRoot()) {
            case FLOAT:
                return v -> {
                    long l = plainLong(v);
                    return l != NOT_PLAIN && Math.abs(l) < (1 << 24)
                            ? (float) l
                            : parseFloat(ascii(v));
                };
            case DOUBLE:
                return v -> {
                    long l = plainLong(v);
                    return l != NOT_PLAIN && Math.abs(l) < (1L << 53)
                            ? (double) l
                            : parseDouble(ascii(v));
                };
            case DECIMAL:
                {
                    DecimalType d = (DecimalType) type;
                    int precision = d.getPrecision();
                    int scale = d.getScale();
                    return v -> {
                        DecimalData data = toDecimal(parseDecimal(ascii(v)), precision, scale);
                        if (data == null) {
                            throw new IllegalArgumentException(
                                    "does not fit DECIMAL(" + precision + ", " + scale + ")");
                        }
                        return data;
                    };
                }
            default:
                throw new IllegalArgumentException("Not a fractional type: " + type);
        }
    }

    /**
     * DATE, TIME(p) (ISO-8601 text), TIMESTAMP(p) and TIMESTAMP_LTZ(p) (epoch milliseconds or
     * ISO-8601 text; without an offset, TIMESTAMP_LTZ text is in {@code localTimeZone}).
     */
    private static RedisValueParser temporalParser(LogicalType type, ZoneId localTimeZone) {
        switch (type.getTypeRoot()) {
            case DATE:
                return v -> (int) LocalDate.parse(ascii(v)).toEpochDay();
            case TIME_WITHOUT_TIME_ZONE:
                {
                    int precision = ((TimeType) type).getPrecision();
                    return v ->
                            (int)
                                    (truncate(LocalTime.parse(ascii(v)).toNanoOfDay(), precision)
                                            / 1_000_000L);
                }
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                {
                    int precision = ((TimestampType) type).getPrecision();
                    return v -> {
                        long millis = plainLong(v);
                        return millis != NOT_PLAIN
                                ? TimestampData.fromEpochMillis(millis)
                                : parseTimestamp(ascii(v), precision, ZoneOffset.UTC, false);
                    };
                }
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                {
                    int precision = ((LocalZonedTimestampType) type).getPrecision();
                    return v -> {
                        long millis = plainLong(v);
                        return millis != NOT_PLAIN
                                ? TimestampData.fromEpochMillis(millis)
                                : parseTimestamp(ascii(v), precision, localTimeZone, true);
                    };
                }
            default:
                throw new IllegalArgumentException("Not a date or time type: " + type);
        }
    }

    /** {@link #plainLong}'s answer for a value that is not a plain decimal integer. */
    private static final long NOT_PLAIN = Long.MIN_VALUE;

    /**
     * The value of {@code v} if it is a plain decimal integer, an optional {@code -} then 1 to 18
     * ASCII digits (not {@code -0}); else {@link #NOT_PLAIN}, and the caller parses the text the
     * general way (which also names what is wrong). A fast path without a String per value.
     */
    static long plainLong(byte[] v) {
        int n = v.length;
        int i = n > 0 && v[0] == '-' ? 1 : 0;
        if (n == i || n - i > 18) {
            return NOT_PLAIN;
        }
        long r = 0;
        for (; i < n; i++) {
            int d = v[i] - '0';
            if (d < 0 || d > 9) {
                return NOT_PLAIN;
            }
            r = r * 10 + d;
        }
        if (v[0] == '-') {
            return r == 0 ? NOT_PLAIN : -r;
        }
        return r;
    }

    private static String ascii(byte[] v) {
        return new String(v, StandardCharsets.UTF_8);
    }

    private static Boolean parseBoolean(byte[] v) {
        switch (ascii(v).toLowerCase(Locale.ROOT)) {
            case "true":
            case "1":
            case "yes":
            case "t":
            case "y":
                return Boolean.TRUE;
            case "false":
            case "0":
            case "no":
            case "f":
            case "n":
                return Boolean.FALSE;
            default:
                throw new IllegalArgumentException("expected true/false, 1/0, yes/no, t/f or y/n");
        }
    }

    /**
     * A decimal integer: an optional {@code +} or {@code -}, then ASCII digits {@code 0}-{@code 9}
     * only (Java's own parsers also take the digits of other scripts, such as {@code ٤٢}).
     *
     * @param type the column type named in the error
     * @throws NumberFormatException if the text is not such an integer or is outside [min, max]
     */
    static long parseInteger(byte[] v, long min, long max, String type) {
        int n = v.length;
        int i = n > 0 && (v[0] == '-' || v[0] == '+') ? 1 : 0;
        if (n == i) {
            throw new NumberFormatException("not a decimal integer");
        }
        boolean negative = v[0] == '-';
        // accumulated negatively: Long.MIN_VALUE has no positive counterpart
        long limit = negative ? min : -max;
        long multiplyMin = limit / 10;
        long r = 0;
        for (; i < n; i++) {
            int d = v[i] - '0';
            if (d < 0 || d > 9) {
                throw new NumberFormatException("not a decimal integer");
            }
            if (r < multiplyMin || r * 10 < limit + d) {
                throw new NumberFormatException("out of range for " + type);
            }
            r = r * 10 - d;
        }
        return negative ? r : -r;
    }

    /**
     * A double as Redis writes one: decimal text, or {@code inf}, {@code +inf}, {@code -inf},
     * {@code infinity} and {@code nan} in any case; not Java's type suffixes, hex floats or blanks.
     * A decimal number beyond the range of a double ({@code 1e400}) is an error, not infinity; one
     * too small for a double rounds to zero.
     *
     * @throws NumberFormatException if the text is not such a number
     */
    public static double parseDouble(String s) {
        Double special = special(s);
        if (special != null) {
            return special;
        }
        checkDecimalCharacters(s);
        double d = Double.parseDouble(s);
        if (Double.isInfinite(d)) {
            throw new NumberFormatException("out of range for DOUBLE");
        }
        return d;
    }

    /**
     * A float, by the rules of {@link #parseDouble}: beyond the range of a float ({@code 1e39}) is
     * an error.
     *
     * @throws NumberFormatException if the text is not such a number
     */
    static float parseFloat(String s) {
        Double special = special(s);
        if (special != null) {
            return special.floatValue();
        }
        checkDecimalCharacters(s);
        float f = Float.parseFloat(s);
        if (Float.isInfinite(f)) {
            throw new NumberFormatException("out of range for FLOAT");
        }
        return f;
    }

    /** Redis's spellings of infinities and NaN, in any case; null for any other text. */
    private static Double special(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "inf":
            case "+inf":
            case "infinity":
            case "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf":
            case "-infinity":
                return Double.NEGATIVE_INFINITY;
            case "nan":
            case "-nan":
                return Double.NaN;
            default:
                return null;
        }
    }

    /**
     * Refuses what Java's parsers accept beyond decimal notation: type suffixes ({@code 1d}), hex
     * floats, blanks, and the digits of scripts other than ASCII.
     */
    private static void checkDecimalCharacters(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9'
                    || c == '.'
                    || c == '-'
                    || c == '+'
                    || c == 'e'
                    || c == 'E')) {
                throw new NumberFormatException("not a decimal number");
            }
        }
    }

    /**
     * {@code v} rounded half-up to {@code scale}, or null where it does not fit {@code precision}.
     * A value with more integer digits than the type allows, or one below half of its last digit,
     * is decided without rounding: the rounding of {@code 1e999999999} or {@code 1e-999999999}
     * would compute a power of ten of a billion digits.
     */
    public static DecimalData toDecimal(BigDecimal v, int precision, int scale) {
        if (v.signum() != 0) {
            // the digits before the decimal point (negative: zeros after it before the first)
            long integerDigits = (long) v.precision() - v.scale();
            if (integerDigits > precision - scale) {
                return null;
            }
            if (integerDigits < -scale) {
                // |v| < 10^-(scale + 1), less than half of the last digit: rounds to zero
                return DecimalData.zero(precision, scale);
            }
        }
        return DecimalData.fromBigDecimal(v, precision, scale);
    }

    /** A decimal number in ASCII characters ({@link BigDecimal} alone also takes other digits). */
    private static BigDecimal parseDecimal(String s) {
        checkDecimalCharacters(s);
        return new BigDecimal(s);
    }

    private static boolean isEpochMillis(String s) {
        int start = s.startsWith("-") ? 1 : 0;
        if (s.length() == start) {
            return false;
        }
        for (int i = start; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static TimestampData parseTimestamp(
            String s, int precision, ZoneId zone, boolean instantSemantics) {
        if (isEpochMillis(s)) {
            return TimestampData.fromEpochMillis(Long.parseLong(s));
        }
        Instant instant;
        LocalDateTime local = null;
        try {
            local = LocalDateTime.parse(s, LOCAL_DATE_TIME);
            instant = null;
        } catch (DateTimeParseException e) {
            try {
                instant = OffsetDateTime.parse(s.replace(' ', 'T')).toInstant();
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException(
                        "expected ISO-8601 date-time (yyyy-MM-ddTHH:mm:ss[.fff][offset]) or"
                                + " epoch milliseconds");
            }
        }
        if (local != null) {
            local = local.withNano((int) truncate(local.getNano(), precision));
            if (!instantSemantics) {
                return TimestampData.fromLocalDateTime(local);
            }
            instant = local.atZone(zone).toInstant();
        }
        instant = instant.with(ChronoField.NANO_OF_SECOND, truncate(instant.getNano(), precision));
        return instantSemantics
                ? TimestampData.fromInstant(instant)
                : TimestampData.fromLocalDateTime(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    /** Drops the sub-second digits beyond {@code precision} (0 to 9) from a nano value. */
    private static long truncate(long nanos, int precision) {
        long unit = 1;
        for (int i = precision; i < 9; i++) {
            unit *= 10;
        }
        return nanos - Math.floorMod(nanos, unit);
    }
}
