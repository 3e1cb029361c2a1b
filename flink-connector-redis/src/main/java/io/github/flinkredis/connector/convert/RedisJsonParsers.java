package io.github.flinkredis.connector.convert;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.Serializable;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;

/**
 * Reads JSON values (the members of a RedisJSON document) as Flink column types, with Jackson's
 * streaming parser: one pass over the bytes, no tree per document.
 *
 * <ul>
 *   <li>JSON numbers, booleans and null map natively: an integer column reads integral numbers in
 *       range (1.5 is an error), FLOAT/DOUBLE any number within the type's range, DECIMAL(p, s) any
 *       number rounded half-up to scale s that fits precision p, BOOLEAN true and false;
 *   <li>a JSON string is read with the rules of hash fields ({@link RedisValueParsers}): ISO-8601
 *       dates and times, "42" for an INT, and so on; BINARY/VARBINARY/BYTES read a base64 string;
 *   <li>CHAR/VARCHAR/STRING read a string as its text, any other value as its JSON text;
 *   <li>ROW reads an object by member name (members the row does not name are skipped, missing ones
 *       are NULL), ARRAY an array, MAP (with CHAR/VARCHAR keys) an object.
 * </ul>
 *
 * <p>Errors name what was expected and what was found, and the member path inside the value.
 */
@Internal
public final class RedisJsonParsers {

    /**
     * The factory of every parser of RedisJSON replies: without Jackson's default 20 MB limit on a
     * string, as Redis allows values up to 512 MB.
     */
    public static final JsonFactory FACTORY =
            JsonFactory.builder()
                    .streamReadConstraints(
                            StreamReadConstraints.builder()
                                    .maxStringLength(Integer.MAX_VALUE)
                                    .build())
                    .build();

    private RedisJsonParsers() {}

    /** Whether a column of this type can be read from JSON. */
    public static boolean isSupported(LogicalType type) {
        switch (type.getTypeRoot()) {
            case ROW:
                return type.getChildren().stream().allMatch(RedisJsonParsers::isSupported);
            case ARRAY:
                return isSupported(((ArrayType) type).getElementType());
            case MAP:
                LogicalTypeRoot key = ((MapType) type).getKeyType().getTypeRoot();
                return (key == LogicalTypeRoot.VARCHAR || key == LogicalTypeRoot.CHAR)
                        && isSupported(((MapType) type).getValueType());
            default:
                return RedisValueParsers.isSupported(type);
        }
    }

    /**
     * A parser of one JSON value (the bytes of its text, not JSON {@code null}) as {@code type}.
     *
     * @param zone the session time zone, for local date-times read as TIMESTAMP_LTZ
     */
    public static RedisValueParser create(LogicalType type, ZoneId zone) {
        Reader reader = reader(type, zone);
        return bytes -> {
            try (JsonParser parser = FACTORY.createParser(bytes)) {
                JsonToken token = parser.nextToken();
                if (token == null) {
                    throw new IllegalArgumentException("no JSON value");
                }
                if (token == JsonToken.VALUE_NULL) {
                    throw new IllegalArgumentException("JSON null");
                }
                return reader.read(parser);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
            }
        };
    }

    /** Reads one value; the parser is on its first token before, on its last token after. */
    @FunctionalInterface
    private interface Reader extends Serializable {
        Object read(JsonParser parser) throws Exception;
    }

    private static Reader reader(LogicalType type, ZoneId zone) {
        switch (type.getTypeRoot()) {
            case CHAR:
            case VARCHAR:
                return RedisJsonParsers::text;
            case BOOLEAN:
                return bool(type, zone);
            case TINYINT:
            case SMALLINT:
            case INTEGER:
            case BIGINT:
                return integer(type, zone);
            case FLOAT:
            case DOUBLE:
                return floating(type, zone);
            case DECIMAL:
                return decimal((DecimalType) type, zone);
            case DATE:
            case TIME_WITHOUT_TIME_ZONE:
                {
                    RedisValueParser fromString = RedisValueParsers.create(type, zone);
                    return p -> fromString(p, fromString, "a JSON string");
                }
            case TIMESTAMP_WITHOUT_TIME_ZONE:
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return timestamp(type, zone);
            case BINARY:
            case VARBINARY:
                return RedisJsonParsers::base64;
            case ROW:
                return row((RowType) type, zone);
            case ARRAY:
                return array((ArrayType) type, zone);
            case MAP:
                return map((MapType) type, zone);
            default:
                throw new IllegalArgumentException("Cannot read JSON as " + type);
        }
    }

