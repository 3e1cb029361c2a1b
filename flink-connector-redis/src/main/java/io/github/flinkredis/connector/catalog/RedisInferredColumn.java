package io.github.flinkredis.connector.catalog;

import java.util.Locale;
import javax.annotation.Nullable;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.table.types.DataType;

/**
 * A column of an inferred table ({@link RedisSchemaInference}), with how sure the inference is.
 *
 * @param name the column name (a hash field, a JSON member, a part of the record, or the key's
 *     variable part)
 * @param type the inferred type: every sampled value reads as it (except after a fallback)
 * @param primaryKey whether the column is (part of) the PRIMARY KEY
 * @param values sampled values of the column
 * @param parsed of those, the values {@code type} reads ({@code values} unless {@code
 *     fallbackFrom})
 * @param presence the share of sampled keys (or documents) that have the column, 0 to 1
 * @param fallbackFrom where the values are of mixed types and {@code type} is STRING: the type most
 *     of them read as, else null
 * @param fallbackParsed values {@code fallbackFrom} reads
 * @param origin where a column comes from other than sampled values (a set's member, a RediSearch
 *     attribute no sampled key has), which its comment says instead; else null
 * @param metadataKey for a metadata column of the connector (a stream entry's {@code id}), its key;
 *     else null
 */
@PublicEvolving
public record RedisInferredColumn(
        String name,
        DataType type,
        boolean primaryKey,
        int values,
        int parsed,
        double presence,
        @Nullable DataType fallbackFrom,
        int fallbackParsed,
        @Nullable String origin,
        @Nullable String metadataKey) {

    /** A column that is not inferred from values: {@code origin} says where it comes from. */
    static RedisInferredColumn described(
            String name, DataType type, boolean primaryKey, String origin) {
        return new RedisInferredColumn(name, type, primaryKey, 0, 0, 1, null, 0, origin, null);
    }

    /** The read-only metadata column {@code metadataKey} of the connector. */
    static RedisInferredColumn metadata(
            String name, DataType type, String metadataKey, String origin) {
        return new RedisInferredColumn(name, type, false, 0, 0, 1, null, 0, origin, metadataKey);
    }

    /** A column inferred from sampled values. */
    public RedisInferredColumn(
            String name,
            DataType type,
            boolean primaryKey,
            int values,
            int parsed,
            double presence,
            @Nullable DataType fallbackFrom,
            int fallbackParsed) {
        this(
                name,
                type,
                primaryKey,
                values,
                parsed,
                presence,
                fallbackFrom,
                fallbackParsed,
                null,
                null);
    }

    /**
     * The share of sampled values that read as the inferred type, 0 to 1; after a fallback to
     * STRING, the share that read as the type most of them read as.
     */
    public double confidence() {
        if (values == 0) {
            return 0;
        }
        return (double) (fallbackFrom != null ? fallbackParsed : parsed) / values;
    }

    /**
     * The column comment the catalog shows: {@code inferred from 100 values: all read as INT; in
     * 100% of keys}, or {@code inferred from 100 values: 80% read as INT, the rest do not: STRING;
     * in 96% of keys}.
     */
    public String comment() {
        if (origin != null) {
            return origin;
        }
        String how;
        if (values == 0) {
            how = "no sampled value";
        } else if (fallbackFrom != null) {
            how =
                    String.format(
                            Locale.ROOT,
                            "inferred from %d values: %.0f%% read as %s, the rest do not: %s",
                            values,
                            100.0 * fallbackParsed / values,
                            fallbackFrom,
                            type);
        } else {
            how =
                    String.format(
                            Locale.ROOT, "inferred from %d values: all read as %s", values, type);
        }
        return how + String.format(Locale.ROOT, "; in %.0f%% of keys", 100 * presence);
    }
}
