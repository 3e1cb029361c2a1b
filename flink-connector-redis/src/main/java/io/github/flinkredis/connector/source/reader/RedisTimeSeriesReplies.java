package io.github.flinkredis.connector.source.reader;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.annotation.Internal;

/**
 * Parses the samples of a {@code TS.RANGE} reply, as Lettuce's {@code ArrayOutput} gives it in
 * either protocol: a list of {@code [timestamp, value]} pairs, the timestamp an integer, the value
 * a simple or bulk string (RESP2, e.g. {@code 21.5}, {@code inf}, {@code nan}) or a double (RESP3).
 */
@Internal
final class RedisTimeSeriesReplies {

    /** One sample (or bucket) of a series. */
    record Sample(long timestamp, double value) {}

    private RedisTimeSeriesReplies() {}

    /**
     * The samples of a TS.RANGE reply, in reply order.
     *
     * @throws IllegalArgumentException naming the element if the reply is not of that shape
     */
    static List<Sample> samples(List<?> reply) {
        List<Sample> samples = new ArrayList<>(reply.size());
        for (Object element : reply) {
            if (!(element instanceof List<?> pair) || pair.size() != 2) {
                throw new IllegalArgumentException(
                        "Not a [timestamp, value] sample in a TS.RANGE reply: " + text(element));
            }
            samples.add(new Sample(timestamp(pair.get(0)), value(pair.get(1))));
        }
        return samples;
    }

    private static long timestamp(Object o) {
        if (o instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(text(o));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Not a sample timestamp: " + text(o), e);
        }
    }

    /** A sample's value: a double, or its text as RedisTimeSeries writes it. */
    static double value(Object o) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        String s = text(o).trim();
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
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("Not a sample value: " + s, e);
                }
        }
    }

    private static String text(Object o) {
        if (o instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        if (o instanceof ByteBuffer b) {
            return StandardCharsets.UTF_8.decode(b.duplicate()).toString();
        }
        return String.valueOf(o);
    }
}
