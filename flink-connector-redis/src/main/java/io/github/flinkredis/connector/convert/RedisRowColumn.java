package io.github.flinkredis.connector.convert;

import java.io.Serializable;
import java.time.ZoneId;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;

/**
 * One column of the rows that {@link RedisRowDataDeserializer} builds: its name, where its value
 * comes from ({@link RedisColumnSource}) with the index there, and its type, with the parser of
 * that type ({@link RedisValueParsers}, or {@link RedisJsonParsers} for a JSON member) made once
 * per column where the deserializer runs.
 */
@Internal
public final class RedisRowColumn implements Serializable {
    private static final long serialVersionUID = 1L;

    final String name;
    final RedisColumnSource source;
    final int index;
    final LogicalType type;
    private final ZoneId zone;
    private final boolean json;

    /** Whether the column is CHAR or VARCHAR: a key read into it must be valid UTF-8. */
    final boolean text;

    /**
     * Made where the deserializer runs, not serialized: parsers are lambdas, which do not survive
     * the relocation of the classes they use in the shaded jar.
     */
    private transient RedisValueParser parser;

    public RedisRowColumn(
            String name, RedisColumnSource source, int index, LogicalType type, ZoneId zone) {
        this(name, source, index, type, zone, false);
    }

    private RedisRowColumn(
            String name,
            RedisColumnSource source,
            int index,
            LogicalType type,
            ZoneId zone,
            boolean json) {
        this.name = name;
        this.source = source;
        this.index = index;
        this.type = type;
        this.zone = zone;
        this.json = json;
        this.text = type.is(LogicalTypeFamily.CHARACTER_STRING);
        if (source == RedisColumnSource.FIELD || source == RedisColumnSource.KEY_PART) {
            parser(); // fails here, at planning, for a type that cannot be read
        }
    }

    /** A column whose value is the JSON text of a member, read by {@link RedisJsonParsers}. */
    public static RedisRowColumn json(String name, int index, LogicalType type, ZoneId zone) {
        return new RedisRowColumn(name, RedisColumnSource.FIELD, index, type, zone, true);
    }

    /** Writes a value back as the connector spells it in keys (see {@link #spell}). */
    private transient RedisValueFormatters.Formatter speller;

    private transient GenericRowData one;

    /**
     * Whether a key part read into this column must be spelled as the connector writes its value:
     * every type but text and binary, whose value is the part's bytes themselves.
     */
    boolean checksSpelling() {
        return source == RedisColumnSource.KEY_PART
                && !text
                && !type.is(LogicalTypeFamily.BINARY_STRING);
    }

    /** {@code value} (of this column's type) as the connector writes it in a key. */
    byte[] spell(Object value) {
        if (speller == null) {
            speller = RedisValueFormatters.create(type);
            one = new GenericRowData(1);
        }
        one.setField(0, value);
        return speller.format(one, 0);
    }

    RedisValueParser parser() {
        if (parser == null) {
            parser =
                    json
                            ? RedisJsonParsers.create(type, zone)
                            : RedisValueParsers.create(type, zone);
        }
        return parser;
    }
}