    /** BOOLEAN: a JSON boolean, or a string read as in hashes. */
    private static Reader bool(LogicalType type, ZoneId zone) {
        RedisValueParser fromString = RedisValueParsers.create(type, zone);
        return p -> {
            if (p.currentToken() == JsonToken.VALUE_TRUE) {
                return true;
            } else if (p.currentToken() == JsonToken.VALUE_FALSE) {
                return false;
            }
            return fromString(p, fromString, "a JSON boolean");
        };
    }

    /** FLOAT, DOUBLE: a JSON number in the type's range, or a string read as in hashes. */
    private static Reader floating(LogicalType type, ZoneId zone) {
        boolean isFloat = type.getTypeRoot() == LogicalTypeRoot.FLOAT;
        RedisValueParser fromString = RedisValueParsers.create(type, zone);
        return p -> {
            if (p.currentToken().isNumeric()) {
                // JSON has no infinities: one read here is a number out of range
                if (isFloat) {
                    float f = p.getFloatValue();
                    if (Float.isInfinite(f)) {
                        throw new IllegalArgumentException("out of range for FLOAT");
                    }
                    return f;
                }
                double d = p.getDoubleValue();
                if (Double.isInfinite(d)) {
                    throw new IllegalArgumentException("out of range for DOUBLE");
                }
                return d;
            }
            return fromString(p, fromString, "a JSON number");
        };
    }

    /** DECIMAL(p, s): a JSON number that fits, or a string read as in hashes. */
    private static Reader decimal(DecimalType decimal, ZoneId zone) {
        RedisValueParser fromString = RedisValueParsers.create(decimal, zone);
        return p -> {
            if (p.currentToken().isNumeric()) {
                DecimalData d =
                        RedisValueParsers.toDecimal(
                                p.getDecimalValue(), decimal.getPrecision(), decimal.getScale());
                if (d == null) {
                    throw new IllegalArgumentException(
                            "out of range for " + decimal.asSummaryString());
                }
                return d;
            }
            return fromString(p, fromString, "a JSON number");
        };
    }

