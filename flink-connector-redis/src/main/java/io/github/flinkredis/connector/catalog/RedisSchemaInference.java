package io.github.flinkredis.connector.catalog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.flinkredis.connector.client.RedisPipeline;
import io.github.flinkredis.connector.client.RedisRetryPolicy;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.convert.RedisJsonParsers;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.model.RedisText;
import io.github.flinkredis.connector.types.RedisTypes;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
import io.lettuce.core.KeyScanArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.annotation.Nullable;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/**
 * Infers a table from a sample of keys: hash fields ({@code HGETALL}) and JSON members ({@code
 * JSON.GET key $}) by name, each typed by the narrowest type that reads every sampled value (see
 * {@link #typeOf}), in the order of their names; a string's value ({@code GET}); the fixed columns
 * of sets ({@code member}), lists ({@code element}, {@code index}) and sorted sets ({@code member},
 * {@code score}, {@code rank}). The key's part after the prefix is the PRIMARY KEY column {@code
 * id} (or {@code key_id} where a field is named {@code id}), typed the same way. A column seen in
 * only some keys is nullable, and each column says how sure the inference is ({@link
 * RedisInferredColumn}).
 *
 * <p>Values are typed by the connector's own parsers, so a table of the inferred schema reads every
 * sampled value. JSON: booleans {@code BOOLEAN}, whole numbers {@code INT} or {@code BIGINT}, other
 * numbers {@code DOUBLE}, strings {@code DATE}/{@code TIMESTAMP} where they all parse so, else
 * {@code STRING}, objects {@code ROW}, arrays {@code ARRAY}; members of mixed kinds {@code STRING}
 * (their JSON text).
 */
@PublicEvolving
public final class RedisSchemaInference {

    /** The name of the PRIMARY KEY column parsed from the key. */
    public static final String KEY_COLUMN = "id";

    private static final int SCAN_COUNT = 1000;

    private RedisSchemaInference() {}

    /**
     * Infers the table of the keys of {@code dataType} that start with {@code keyPrefix}, from the
     * first {@code sampleKeys} of them that {@code SCAN MATCH <prefix>* TYPE <type>} finds (at most
     * {@code 100 * sampleKeys} keys scanned).
     *
     * @throws IOException if Redis cannot be read
     */
    public static RedisInferredTable infer(
            RedisConnectionConfig config, RedisDataType dataType, String keyPrefix, int sampleKeys)
            throws IOException {
        try (RedisPipeline redis =
                RedisPipeline.immediate(
                        config, RedisRetryPolicy.maxRetries(0, "none"), "schema inference")) {
            return inferFromKeys(
                    redis,
                    dataType,
                    keyPrefix,
                    null,
                    sampleKeys(redis, dataType, keyPrefix, sampleKeys));
        }
    }

    /**
     * The first {@code sampleKeys} keys of {@code dataType} under {@code keyPrefix} that {@code
     * SCAN MATCH <prefix>* TYPE <type> COUNT 1000} finds, scanning at most {@code 100 * sampleKeys}
     * keys.
     */
    static List<byte[]> sampleKeys(
            RedisPipeline redis, RedisDataType dataType, String keyPrefix, int sampleKeys)
            throws IOException {
        List<byte[]> keys = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        long scanned = 0;
        KeyScanArgs args =
                new KeyScanArgs()
                        .match(RedisInferredTable.escapeGlob(keyPrefix) + "*")
                        .type(dataType.scanType())
                        .limit(SCAN_COUNT);
        do {
            KeyScanCursor<byte[]> page = await(redis, redis.commands().scan(cursor, args), "SCAN");
            for (byte[] key : page.getKeys()) {
                if (keys.size() < sampleKeys) {
                    keys.add(key);
                }
            }
            scanned += SCAN_COUNT;
            cursor = page;
        } while (!cursor.isFinished() && keys.size() < sampleKeys && scanned < 100L * sampleKeys);
        return keys;
    }

