package io.github.flinkredis.connector.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkredis.connector.config.ParseErrorPolicy;
import io.github.flinkredis.connector.model.RedisRecord;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.Collector;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.junit.jupiter.api.Test;

/** The policies for bad values, and their metric. */
class RedisRowDataDeserializerTest {

    private final Map<String, Counter> counters = new HashMap<>();
    private final List<RowData> out = new ArrayList<>();

    private RedisRowDataDeserializer deserializer(ParseErrorPolicy policy) {
        List<RedisRowColumn> columns =
                List.of(
                        new RedisRowColumn(
                                "id",
                                RedisColumnSource.KEY_PART,
                                0,
                                DataTypes.INT().getLogicalType(),
                                ZoneOffset.UTC),
                        new RedisRowColumn(
                                "age",
                                RedisColumnSource.FIELD,
                                0,
                                DataTypes.INT().getLogicalType(),
                                ZoneOffset.UTC));
        RedisRowDataDeserializer d =
                new RedisRowDataDeserializer(columns, "u:", ":", 1, policy, null);
        MetricGroup group =
                new UnregisteredMetricsGroup() {
                    @Override
                    public Counter counter(String name) {
                        return counters.computeIfAbsent(name, n -> new SimpleCounter());
                    }
                };
        d.open(
                new DeserializationSchema.InitializationContext() {
                    @Override
                    public MetricGroup getMetricGroup() {
                        return group;
                    }

                    @Override
                    public UserCodeClassLoader getUserCodeClassLoader() {
                        return SimpleUserCodeClassLoader.create(getClass().getClassLoader());
                    }
                });
        return d;
    }

    private static RedisRecord record(String key, String age) {
        return new RedisRecord(
                key.getBytes(StandardCharsets.UTF_8),
                new byte[][] {"age".getBytes(StandardCharsets.UTF_8)},
                new byte[][] {age == null ? null : age.getBytes(StandardCharsets.UTF_8)},
                RedisRecord.TTL_NOT_FETCHED);
    }

    private final Collector<RowData> collector =
            new Collector<>() {
                @Override
                public void collect(RowData record) {
                    out.add(record);
                }

                @Override
                public void close() {}
            };

    @Test
    void failPolicyThrowsAndCounts() {
        RedisRowDataDeserializer d = deserializer(ParseErrorPolicy.FAIL);

        assertThatThrownBy(() -> d.deserialize(record("u:1", "x1"), collector))
                .isInstanceOf(RedisParseException.class)
                .hasMessageStartingWith(
                        "Cannot read field 'age' of key 'u:1' as INT: value 'x1' (not a decimal"
                                + " integer)");
        assertThat(counters.get(RedisRowDataDeserializer.METRIC_PARSE_ERRORS).getCount())
                .isEqualTo(1);
    }

    @Test
    void setNullPolicyReadsNullAndCounts() {
        RedisRowDataDeserializer d = deserializer(ParseErrorPolicy.SET_NULL);

        d.deserialize(record("u:1", "x1"), collector);
        d.deserialize(record("u:2", "7"), collector);

        assertThat(out).hasSize(2);
        assertThat(out.get(0).getInt(0)).isEqualTo(1);
        assertThat(out.get(0).isNullAt(1)).isTrue();
        assertThat(out.get(1).getInt(1)).isEqualTo(7);
        assertThat(counters.get(RedisRowDataDeserializer.METRIC_PARSE_ERRORS).getCount())
                .isEqualTo(1);
    }

    @Test
    void skipRowPolicyDropsTheRowAndCounts() {
        RedisRowDataDeserializer d = deserializer(ParseErrorPolicy.SKIP_ROW);

        d.deserialize(record("u:1", "x1"), collector);
        d.deserialize(record("u:x", "5"), collector);
        d.deserialize(record("u:3", null), collector);

        assertThat(out).hasSize(1);
        assertThat(out.get(0).getInt(0)).isEqualTo(3);
        assertThat(out.get(0).isNullAt(1)).isTrue();
        assertThat(counters.get(RedisRowDataDeserializer.METRIC_PARSE_ERRORS).getCount())
                .isEqualTo(2);
    }

    @Test
    void aKeyOutsideThePrefixIsAnError() {
        RedisRowDataDeserializer d = deserializer(ParseErrorPolicy.SET_NULL);

        assertThatThrownBy(() -> d.deserialize(record("other:1", "1"), collector))
                .hasMessageStartingWith(
                        "Key 'other:1' does not start with the prefix 'u:' (option"
                                + " 'key.prefix')");
    }
}
