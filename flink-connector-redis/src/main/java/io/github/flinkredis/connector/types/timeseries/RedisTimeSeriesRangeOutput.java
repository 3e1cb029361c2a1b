package io.github.flinkredis.connector.types.timeseries;

import com.fasterxml.jackson.core.io.NumberInput;
import io.github.flinkredis.connector.convert.RedisValueParsers;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;

/**
 * The samples of a {@code TS.RANGE} reply, {@code [[timestamp, value], ...]}, decoded straight into
 * two arrays on the connection's event loop: the timestamp an integer, the value a simple or bulk
 * string (RESP2, e.g. {@code 21.5}, {@code 1E-1}, {@code -0}, {@code NaN}, {@code inf}) or a double
 * (RESP3). Decimal text is parsed straight from the reply's bytes with Jackson's {@link
 * NumberInput} (exact, as {@link Double#parseDouble}); other text goes through {@link
 * RedisValueParsers#parseDouble}. A reply of another shape is kept as the first element that does
 * not fit, and {@link Samples#check()} fails naming it.
 */
@Internal
final class RedisTimeSeriesRangeOutput
        extends CommandOutput<byte[], byte[], RedisTimeSeriesRangeOutput.Samples> {

    /** The samples of one reply, in reply order. */
    static final class Samples {
        private long[] timestamps;
        private double[] values;
        private int size;
        private String malformed;

        Samples(int capacity) {
            timestamps = new long[capacity];
            values = new double[capacity];
        }

        /** The number of samples. */
        int size() {
            return size;
        }

        /** Sample {@code i}'s timestamp, in ms. */
        long timestamp(int i) {
            return timestamps[i];
        }

        /** Sample {@code i}'s value. */
        double value(int i) {
            return values[i];
        }

        /**
         * Returns these samples.
         *
         * @throws IllegalArgumentException naming the element if the reply was not a list of
         *     samples
         */
        Samples check() {
            if (malformed != null) {
                throw new IllegalArgumentException(malformed);
            }
            return this;
        }

        private void add(long timestamp, double value) {
            if (size == timestamps.length) {
                int capacity = Math.max(16, size * 2);
                timestamps = Arrays.copyOf(timestamps, capacity);
                values = Arrays.copyOf(values, capacity);
            }
            timestamps[size] = timestamp;
            values[size++] = value;
        }

        private void malformed(String message) {
            if (malformed == null) {
                malformed = message;
            }
        }
    }

    private boolean initialized;

    /** Inside a sample: how many of its elements arrived (0 or 1); -1 between samples. */
    private int element = -1;

    private long timestamp;

    /** The bytes of a value being parsed, reused from one value to the next. */
    private byte[] text = new byte[24];

    RedisTimeSeriesRangeOutput() {
        super(ByteArrayCodec.INSTANCE, new Samples(0));
    }

    @Override
    public void multi(int count) {
        if (!initialized) {
            output = new Samples(Math.max(0, count));
            initialized = true;
            return;
        }
        if (element >= 0 || count != 2) {
            output.malformed(
                    "Not a [timestamp, value] sample in a TS.RANGE reply: an array of " + count);
        }
        element = 0;
    }

    @Override
    public void set(long integer) {
        if (element == 0) {
            timestamp = integer;
            element = 1;
        } else {
            value(integer, integer);
        }
    }

    @Override
    public void set(double number) {
        value(number, number);
    }

    /** A sample's value where one is due, else a reply of another shape ({@code shown}). */
    private void value(double value, Object shown) {
        if (element == 1) {
            output.add(timestamp, value);
            element = 2;
        } else {
            output.malformed("Not a [timestamp, value] sample in a TS.RANGE reply: " + shown);
        }
    }

    @Override
    public void set(ByteBuffer bytes) {
        String decimal = element == 1 && bytes != null ? decimalText(bytes) : null;
        if (decimal != null) {
            // the common case, a RESP2 value such as 21.5, -3, 1E-1
            try {
                output.add(timestamp, NumberInput.parseDouble(decimal, true));
                element = 2;
                return;
            } catch (NumberFormatException e) {
                // not a number after all (1.2.3): reported below, with the text
            }
        }
        String text = bytes == null ? "null" : StandardCharsets.UTF_8.decode(bytes).toString();
        if (element == 0) {
            try {
                timestamp = Long.parseLong(text.trim());
                element = 1;
            } catch (NumberFormatException e) {
                output.malformed("Not a sample timestamp: " + text);
                element = 3;
            }
        } else if (element == 1) {
            try {
                output.add(timestamp, RedisValueParsers.parseDouble(text.trim()));
            } catch (NumberFormatException e) {
                output.malformed("Not a sample value: " + text.trim());
            }
            element = 2;
        } else {
            output.malformed("Not a [timestamp, value] sample in a TS.RANGE reply: " + text);
        }
    }

    /**
     * The text of {@code bytes} if it has only a decimal number's characters (digits and {@code . -
     * + e E}, first a digit, {@code .} or {@code -}: {@code 4}, {@code -0.5}, {@code 1E-1}), which
     * Jackson's {@link NumberInput} parses exactly as {@link Double#parseDouble} does; else null,
     * and other text ({@code inf}, {@code NaN}, spaces) goes through {@link
     * RedisValueParsers#parseDouble}. Reads {@code bytes} without moving its position.
     */
    @Nullable
    private String decimalText(ByteBuffer bytes) {
        int start = bytes.position();
        int n = bytes.remaining();
        if (n == 0) {
            return null;
        }
        if (text.length < n) {
            text = new byte[n];
        }
        for (int i = 0; i < n; i++) {
            byte c = bytes.get(start + i);
            boolean allowed =
                    (c >= '0' && c <= '9')
                            || c == '.'
                            || c == '-'
                            || (i > 0 && (c == '+' || c == 'e' || c == 'E'));
            if (!allowed) {
                return null;
            }
            text[i] = c;
        }
        return new String(text, 0, n, StandardCharsets.ISO_8859_1);
    }

    @Override
    public void complete(int depth) {
        if (depth == 1 && element >= 0) {
            if (element < 2) {
                output.malformed(
                        "Not a [timestamp, value] sample in a TS.RANGE reply: an array of "
                                + element);
            }
            element = -1;
        }
    }
}