    /**
     * The table of {@code keys} (all of {@code dataType}): under {@code keyPrefix}, or the one
     * literal key {@code literalKey} (then {@code keyPrefix} is null).
     */
    static RedisInferredTable inferFromKeys(
            RedisPipeline redis,
            RedisDataType dataType,
            @Nullable String keyPrefix,
            @Nullable String literalKey,
            List<byte[]> keys)
            throws IOException {
        Sampled sampled = sampleValues(redis, dataType, keys);
        Map<String, List<Object>> values = sampled.values();
        int withValue = sampled.withValue();
        List<RedisInferredColumn> columns = new ArrayList<>();
        String keyColumn = values.containsKey(KEY_COLUMN) ? "key_" + KEY_COLUMN : KEY_COLUMN;
        if (dataType == RedisDataType.STREAM) {
            // no PRIMARY KEY: a stream holds many entries; the key, ID and time as metadata
            columns.add(
                    RedisInferredColumn.metadata(
                            "stream_key", DataTypes.STRING(), "key", "the stream's key"));
            columns.add(
                    RedisInferredColumn.metadata(
                            "entry_id", DataTypes.STRING(), "id", "the entry's ID"));
            columns.add(
                    RedisInferredColumn.metadata(
                            "entry_time",
                            DataTypes.TIMESTAMP_LTZ(3),
                            "timestamp",
                            "the time in the entry's ID"));
        } else if (keyPrefix != null) {
            List<byte[]> parts = new ArrayList<>();
            byte[] prefix = keyPrefix.getBytes(StandardCharsets.UTF_8);
            for (byte[] key : keys) {
                parts.add(java.util.Arrays.copyOfRange(key, prefix.length, key.length));
            }
            columns.add(column(keyColumn, parts, true, keys.size(), keys.size()));
        }
        // fields and members by name: the same schema whichever keys the sample holds
        for (Map.Entry<String, List<Object>> e : new java.util.TreeMap<>(values).entrySet()) {
            columns.add(
                    dataType == RedisDataType.JSON
                            ? jsonColumn(e.getKey(), e.getValue(), withValue)
                            : column(
                                    e.getKey(),
                                    bytes(e.getValue()),
                                    false,
                                    withValue,
                                    keys.size()));
        }
        RedisTypeHandler handler = RedisTypes.of(dataType);
        if (dataType == RedisDataType.SET
                || dataType == RedisDataType.LIST
                || dataType == RedisDataType.ZSET) {
            for (String part : handler.recordParts()) {
                boolean identifying = part.equals(handler.identifyingPart());
                columns.add(
                        RedisInferredColumn.described(
                                part,
                                fixedType(part),
                                identifying && keyPrefix != null,
                                String.format(
                                        "one row per %s %s: its %s",
                                        dataType,
                                        dataType == RedisDataType.LIST ? "element" : "member",
                                        part)));
            }
        }
        return new RedisInferredTable(dataType, keyPrefix, literalKey, columns, keys.size());
    }

    /** The values of sampled keys, by field (or member), and how many keys had any. */
    private record Sampled(Map<String, List<Object>> values, int withValue) {}

    /**
     * The values of {@code keys}, pipelined: {@code HGETALL}, {@code JSON.GET key $} or {@code
     * GET}; none for the other data types.
     */
    private static Sampled sampleValues(
            RedisPipeline redis, RedisDataType dataType, List<byte[]> keys) throws IOException {
        Map<String, List<Object>> values = new LinkedHashMap<>();
        int withValue;
        switch (dataType) {
            case HASH:
                withValue = hashValues(redis, keys, values);
                break;
            case JSON:
                withValue = jsonValues(redis, keys, values);
                break;
            case STRING:
                withValue = stringValues(redis, keys, values);
                break;
            case STREAM:
                withValue = streamValues(redis, keys, values);
                break;
            default:
                withValue = keys.size();
                break;
        }
        return new Sampled(values, withValue);
    }

    /** {@code HGETALL} of each key: the values by field; the keys that have any. */
    private static int hashValues(
            RedisPipeline redis, List<byte[]> keys, Map<String, List<Object>> values)
            throws IOException {
        List<RedisFuture<Map<byte[], byte[]>>> replies = new ArrayList<>();
        for (byte[] key : keys) {
            replies.add(redis.commands().hgetall(key));
        }
        redis.flush();
        int withValue = 0;
        for (RedisFuture<Map<byte[], byte[]>> reply : replies) {
            Map<byte[], byte[]> hash = await(redis, reply, "HGETALL");
            withValue += hash.isEmpty() ? 0 : 1;
            addFields(values, hash);
        }
        return withValue;
    }

    /** {@code JSON.GET key $} of each key: the values by top-level member; the documents. */
    private static int jsonValues(
            RedisPipeline redis, List<byte[]> keys, Map<String, List<Object>> values)
            throws IOException {
        List<RedisFuture<byte[]>> replies = new ArrayList<>();
        for (byte[] key : keys) {
            replies.add(jsonGet(redis.commands(), key));
        }
        redis.flush();
        int withValue = 0;
        for (RedisFuture<byte[]> reply : replies) {
            byte[] json = await(redis, reply, "JSON.GET");
            Object doc = json == null ? null : parseJson(json);
            if (doc instanceof List<?> l && !l.isEmpty()) {
                doc = l.get(0); // JSON.GET key $ answers [document]
            }
            if (doc instanceof Map<?, ?> members) {
                withValue++;
                for (Map.Entry<?, ?> e : members.entrySet()) {
                    values.computeIfAbsent((String) e.getKey(), k -> new ArrayList<>())
                            .add(e.getValue());
                }
            }
        }
        return withValue;
    }

