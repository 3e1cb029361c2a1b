package io.github.flinkredis.connector.search;

import java.util.Locale;
import org.apache.flink.annotation.Internal;

/** The type of a RediSearch index attribute, as {@code FT.INFO} names it. */
@Internal
public enum RedisSearchFieldType {
    /** Full-text: tokenized, stemmed; only pre-filters can be pushed. */
    TEXT,
    /** Exact values (a separator splits a field into several); case-insensitive by default. */
    TAG,
    /** Double-precision numbers: ranges. */
    NUMERIC,
    GEO,
    GEOSHAPE,
    VECTOR,
    /** A type this connector does not know (a newer server's): never pushed. */
    OTHER;

    /**
     * The type named {@code name} ({@code TAG}, {@code NUMERIC}, ...), {@link #OTHER} if unknown.
     */
    public static RedisSearchFieldType of(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return OTHER;
        }
    }
}
