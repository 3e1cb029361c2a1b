package io.github.flinkredis.connector.catalog;

import io.github.flinkredis.connector.convert.RedisValueParser;
import io.github.flinkredis.connector.convert.RedisValueParsers;
import io.github.flinkredis.connector.model.RedisText;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.DataType;

/**
 * The column type of sampled values (hash fields, key parts, string values): the first of {@code
 * INT}, {@code BIGINT}, {@code DECIMAL(p, s)} (plain decimals with a fraction), {@code DOUBLE},
 * {@code BOOLEAN} ({@code true}/{@code false} only), {@code DATE}, {@code TIMESTAMP(3)} and {@code
 * TIMESTAMP_LTZ(3)} (ISO-8601 text) that the connector's own parsers read every value as, else
 * {@code STRING} (or {@code BYTES} where a value is not UTF-8). So a table with the inferred type
 * reads every sampled value without a parse error.
 */
@Internal
final class RedisTypeInference {

    private static final Pattern PLAIN_DECIMAL = Pattern.compile("-?\\d+(\\.\\d+)?");

    private RedisTypeInference() {}

    /**
     * The type of {@code values}, how many of them the type reads (all, except for a fallback to
     * {@code STRING}), and for a fallback the candidate most of them parse as.
     *
     * @param type the inferred type
     * @param parsed values the type reads
     * @param best for a fallback to STRING, the candidate type most values parse as, else null
     * @param bestParsed values {@code best} reads
     */
    record Inferred(DataType type, int parsed, DataType best, int bestParsed) {}

    static Inferred of(List<byte[]> values) {
        if (values.isEmpty()) {
            return new Inferred(DataTypes.STRING(), 0, null, 0);
        }
        DataType best = null;
        int bestParsed = 0;
        for (DataType candidate : candidates(values)) {
            int parsed = parsed(candidate, values);
            if (parsed == values.size()) {
                return new Inferred(candidate, parsed, null, 0);
            }
            if (parsed > bestParsed) {
                best = candidate;
                bestParsed = parsed;
            }
        }
        for (byte[] v : values) {
            if (!RedisText.isUtf8(v)) {
                return new Inferred(DataTypes.BYTES(), values.size(), best, bestParsed);
            }
        }
        return new Inferred(DataTypes.STRING(), values.size(), best, bestParsed);
    }

    /** The candidates in order, DECIMAL sized to the values. */
    private static List<DataType> candidates(List<byte[]> values) {
        List<DataType> candidates = new ArrayList<>();
        candidates.add(DataTypes.INT());
        candidates.add(DataTypes.BIGINT());
        DataType decimal = decimal(values);
        if (decimal != null) {
            candidates.add(decimal);
        }
        candidates.add(DataTypes.DOUBLE());
        candidates.add(DataTypes.BOOLEAN());
        candidates.add(DataTypes.DATE());
        candidates.add(DataTypes.TIMESTAMP(3));
        candidates.add(DataTypes.TIMESTAMP_LTZ(3));
        return candidates;
    }

    /**
     * {@code DECIMAL(p, s)} where the values are plain decimals and some have a fraction: {@code s}
     * the longest fraction, {@code p} room for the longest integer part and 4 more digits (at least
     * 10, at most 38); null otherwise.
     */
    private static DataType decimal(List<byte[]> values) {
        int scale = 0;
        int integerDigits = 1;
        for (byte[] v : values) {
            String s = new String(v, StandardCharsets.UTF_8);
            if (!PLAIN_DECIMAL.matcher(s).matches()) {
                return null;
            }
            int dot = s.indexOf('.');
            int digits = (dot < 0 ? s.length() : dot) - (s.startsWith("-") ? 1 : 0);
            integerDigits = Math.max(integerDigits, digits);
            scale = Math.max(scale, dot < 0 ? 0 : s.length() - dot - 1);
        }
        if (scale == 0 || integerDigits + scale > 38) {
            return null;
        }
        int precision = Math.min(38, Math.max(10, integerDigits + scale + 4));
        return DataTypes.DECIMAL(precision, scale);
    }

    private static int parsed(DataType candidate, List<byte[]> values) {
        if (candidate.getLogicalType().getTypeRoot()
                == org.apache.flink.table.types.logical.LogicalTypeRoot.BOOLEAN) {
            int n = 0;
            for (byte[] v : values) {
                String s = new String(v, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
                n += s.equals("true") || s.equals("false") ? 1 : 0;
            }
            return n;
        }
        RedisValueParser parser =
                RedisValueParsers.create(candidate.getLogicalType(), ZoneOffset.UTC);
        int n = 0;
        for (byte[] v : values) {
            try {
                parser.parse(v);
                n++;
            } catch (Exception notThisType) {
                // counted as not parsing
            }
        }
        return n;
    }
}