    /** {@code GET} of each key: the values as {@code value}; the keys that have one. */
    private static int stringValues(
            RedisPipeline redis, List<byte[]> keys, Map<String, List<Object>> values)
            throws IOException {
        List<RedisFuture<byte[]>> replies = new ArrayList<>();
        for (byte[] key : keys) {
            replies.add(redis.commands().get(key));
        }
        redis.flush();
        int withValue = 0;
        for (RedisFuture<byte[]> reply : replies) {
            byte[] value = await(redis, reply, "GET");
            if (value != null) {
                withValue++;
                values.computeIfAbsent(RedisReadSpec.STRING_VALUE, k -> new ArrayList<>())
                        .add(value);
            }
        }
        return withValue;
    }

    /**
     * {@code XRANGE key - + COUNT n} of each stream (n: 100 entries in all, at least 10 per
     * stream): the values by field; the entries.
     */
    private static int streamValues(
            RedisPipeline redis, List<byte[]> keys, Map<String, List<Object>> values)
            throws IOException {
        int count = Math.max(10, Math.min(100, 100 / Math.max(1, keys.size())));
        List<RedisFuture<List<StreamMessage<byte[], byte[]>>>> replies = new ArrayList<>();
        for (byte[] key : keys) {
            replies.add(redis.commands().xrange(key, Range.create("-", "+"), Limit.from(count)));
        }
        redis.flush();
        int withValue = 0;
        for (RedisFuture<List<StreamMessage<byte[], byte[]>>> reply : replies) {
            for (StreamMessage<byte[], byte[]> entry : await(redis, reply, "XRANGE")) {
                withValue++;
                addFields(values, entry.getBody());
            }
        }
        return withValue;
    }

    private static void addFields(Map<String, List<Object>> values, Map<byte[], byte[]> fields) {
        for (Map.Entry<byte[], byte[]> e : fields.entrySet()) {
            values.computeIfAbsent(text(e.getKey()), k -> new ArrayList<>()).add(e.getValue());
        }
    }

    /** The type of a set's, list's or sorted set's record part. */
    private static DataType fixedType(String part) {
        switch (part) {
            case RedisReadSpec.SCORE:
                return DataTypes.DOUBLE();
            case RedisReadSpec.RANK:
            case RedisReadSpec.INDEX:
                return DataTypes.BIGINT();
            default:
                return DataTypes.STRING();
        }
    }

    private static RedisInferredColumn column(
            String name, List<byte[]> values, boolean primaryKey, int withField, int sampled) {
        RedisTypeInference.Inferred t = typeOf(values);
        return new RedisInferredColumn(
                name,
                t.type(),
                primaryKey,
                values.size(),
                t.parsed(),
                sampled == 0 ? 0 : Math.min(1.0, (double) values.size() / Math.max(1, sampled)),
                t.best(),
                t.bestParsed());
    }

    /**
     * The narrowest type the connector reads every one of {@code values} as: {@code INT}, {@code
     * BIGINT}, {@code DECIMAL(p, s)}, {@code DOUBLE}, {@code BOOLEAN} (only {@code true}/{@code
     * false}), {@code DATE}, {@code TIMESTAMP(3)}, {@code TIMESTAMP_LTZ(3)}, else {@code STRING}
     * ({@code BYTES} where a value is not UTF-8).
     */
    static RedisTypeInference.Inferred typeOf(List<byte[]> values) {
        return RedisTypeInference.of(values);
    }

    // ---- JSON ----

    private static RedisInferredColumn jsonColumn(String name, List<Object> values, int documents) {
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
                    DataType t = typeOf(texts).type();
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

    private static RedisFuture<byte[]> jsonGet(
            RedisClusterAsyncCommands<byte[], byte[]> c, byte[] key) {
        return c.dispatch(
                CommandType.JSON_GET,
                new ValueOutput<>(ByteArrayCodec.INSTANCE),
                new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(key).add("$"));
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

    // ---- replies ----

    private static List<byte[]> bytes(List<Object> values) {
        List<byte[]> out = new ArrayList<>(values.size());
        for (Object v : values) {
            out.add((byte[]) v);
        }
        return out;
    }

    private static String text(byte[] bytes) {
        return RedisText.isUtf8(bytes)
                ? new String(bytes, StandardCharsets.UTF_8)
                : RedisText.show(bytes);
    }

    static <T> T await(RedisPipeline redis, RedisFuture<T> future, String command)
            throws IOException {
        try {
            return future.get(redis.timeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while reading from Redis", e);
        } catch (ExecutionException e) {
            throw new IOException(
                    command + " failed at " + redis.endpoint() + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IOException(
                    command
                            + " got no reply from "
                            + redis.endpoint()
                            + " within "
                            + redis.timeoutMillis()
                            + " ms");
        }
    }
}
