package io.github.flinkredis.connector.model;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.Collector;
import org.apache.flink.util.UserCodeClassLoader;

/**
 * Turns what a {@link io.github.flinkredis.connector.source.RedisSource} (or a lookup) read for one
 * key into zero or more records of type {@code T}.
 *
 * <p>Runs in the source's task thread, after the reader's I/O thread fetched the data, so
 * conversion overlaps with the next fetch.
 */
@PublicEvolving
public interface RedisRecordDeserializer<T> extends Serializable, ResultTypeQueryable<T> {

    /** Called once per reader before the first record; register metrics here. */
    default void open(DeserializationSchema.InitializationContext context) throws Exception {}

    /**
     * Opens {@code deserializer} with {@code metricGroup} and {@code classLoader}: those of a
     * source reader, or of a lookup function or the FULL lookup cache's loader.
     */
    @Internal
    static void open(
            RedisRecordDeserializer<?> deserializer,
            MetricGroup metricGroup,
            UserCodeClassLoader classLoader)
            throws Exception {
        deserializer.open(
                new DeserializationSchema.InitializationContext() {
                    @Override
                    public MetricGroup getMetricGroup() {
                        return metricGroup;
                    }

                    @Override
                    public UserCodeClassLoader getUserCodeClassLoader() {
                        return classLoader;
                    }
                });
    }

    /**
     * Emits the records for one key.
     *
     * @throws Exception to fail the job, with a message naming the key and what is wrong
     */
    void deserialize(RedisRecord record, Collector<T> out) throws Exception;

    /**
     * A deserializer that emits each hash as {@code (key, fields)}: the key and a map from field
     * name to value, all decoded as UTF-8 (leniently, see {@link RedisRecord#keyAsString}: for keys
     * or values that are not text, deserialize {@link RedisRecord#key()} and the values as bytes);
     * missing fields are left out of the map.
     */
    static RedisRecordDeserializer<Tuple2<String, Map<String, String>>> hashAsMap() {
        return new RedisRecordDeserializer<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public void deserialize(
                    RedisRecord record, Collector<Tuple2<String, Map<String, String>>> out) {
                Map<String, String> fields = new LinkedHashMap<>();
                for (int i = 0; i < record.values().length; i++) {
                    if (record.values()[i] != null) {
                        fields.put(
                                new String(record.fieldNames()[i], StandardCharsets.UTF_8),
                                new String(record.values()[i], StandardCharsets.UTF_8));
                    }
                }
                out.collect(Tuple2.of(record.keyAsString(), fields));
            }

            @Override
            public TypeInformation<Tuple2<String, Map<String, String>>> getProducedType() {
                return Types.TUPLE(Types.STRING, Types.MAP(Types.STRING, Types.STRING));
            }
        };
    }
}
