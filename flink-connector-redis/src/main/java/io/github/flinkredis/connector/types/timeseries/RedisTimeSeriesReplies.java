package io.github.flinkredis.connector.types.timeseries;

import static io.github.flinkredis.connector.client.RedisReplies.text;

import io.github.flinkredis.connector.client.RedisReplies;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.annotation.Internal;

/**
 * Parses {@code TS.INFO} replies as Lettuce's {@code ArrayOutput} gives them in either protocol
 * (the samples of {@code TS.RANGE} are decoded by {@link RedisTimeSeriesRangeOutput}).
 */
@Internal
public final class RedisTimeSeriesReplies {

    private RedisTimeSeriesReplies() {}

    /**
     * The labels in a {@code TS.INFO} reply: its {@code labels} entry, a list of {@code [name,
     * value]} pairs (RESP2) or a map, which Lettuce's output flattens into {@code name, value, ...}
     * (RESP3); empty without labels.
     *
     * @throws IllegalArgumentException if the reply has no {@code labels} entry
     */
    public static Map<String, String> labels(List<?> info) {
        Object value = RedisReplies.field(info, "labels");
        if (value == null) {
            throw new IllegalArgumentException(
                    "No labels in a TS.INFO reply of " + info.size() + " elements");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        List<?> entries = value instanceof List<?> l ? l : List.of();
        for (int j = 0; j < entries.size(); j++) {
            if (entries.get(j) instanceof List<?> pair && pair.size() == 2) {
                labels.put(text(pair.get(0)), text(pair.get(1)));
            } else if (j + 1 < entries.size()) {
                labels.put(text(entries.get(j)), text(entries.get(++j)));
            }
        }
        return labels;
    }

    /**
     * A whole-number entry of a {@code TS.INFO} reply, such as {@code totalSamples} or {@code
     * lastTimestamp}.
     *
     * @throws IllegalArgumentException if the reply has no such entry, or it is not a number
     */
    static long infoLong(List<?> info, String name) {
        Object value = RedisReplies.field(info, name);
        if (value == null) {
            throw new IllegalArgumentException(
                    "No " + name + " in a TS.INFO reply of " + info.size() + " elements");
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(text(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Not a number: " + name + " " + text(value), e);
        }
    }
}
