package io.github.flinkredis.connector.lookup;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.model.RedisRecord;
import io.github.flinkredis.connector.model.RedisRecordDeserializer;
import io.github.flinkredis.connector.types.RedisTypes;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import javax.annotation.Nullable;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.functions.async.AsyncFunction;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lookups from the DataStream API: an {@link AsyncFunction} for {@link AsyncDataStream} that reads,
 * for each element, the Redis key a {@link KeyFunction} names, and emits the element joined with
 * what the key holds, e.g. orders enriched from user hashes:
 *
 * <pre>{@code
 * RedisAsyncLookupFunction<Order, Tuple2<String, Map<String, String>>, String> lookup =
 *         RedisAsyncLookupFunction.<Order, Tuple2<String, Map<String, String>>, String>builder()
 *                 .setConnectionConfig(RedisConnectionConfig.fromUrl("redis://localhost").build())
 *                 .setFields("name", "tier")                       // HMGET user:<id> name tier
 *                 .setKeyFunction(order -> "user:" + order.userId)
 *                 .setDeserializer(RedisRecordDeserializer.hashAsMap())
 *                 .setJoiner((order, user) -> order.id + " " + user.f1.get("name"), Types.STRING)
 *                 .build();
 * DataStream<String> enriched =
 *         AsyncDataStream.orderedWait(orders, lookup, 30, TimeUnit.SECONDS, 100);
 * }</pre>
 *
 * <p>The reads of every element of a parallel instance are pipelined on one connection (a cluster
 * connection in a Redis Cluster); the {@code capacity} of {@code AsyncDataStream} bounds how many
 * are in flight. Commands per data type: hash {@code HMGET key f1 f2 ...} (and {@code EXISTS key}
 * where every field is nil, to tell a missing key), json {@code JSON.GET key path1 ...} of the
 * members, string {@code GET key}, zset {@code ZSCORE key member} (and {@code ZRANK key member}
 * with the rank) of the member {@link Builder#setMemberFunction} names; {@code PTTL key} with
 * {@link Builder#setFetchTtl}.
 *
 * <p>The function connects in {@code open}. Hash fields and string values reach the deserializer as
 * their bytes; JSON members as their JSON text ({@code "ann"} with its quotes, {@code
 * {"level":3}}). The deserializer and the joiner run on Lettuce's and the retries' threads, one
 * call at a time per parallel instance; they must not block.
 *
 * <p>A missing key, or a key function returning null, is no match: nothing is emitted, or, with
 * {@link Builder#setKeepUnmatched(boolean) keepUnmatched}, the joiner's result for a null value (a
 * left join). The deserializer may emit several values for one key (each is joined) or none (no
 * match). Redis unreachable, a lost connection or a passing server state (LOADING, CLUSTERDOWN,
 * ...): the read is sent again after 50 ms, doubling up to 1 s, {@link Builder#setMaxRetries} times
 * (3), then the job fails naming the key and the last error; an error reply such as WRONGTYPE fails
 * it at once naming the key and the command, as does a deserializer or joiner exception (or a null
 * output), and the timeout of {@code AsyncDataStream} (naming the key). A command waits for its
 * reply up to the connection's command timeout ({@link
 * RedisConnectionConfig.Builder#commandTimeout}, 60 s by default): for retries to happen before
 * {@code AsyncDataStream}'s timeout ends a lookup, that timeout must exceed (retries + 1) x the
 * command timeout plus the pauses. Flink's lookup cache belongs to SQL lookup joins; here every
 * element reads Redis.
 *
 * @param <IN> the elements looked up for
 * @param <V> what the deserializer makes of a key's record
 * @param <OUT> the joined elements
 */
@PublicEvolving
public final class RedisAsyncLookupFunction<IN, V, OUT> extends RichAsyncFunction<IN, OUT>
        implements ResultTypeQueryable<OUT> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RedisAsyncLookupFunction.class);

    /** The Redis key of an element: UTF-8 text, or null for no lookup (no match). */
    @FunctionalInterface
    public interface KeyFunction<IN> extends Serializable {
        @Nullable
        String key(IN element) throws Exception;
    }

    /** The output for an element and one value read for it (null where nothing matched). */
    @FunctionalInterface
    public interface Joiner<IN, V, OUT> extends Serializable {
        OUT join(IN element, @Nullable V value) throws Exception;
    }

    private final RedisPointReader reads;
    private final KeyFunction<IN> keyFunction;
    @Nullable private final KeyFunction<IN> memberFunction;
    private final RedisRecordDeserializer<V> deserializer;
    private final Joiner<IN, V, OUT> joiner;
    private final TypeInformation<OUT> outputType;
    private final boolean keepUnmatched;

    private RedisAsyncLookupFunction(Builder<IN, V, OUT> b, List<String> fields) {
        this.reads =
                new RedisPointReader(
                        b.connectionConfig,
                        b.dataType,
                        fields,
                        b.jsonPath,
                        b.fetchTtl,
                        b.maxRetries,
                        "RedisAsyncLookupFunction.Builder#setMaxRetries",
                        "RedisAsyncLookupFunction.Builder#setDataType");
        this.keyFunction = b.keyFunction;
        this.memberFunction = b.memberFunction;
        this.deserializer = b.deserializer;
        this.joiner = b.joiner;
        this.outputType = b.outputType;
        this.keepUnmatched = b.keepUnmatched;
    }

    /** A builder; connection, key function, deserializer and joiner are required. */
    public static <IN, V, OUT> Builder<IN, V, OUT> builder() {
        return new Builder<>();
    }

    /** Opens the deserializer and connects, so that the first elements need not wait for it. */
    @Override
    public void open(OpenContext openContext) throws Exception {
        reads.open(getRuntimeContext().getMetricGroup());
        RedisRecordDeserializer.open(
                deserializer,
                getRuntimeContext().getMetricGroup(),
                SimpleUserCodeClassLoader.create(getRuntimeContext().getUserCodeClassLoader()));
        try {
            reads.connect();
        } catch (RuntimeException e) {
            // the first reads try again, and fail with their key after the retries
            LOG.warn("Could not connect to Redis yet: {}", e.getMessage());
        }
    }

    @Override
    public void asyncInvoke(IN element, ResultFuture<OUT> resultFuture) throws Exception {
        String key = keyFunction.key(element);
        String member = memberFunction == null ? null : memberFunction.key(element);
        if (key == null || (memberFunction != null && member == null)) {
            resultFuture.complete(join(element, key, null));
            return;
        }
        reads.read(
                        key.getBytes(StandardCharsets.UTF_8),
                        member == null ? null : member.getBytes(StandardCharsets.UTF_8))
                .whenComplete(
                        (record, failure) -> {
                            if (failure != null) {
                                resultFuture.completeExceptionally(
                                        RedisPointReader.asIOException(failure));
                                return;
                            }
                            try {
                                resultFuture.complete(join(element, key, record));
                            } catch (Throwable e) {
                                resultFuture.completeExceptionally(e);
                            }
                        });
    }

    /**
     * The outputs of an element and its key's record. Deserializer and joiner run one call at a
     * time per parallel instance: replies complete on Lettuce's threads (several in a cluster) and
     * retries on others.
     */
    private List<OUT> join(IN element, @Nullable String key, @Nullable RedisRecord record)
            throws IOException {
        synchronized (deserializer) {
            List<V> values = new ArrayList<>(1);
            if (record != null) {
                try {
                    deserializer.deserialize(record, new ListCollector<>(values));
                } catch (Exception e) {
                    throw new IOException(
                            String.format(
                                    "Lookup of key '%s': the deserializer failed on what it"
                                            + " holds: %s",
                                    key, e.getMessage()),
                            e);
                }
            }
            if (values.isEmpty()) {
                return keepUnmatched ? List.of(joined(element, key, null)) : List.of();
            }
            List<OUT> out = new ArrayList<>(values.size());
            for (V value : values) {
                out.add(joined(element, key, value));
            }
            return out;
        }
    }

    private OUT joined(IN element, @Nullable String key, @Nullable V value) throws IOException {
        OUT out;
        try {
            out = joiner.join(element, value);
        } catch (Exception e) {
            throw new IOException(
                    String.format("Lookup of key '%s': the joiner failed: %s", key, e.getMessage()),
                    e);
        }
        if (out == null) {
            throw new IOException(
                    String.format(
                            "Lookup of key '%s': the joiner returned null, which a stream cannot"
                                    + " carry",
                            key));
        }
        return out;
    }

    /** Fails the job naming the element's key, instead of Flink's message without it. */
    @Override
    public void timeout(IN element, ResultFuture<OUT> resultFuture) throws Exception {
        String key;
        try {
            key = keyFunction.key(element);
        } catch (Exception e) {
            key = "?";
        }
        resultFuture.completeExceptionally(
                new TimeoutException(
                        String.format(
                                "Lookup of key '%s' did not complete within the timeout given to"
                                        + " AsyncDataStream",
                                key)));
    }

    @Override
    public void close() throws Exception {
        reads.close();
    }

    @Override
    public TypeInformation<OUT> getProducedType() {
        return outputType;
    }

    /** Builder of {@link RedisAsyncLookupFunction}. */
    @PublicEvolving
    public static final class Builder<IN, V, OUT> {
        private RedisConnectionConfig connectionConfig;
        private RedisDataType dataType = RedisDataType.HASH;
        private List<String> fields = List.of();
        private String jsonPath = "$";
        private boolean fetchTtl;
        private int maxRetries = 3;
        private KeyFunction<IN> keyFunction;
        private KeyFunction<IN> memberFunction;
        private RedisRecordDeserializer<V> deserializer;
        private Joiner<IN, V, OUT> joiner;
        private TypeInformation<OUT> outputType;
        private boolean keepUnmatched;

        private Builder() {}

        /** Where Redis is: a standalone server, a cluster (its seeds) or Sentinels. */
        public Builder<IN, V, OUT> setConnectionConfig(RedisConnectionConfig connectionConfig) {
            this.connectionConfig = Objects.requireNonNull(connectionConfig);
            return this;
        }

        /** {@code hash} (the default), {@code json}, {@code string} or {@code zset}. */
        public Builder<IN, V, OUT> setDataType(RedisDataType dataType) {
            this.dataType = Objects.requireNonNull(dataType);
            return this;
        }

        /**
         * The hash fields ({@code HMGET}) or JSON members ({@code JSON.GET} of their paths under
         * {@link #setJsonPath}) read: the record's fields, in this order. Required for hash and
         * json; a string's record has the one field {@code value}; a zset member's {@code member}
         * and {@code score} by default, any of {@code member}, {@code score}, {@code rank}.
         */
        public Builder<IN, V, OUT> setFields(String... fields) {
            this.fields = List.of(fields);
            return this;
        }

        /** For json: the JSONPath of the value whose members are read ({@code $}, the document). */
        public Builder<IN, V, OUT> setJsonPath(String jsonPath) {
            this.jsonPath = Objects.requireNonNull(jsonPath);
            return this;
        }

        /** Whether to read the key's TTL ({@code PTTL}) into the record; false by default. */
        public Builder<IN, V, OUT> setFetchTtl(boolean fetchTtl) {
            this.fetchTtl = fetchTtl;
            return this;
        }

        /** Attempts after the first for failures another attempt may cure; 3 by default. */
        public Builder<IN, V, OUT> setMaxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        /** The Redis key of each element (null: no lookup, no match). */
        public Builder<IN, V, OUT> setKeyFunction(KeyFunction<IN> keyFunction) {
            this.keyFunction = Objects.requireNonNull(keyFunction);
            return this;
        }

        /**
         * For a sorted set: the member of each element whose score (and rank) is read ({@code
         * ZSCORE key member}, {@code ZRANK key member} where {@code rank} is a field); null: no
         * lookup, no match. Required for zset.
         */
        public Builder<IN, V, OUT> setMemberFunction(KeyFunction<IN> memberFunction) {
            this.memberFunction = Objects.requireNonNull(memberFunction);
            return this;
        }

        /** What a key's record becomes (e.g. {@link RedisRecordDeserializer#hashAsMap()}). */
        public Builder<IN, V, OUT> setDeserializer(RedisRecordDeserializer<V> deserializer) {
            this.deserializer = Objects.requireNonNull(deserializer);
            return this;
        }

        /** The output for an element and a value read for it, and the output's type. */
        public Builder<IN, V, OUT> setJoiner(
                Joiner<IN, V, OUT> joiner, TypeInformation<OUT> outputType) {
            this.joiner = Objects.requireNonNull(joiner);
            this.outputType = Objects.requireNonNull(outputType);
            return this;
        }

        /**
         * Whether an element without a match is emitted, joined with a null value (a left join);
         * false by default (an inner join: it is dropped).
         */
        public Builder<IN, V, OUT> setKeepUnmatched(boolean keepUnmatched) {
            this.keepUnmatched = keepUnmatched;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming what is missing or not supported
         */
        public RedisAsyncLookupFunction<IN, V, OUT> build() {
            List<String> missing = new ArrayList<>();
            if (connectionConfig == null) {
                missing.add("setConnectionConfig");
            }
            if (keyFunction == null) {
                missing.add("setKeyFunction");
            }
            if (deserializer == null) {
                missing.add("setDeserializer");
            }
            if (joiner == null) {
                missing.add("setJoiner");
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException(
                        "RedisAsyncLookupFunction needs " + String.join(", ", missing));
            }
            RedisTypeHandler handler = RedisTypes.of(dataType);
            if (!handler.servesLookups()) {
                List<RedisDataType> supported = RedisTypes.where(RedisTypeHandler::servesLookups);
                throw new IllegalArgumentException(
                        "RedisAsyncLookupFunction reads "
                                + RedisTypes.sentence(supported, " or ")
                                + " keys, not "
                                + dataType
                                + "; supported: "
                                + supported);
            }
            List<String> read = handler.lookupFields(fields, memberFunction != null);
            if (memberFunction != null && handler.lookupPart() == null) {
                throw new IllegalArgumentException(
                        "setMemberFunction applies to "
                                + RedisTypes.sentence(
                                        RedisTypes.where(t -> t.lookupPart() != null), " or ")
                                + " keys only, not "
                                + dataType);
            }
            if (maxRetries < 0) {
                throw new IllegalArgumentException("setMaxRetries must be >= 0, was " + maxRetries);
            }
            return new RedisAsyncLookupFunction<>(this, read);
        }
    }
}
