package io.github.flinkredis.connector.catalog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.flinkredis.connector.convert.RedisJsonParsers;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/**
 * The column types of JSON members ({@link RedisSchemaInference}): booleans {@code BOOLEAN}, whole
 * numbers {@code INT}, {@code BIGINT} or {@code DECIMAL(38, 0)}, other numbers {@code DOUBLE},
 * strings {@code DATE} or {@code TIMESTAMP} where they all parse so, else {@code STRING}, objects
 * {@code ROW} of their members, arrays {@code ARRAY} of their elements, members of mixed kinds
 * {@code STRING} (their JSON text).
 */
@Internal
final class RedisJsonInference {

    private RedisJsonInference() {}

    /**
     * The column of a member whose values (a null for a document without it) are {@code values}.
     */
    static RedisInferredColumn column(String name, List<Object> values, int documents) {
        List<Object> present = new ArrayList<>();
        for (Object v : values) {
            if (v != null) {
                present.add(v);
            }
        }
        DataType type = jsonType(present);
        int parsed = present.size();
        DataType best = null;
        int bestParsed = 0;
        if (type.getLogicalType().getTypeRoot() == LogicalTypeRoot.VARCHAR
                && !allStrings(present)) {
            // mixed kinds: read as their JSON text; the kind most of them are
            Map<String, Integer> kinds = new LinkedHashMap<>();
            for (Object v : present) {
                kinds.merge(kind(v), 1, Integer::sum);
            }
            String top = null;
            for (Map.Entry<String, Integer> e : kinds.entrySet()) {
                if (top == null || e.getValue() > kinds.get(top)) {
                    top = e.getKey();
                }
            }
            List<Object> ofTop = new ArrayList<>();
            for (Object v : present) {
                if (kind(v).equals(top)) {
                    ofTop.add(v);
                }
            }
            best = jsonType(ofTop);
            bestParsed = ofTop.size();
        }
        return new RedisInferredColumn(
                name,
                type,
                false,
                present.size(),
                parsed,
                documents == 0 ? 0 : Math.min(1.0, (double) values.size() / documents),
                best,
                bestParsed);
    }

    private static boolean allStrings(List<Object> values) {
        for (Object v : values) {
            if (!(v instanceof String)) {
                return false;
            }
        }
        return true;
    }

    private static String kind(Object v) {
        if (v instanceof Boolean) {
            return "boolean";
        }
        if (v instanceof Long || v instanceof BigInteger) {
            return "integer";
        }
        if (v instanceof Number) {
            return "number";
        }
        if (v instanceof String) {
            return "string";
        }
        return v instanceof Map ? "object" : "array";
    }

    /** The type of JSON values (none null). */
    private static DataType jsonType(List<Object> values) {
        if (values.isEmpty()) {
            return DataTypes.STRING();
        }
        String kind = kind(values.get(0));
        for (Object v : values) {
            String k = kind(v);
            if (!k.equals(kind)) {
                if ((k.equals("integer") || k.equals("number"))
                        && (kind.equals("integer") || kind.equals("number"))) {
                    kind = "number";
                    continue;
                }
                return DataTypes.STRING();
            }
        }
        switch (kind) {
            case "boolean":
                return DataTypes.BOOLEAN();
            case "integer":
                for (Object v : values) {
                    if (v instanceof BigInteger) {
                        return DataTypes.DECIMAL(38, 0);
                    }
                    long n = (Long) v;
                    if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
                        return DataTypes.BIGINT();
                    }
                }
                return DataTypes.INT();
            case "number":
                return DataTypes.DOUBLE();
            case "string":
                {
                    List<byte[]> texts = new ArrayList<>();
                    for (Object v : values) {
                        texts.add(((String) v).getBytes(StandardCharsets.UTF_8));
                    }
                    DataType t = RedisTypeInference.of(texts).type();
                    LogicalTypeRoot root = t.getLogicalType().getTypeRoot();
                    // a JSON string reads as a date or time, not as a number
                    return root == LogicalTypeRoot.DATE
                                    || root == LogicalTypeRoot.TIMESTAMP_WITHOUT_TIME_ZONE
                                    || root == LogicalTypeRoot.TIMESTAMP_WITH_LOCAL_TIME_ZONE
                            ? t
                            : DataTypes.STRING();
                }
            case "object":
                {
                    Map<String, List<Object>> members = new LinkedHashMap<>();
                    for (Object v : values) {
                        for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                            List<Object> list =
                                    members.computeIfAbsent(
                                            (String) e.getKey(), k -> new ArrayList<>());
                            if (e.getValue() != null) {
                                list.add(e.getValue());
                            }
                        }
                    }
                    List<DataTypes.Field> fields = new ArrayList<>();
                    members.forEach((k, vs) -> fields.add(DataTypes.FIELD(k, jsonType(vs))));
                    return fields.isEmpty() ? DataTypes.STRING() : DataTypes.ROW(fields);
                }
            default:
                {
                    List<Object> elements = new ArrayList<>();
                    for (Object v : values) {
                        for (Object e : (List<?>) v) {
                            if (e != null) {
                                elements.add(e);
                            }
                        }
                    }
                    return DataTypes.ARRAY(jsonType(elements));
                }
        }
    }

    /** A JSON text as maps (member order kept), lists, strings, numbers, booleans and nulls. */
    static Object parseJson(byte[] json) throws IOException {
        try (JsonParser p = RedisJsonParsers.FACTORY.createParser(json)) {
            p.nextToken();
            return value(p);
        }
    }

    private static Object value(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT:
                {
                    Map<String, Object> members = new LinkedHashMap<>();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        p.nextToken();
                        members.put(name, value(p));
                    }
                    return members;
                }
            case START_ARRAY:
                {
                    List<Object> elements = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        elements.add(value(p));
                    }
                    return elements;
                }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? p.getBigIntegerValue()
                        : (Object) p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            default:
                return null;
        }
    }
}
