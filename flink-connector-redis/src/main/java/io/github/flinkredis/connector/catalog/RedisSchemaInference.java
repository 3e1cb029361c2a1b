package io.github.flinkredis.connector.catalog;

import io.github.flinkredis.connector.client.RedisModuleCommand;
import io.github.flinkredis.connector.client.RedisPipeline;
import io.github.flinkredis.connector.client.RedisRetryPolicy;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisTableLayout;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.model.RedisText;
import io.github.flinkredis.connector.types.RedisTypes;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
import io.github.flinkredis.connector.types.timeseries.RedisTimeSeriesReplies;
import io.lettuce.core.KeyScanArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.DataType;

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
                        .match(RedisTableLayout.patternForPrefix(keyPrefix))
                        .type(dataType.scanType())
                        .limit(SCAN_COUNT);
        do {
            KeyScanCursor<byte[]> page = redis.await(redis.commands().scan(cursor, args), "SCAN");
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
                            ? RedisJsonInference.column(e.getKey(), e.getValue(), withValue)
                            : column(
                                    e.getKey(),
                                    bytes(e.getValue()),
                                    false,
                                    withValue,
                                    keys.size()));
        }
        List<String> labelColumns = recordColumns(dataType, keyPrefix, values, columns);
        return new RedisInferredTable(
                dataType, keyPrefix, literalKey, columns, keys.size(), labelColumns);
    }

    /**
     * Adds the columns of a record's parts to {@code columns}: a timeseries' {@code ts} and {@code
     * val} (its other columns are its labels, whose names this returns), a set's, list's or sorted
     * set's parts ({@code member}; {@code element}, {@code index}; {@code member}, {@code score},
     * {@code rank}).
     *
     * @return the label columns of a timeseries, else empty
     */
    private static List<String> recordColumns(
            RedisDataType dataType,
            @Nullable String keyPrefix,
            Map<String, List<Object>> values,
            List<RedisInferredColumn> columns) {
        RedisTypeHandler handler = RedisTypes.of(dataType);
        List<String> labelColumns = new ArrayList<>();
        if (dataType == RedisDataType.TIMESERIES) {
            // the samples' time and value (the defaults of timestamp.column and value.column);
            // the columns inferred above are the series' labels
            labelColumns.addAll(new java.util.TreeSet<>(values.keySet()));
            columns.add(
                    keyPrefix == null ? 0 : 1,
                    RedisInferredColumn.described(
                            "ts",
                            DataTypes.TIMESTAMP_LTZ(3),
                            true,
                            "one row per sample: its time"));
            columns.add(
                    keyPrefix == null ? 1 : 2,
                    RedisInferredColumn.described(
                            "val", DataTypes.DOUBLE(), false, "one row per sample: its value"));
        }
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
        return labelColumns;
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
            case TIMESERIES:
                withValue = labelValues(redis, keys, values);
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
        int withValue = 0;
        for (RedisFuture<Map<byte[], byte[]>> reply : replies) {
            Map<byte[], byte[]> hash = redis.await(reply, "HGETALL");
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
        int withValue = 0;
        for (RedisFuture<byte[]> reply : replies) {
            byte[] json = redis.await(reply, "JSON.GET");
            Object doc = json == null ? null : RedisJsonInference.parseJson(json);
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
        int withValue = 0;
        for (RedisFuture<byte[]> reply : replies) {
            byte[] value = redis.await(reply, "GET");
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
        int withValue = 0;
        for (RedisFuture<List<StreamMessage<byte[], byte[]>>> reply : replies) {
            for (StreamMessage<byte[], byte[]> entry : redis.await(reply, "XRANGE")) {
                withValue++;
                addFields(values, entry.getBody());
            }
        }
        return withValue;
    }

    /** {@code TS.INFO} of each series: its labels' values by label; the series. */
    private static int labelValues(
            RedisPipeline redis, List<byte[]> keys, Map<String, List<Object>> values)
            throws IOException {
        List<RedisFuture<List<Object>>> replies = new ArrayList<>();
        for (byte[] key : keys) {
            replies.add(
                    redis.commands()
                            .dispatch(
                                    RedisModuleCommand.TS_INFO,
                                    new ArrayOutput<>(ByteArrayCodec.INSTANCE),
                                    new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(key)));
        }
        for (RedisFuture<List<Object>> reply : replies) {
            RedisTimeSeriesReplies.labels(redis.await(reply, "TS.INFO"))
                    .forEach(
                            (label, value) ->
                                    values.computeIfAbsent(label, k -> new ArrayList<>())
                                            .add(value.getBytes(StandardCharsets.UTF_8)));
        }
        return keys.size();
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

    private static RedisFuture<byte[]> jsonGet(
            RedisClusterAsyncCommands<byte[], byte[]> c, byte[] key) {
        return c.dispatch(
                CommandType.JSON_GET,
                new ValueOutput<>(ByteArrayCodec.INSTANCE),
                new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(key).add("$"));
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
}