    /** TIMESTAMP(p), TIMESTAMP_LTZ(p): epoch milliseconds (a JSON integer) or a string. */
    private static Reader timestamp(LogicalType type, ZoneId zone) {
        RedisValueParser fromString = RedisValueParsers.create(type, zone);
        return p -> {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                // epoch milliseconds, as in hashes
                return fromString.parse(p.getText().getBytes(StandardCharsets.UTF_8));
            }
            return fromString(p, fromString, "a JSON string or epoch milliseconds");
        };
    }

    /** BINARY, VARBINARY: a base64 JSON string. */
    private static Object base64(JsonParser p) throws Exception {
        expect(p, JsonToken.VALUE_STRING, "a base64 JSON string");
        try {
            return Base64.getDecoder().decode(p.getText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not base64: " + e.getMessage());
        }
    }

    private static Reader integer(LogicalType type, ZoneId zone) {
        long min;
        long max;
        switch (type.getTypeRoot()) {
            case TINYINT:
                min = Byte.MIN_VALUE;
                max = Byte.MAX_VALUE;
                break;
            case SMALLINT:
                min = Short.MIN_VALUE;
                max = Short.MAX_VALUE;
                break;
            case INTEGER:
                min = Integer.MIN_VALUE;
                max = Integer.MAX_VALUE;
                break;
            default:
                min = Long.MIN_VALUE;
                max = Long.MAX_VALUE;
        }
        LogicalTypeRoot root = type.getTypeRoot();
        RedisValueParser fromString = RedisValueParsers.create(type, zone);
        long lo = min;
        long hi = max;
        return p -> {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NUMBER_FLOAT) {
                throw new IllegalArgumentException("not an integer");
            }
            if (t != JsonToken.VALUE_NUMBER_INT) {
                return fromString(p, fromString, "a JSON integer");
            }
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw new IllegalArgumentException("out of range");
            }
            long v = p.getLongValue();
            if (v < lo || v > hi) {
                throw new IllegalArgumentException("out of range");
            }
            switch (root) {
                case TINYINT:
                    return (byte) v;
                case SMALLINT:
                    return (short) v;
                case INTEGER:
                    return (int) v;
                default:
                    return v;
            }
        };
    }

    /** A JSON string read with the hash rules; anything else is an error. */
    private static Object fromString(JsonParser p, RedisValueParser parser, String expected)
            throws Exception {
        expect(p, JsonToken.VALUE_STRING, expected);
        return parser.parse(p.getText().getBytes(StandardCharsets.UTF_8));
    }

    private static void expect(JsonParser p, JsonToken token, String expected) {
        if (p.currentToken() != token) {
            throw new IllegalArgumentException(
                    "expected " + expected + ", found " + describe(p.currentToken()));
        }
    }

    private static String describe(JsonToken t) {
        switch (t) {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            default:
                return t.toString();
        }
    }

    /** A string's text; any other value's JSON text. */
    private static Object text(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING || t.isScalarValue()) {
            return StringData.fromString(p.getText());
        }
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.copyCurrentStructure(p);
        }
        return StringData.fromString(out.toString());
    }

    private static Reader row(RowType type, ZoneId zone) {
        int n = type.getFieldCount();
        Map<String, Integer> index = new HashMap<>();
        Reader[] readers = new Reader[n];
        boolean[] notNull = new boolean[n];
        for (int i = 0; i < n; i++) {
            index.put(type.getFieldNames().get(i), i);
            readers[i] = reader(type.getTypeAt(i), zone);
            notNull[i] = !type.getTypeAt(i).isNullable();
        }
        List<String> names = type.getFieldNames();
        return p -> {
            expect(p, JsonToken.START_OBJECT, "a JSON object");
            Object[] values = new Object[n];
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                Integer i = index.get(p.currentName());
                JsonToken t = p.nextToken();
                if (i == null) {
                    p.skipChildren();
                } else if (t != JsonToken.VALUE_NULL) {
                    values[i] = nested(names.get(i), readers[i], p);
                }
            }
            for (int i = 0; i < n; i++) {
                if (values[i] == null && notNull[i]) {
                    throw new IllegalArgumentException(
                            "member '" + names.get(i) + "' is missing or null, but NOT NULL");
                }
            }
            return GenericRowData.of(values);
        };
    }

    private static Reader array(ArrayType type, ZoneId zone) {
        Reader element = reader(type.getElementType(), zone);
        boolean notNull = !type.getElementType().isNullable();
        return p -> {
            expect(p, JsonToken.START_ARRAY, "a JSON array");
            List<Object> values = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken() == JsonToken.VALUE_NULL) {
                    if (notNull) {
                        throw new IllegalArgumentException(
                                "element " + values.size() + " is null, but NOT NULL");
                    }
                    values.add(null);
                } else {
                    values.add(nested("[" + values.size() + "]", element, p));
                }
            }
            return new GenericArrayData(values.toArray());
        };
    }

    private static Reader map(MapType type, ZoneId zone) {
        Reader value = reader(type.getValueType(), zone);
        return p -> {
            expect(p, JsonToken.START_OBJECT, "a JSON object");
            Map<Object, Object> values = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken t = p.nextToken();
                values.put(
                        StringData.fromString(key),
                        t == JsonToken.VALUE_NULL ? null : nested(key, value, p));
            }
            return new GenericMapData(values);
        };
    }

    /** Reads a nested value, naming where it is in an error. */
    private static Object nested(String where, Reader reader, JsonParser p) throws Exception {
        try {
            return reader.read(p);
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            String sep = m != null && m.startsWith("in ") ? "." : ": ";
            throw new IllegalArgumentException(
                    "in " + where + (sep.equals(".") ? "." + m.substring(3) : sep + m), e);
        }
    }
}
