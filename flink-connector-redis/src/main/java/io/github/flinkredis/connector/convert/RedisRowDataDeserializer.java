package io.github.flinkredis.connector.convert;

import io.github.flinkredis.connector.config.ParseErrorPolicy;
import io.github.flinkredis.connector.config.RedisConnectorOptions;
import io.github.flinkredis.connector.model.RedisBytes;
import io.github.flinkredis.connector.model.RedisRecord;
import io.github.flinkredis.connector.model.RedisRecordDeserializer;
import io.github.flinkredis.connector.model.RedisText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.util.Collector;

/**
 * Builds a {@link RowData} per hash from a {@link RedisRecord}: each output column is a fetched
 * field, a part of the key after the prefix (a PRIMARY KEY column), or the {@code key} / {@code
 * ttl} metadata. One {@link RedisValueParser} per column is made once, at construction.
 *
 * <p>Values that do not parse, and missing values in NOT NULL columns, follow the {@link
 * ParseErrorPolicy} and are counted in {@code numParseErrors}; skipped rows are also counted in
 * {@code numRecordsInErrors}.
 */
@Internal
public final class RedisRowDataDeserializer implements RedisRecordDeserializer<RowData> {

    private static final long serialVersionUID = 1L;

    /** Metric, per reader: values that did not parse or were missing in NOT NULL columns. */
    public static final String METRIC_PARSE_ERRORS = "numParseErrors";

    private static final int MAX_VALUE_CHARS = 200;

    private final RedisRowColumn[] columns;
    private final String keyPrefix;
    private final String keySeparator;
    private final byte[] prefixBytes;
    private final byte[] separatorBytes;
    private final int keyPartCount;
    private final boolean needsKeyParts;
    private final ParseErrorPolicy policy;
    private final TypeInformation<RowData> producedType;

    /** Whether a selected column comes from the value format (else nothing is decoded). */
    private final boolean formatColumns;

    @Nullable private DeserializationSchema<RowData> valueFormat;
    @Nullable private String valueFormatName;
    private boolean valueFormatInsertOnly;
    @Nullable private LogicalType[] valueTypes;
    private transient RowData.FieldGetter[] valueGetters;

    private transient Counter parseErrors;
    private transient Counter recordsInErrors;

    /**
     * @param keyPartCount number of PRIMARY KEY columns the key holds after the prefix
     */
    public RedisRowDataDeserializer(
            List<RedisRowColumn> columns,
            String keyPrefix,
            String keySeparator,
            int keyPartCount,
            ParseErrorPolicy policy,
            TypeInformation<RowData> producedType) {
        this.columns = columns.toArray(new RedisRowColumn[0]);
        this.keyPrefix = keyPrefix;
        this.keySeparator = keySeparator;
        this.prefixBytes = keyPrefix.getBytes(StandardCharsets.UTF_8);
        this.separatorBytes = keySeparator.getBytes(StandardCharsets.UTF_8);
        this.keyPartCount = keyPartCount;
        this.policy = policy;
        this.producedType = producedType;
        boolean parts = false;
        boolean format = false;
        for (RedisRowColumn c : this.columns) {
            parts |= c.source == RedisColumnSource.KEY_PART;
            format |= c.source == RedisColumnSource.VALUE_FORMAT;
        }
        this.needsKeyParts = parts;
        this.formatColumns = format;
    }

    /**
     * Decodes the first value of each record (a string's value) with {@code format}, a Flink
     * format's runtime decoder producing rows of {@code valueTypes}; columns of source {@link
     * RedisColumnSource#VALUE_FORMAT} take their value from the decoded row. A value the format
     * cannot decode is a parse error (see the policy). A value that an insert-only format (json,
     * csv, ...) decodes to no row, such as an empty value that Flink's json format reads as
     * nothing, is a parse error too; a changelog format (debezium-json, canal-json, ...) may decode
     * a value to no row by its protocol (a tombstone, a DDL event), which then gives no row.
     *
     * @param formatName the format's identifier, for messages (e.g. {@code json})
     * @param insertOnly whether the format's changelog mode is insert-only: it decodes every value
     *     to at least one row
     */
    public RedisRowDataDeserializer withValueFormat(
            DeserializationSchema<RowData> format,
            String formatName,
            List<LogicalType> valueTypes,
            boolean insertOnly) {
        this.valueFormat = format;
        this.valueFormatName = formatName;
        this.valueTypes = valueTypes.toArray(new LogicalType[0]);
        this.valueFormatInsertOnly = insertOnly;
        return this;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        if (valueFormat != null) {
            try {
                valueFormat.open(context);
            } catch (Exception e) {
                throw new IllegalStateException(
                        "Cannot open the value format '" + valueFormatName + "'", e);
            }
            decodedRows = new ArrayList<>();
            decodedCollector = new ListCollector<>(decodedRows);
            valueGetters = new RowData.FieldGetter[valueTypes.length];
            for (int i = 0; i < valueTypes.length; i++) {
                valueGetters[i] = RowData.createFieldGetter(valueTypes[i], i);
            }
        }
        parseErrors = context.getMetricGroup().counter(METRIC_PARSE_ERRORS);
        recordsInErrors =
                context.getMetricGroup() instanceof SourceReaderMetricGroup
                        ? ((SourceReaderMetricGroup) context.getMetricGroup())
                                .getNumRecordsInErrorsCounter()
                        : new SimpleCounter();
    }

    @Override
    public void deserialize(RedisRecord record, Collector<RowData> out) {
        if (valueFormat == null || !formatColumns) {
            emit(record, null, out);
            return;
        }
        Object decoded = decode(record);
        if (decoded == SKIP) {
            return; // skipped by policy
        }
        if (decoded == NULL_VALUES) {
            emit(record, new GenericRowData(valueTypes.length), out);
            return;
        }
        // one row, several (a changelog format such as debezium-json turns an update into its
        // before and after rows) or, from a changelog format only, none (a tombstone)
        for (RowData row : decodedRows) {
            emit(record, row, out);
        }
    }

    /** The rows the value format decoded from the current record. */
    private transient List<RowData> decodedRows;

    private transient Collector<RowData> decodedCollector;

    /**
     * Emits the row of {@code record}; the value format's columns from {@code decoded}, whose row
     * kind the row takes (null without a value format).
     */
    private void emit(RedisRecord record, @Nullable RowData decoded, Collector<RowData> out) {
        GenericRowData row = new GenericRowData(columns.length);
        if (decoded != null) {
            row.setRowKind(decoded.getRowKind());
        }
        byte[][] keyParts = null;
        for (int i = 0; i < columns.length; i++) {
            RedisRowColumn c = columns[i];
            Object value;
            if (c.source == RedisColumnSource.KEY_PART) {
                if (keyParts == null) {
                    keyParts = splitKey(record);
                    if (keyParts == null) {
                        return; // skipped by policy
                    }
                }
                value = keyPart(record, c, keyParts[c.index]);
            } else {
                value = value(record, c, decoded);
            }
            if (value == SKIP) {
                return;
            }
            row.setField(i, value);
        }
        out.collect(row);
    }

    /** The value of column {@code c}, of any source but a key part; {@link #SKIP} by policy. */
    private Object value(RedisRecord record, RedisRowColumn c, @Nullable RowData decoded) {
        switch (c.source) {
            case FIELD:
                return record.isSample()
                        ? sample(record, c)
                        : parse(record, c, record.values()[c.index]);
            case LABEL:
                return label(record, c);
            case VALUE_FORMAT:
                return formatted(record, c, decoded);
            case METADATA_KEY:
                return metadataKey(record, c);
            case METADATA_TTL:
                return record.ttlMillis();
            case METADATA_ENTRY_ID:
                return StringData.fromString(record.entryId());
            case METADATA_LABELS:
                return labels(record);
            case METADATA_ENTRY_TIMESTAMP:
                return entryTimestamp(record);
            default:
                throw new IllegalStateException("unknown source " + c.source);
        }
    }

    /** The series label named like column {@code c}, parsed as its type. */
    private Object label(RedisRecord record, RedisRowColumn c) {
        String label = record.labels() == null ? null : record.labels().get(c.name);
        return parse(record, c, label == null ? null : label.getBytes(StandardCharsets.UTF_8));
    }

    /** Column {@code c} of the row the value format decoded; NULL in a NOT NULL column fails. */
    private Object formatted(RedisRecord record, RedisRowColumn c, @Nullable RowData decoded) {
        Object value = valueGetters[c.index].getFieldOrNull(decoded);
        if (value == null && !c.type.isNullable()) {
            return error(
                    record,
                    String.format(
                            "Key '%s' has no value for column '%s' (format '%s'), but the column"
                                    + " is %s",
                            key(record), c.name, valueFormatName, c.type),
                    false);
        }
        return value;
    }

    /** The full key: bytes, or text where it is valid UTF-8 (else a parse error). */
    private Object metadataKey(RedisRecord record, RedisRowColumn c) {
        if (!c.text) {
            return record.key();
        } else if (RedisText.isUtf8(record.key())) {
            return StringData.fromBytes(record.key());
        }
        return notText(record, c, record.key());
    }

    /** The sample's series labels as a MAP. */
    private static GenericMapData labels(RedisRecord record) {
        Map<StringData, StringData> labels = new LinkedHashMap<>();
        if (record.labels() != null) {
            record.labels()
                    .forEach(
                            (k, v) ->
                                    labels.put(StringData.fromString(k), StringData.fromString(v)));
        }
        return new GenericMapData(labels);
    }

    /** The stream entry's time: the milliseconds of its ID. */
    private static TimestampData entryTimestamp(RedisRecord record) {
        String id = record.entryId();
        int dash = id.indexOf('-');
        return TimestampData.fromEpochMillis(Long.parseLong(dash < 0 ? id : id.substring(0, dash)));
    }

    private static final Object SKIP = new Object();

    /**
     * A sample's timestamp or value in a column that takes the number as it is: the timestamp in a
     * BIGINT or TIMESTAMP_LTZ column, the value in a DOUBLE column, as their decimal text would be
     * parsed; any other pairing goes through that text.
     */
    private Object sample(RedisRecord record, RedisRowColumn c) {
        boolean timestamp = record.isSampleTimestamp(c.index);
        switch (c.type.getTypeRoot()) {
            case BIGINT:
                if (timestamp) {
                    return record.sampleTimestamp();
                }
                break;
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                if (timestamp) {
                    return TimestampData.fromEpochMillis(record.sampleTimestamp());
                }
                break;
            case DOUBLE:
                if (!timestamp) {
                    return record.sampleValue();
                }
                break;
            default:
                break;
        }
        return parse(record, c, record.values()[c.index]);
    }

    /** Parses one column's bytes; the error message is built only when there is an error. */
    private Object parse(RedisRecord record, RedisRowColumn c, byte[] bytes) {
        if (bytes == null) {
            String what = describe(c);
            if (c.type.isNullable()) {
                return null;
            }
            return error(
                    record,
                    String.format(
                            "Key '%s' has no %s, but column '%s' is %s",
                            key(record), what, c.name, c.type),
                    false);
        }
        try {
            return c.parser().parse(bytes);
        } catch (Exception e) {
            return error(
                    record,
                    String.format(
                            "Cannot read %s of key '%s' as %s: value '%s' (%s)",
                            describe(c), key(record), c.type, show(bytes), e.getMessage()),
                    c.type.isNullable());
        }
    }

    /**
     * Reads one PRIMARY KEY column from its part of the key. The part must be the value as the
     * connector spells it in keys ({@link RedisValueFormatters}): {@code user:042} is not a second
     * spelling of id 42 (a point read, a lookup or a write of 42 uses {@code user:42}, and a copy
     * would merge both keys into one), so it is a parse error.
     */
    private Object keyPart(RedisRecord record, RedisRowColumn c, byte[] part) {
        if (c.text && !RedisText.isUtf8(part)) {
            return notText(record, c, part);
        }
        Object value = parse(record, c, part);
        if (value == null || value == SKIP || !c.checksSpelling()) {
            return value;
        }
        byte[] spelled = c.spell(value);
        if (Arrays.equals(spelled, part)) {
            return value;
        }
        return error(
                record,
                String.format(
                        "Cannot read key part '%s' of key '%s' as %s: value '%s' is spelled '%s'"
                                + " in keys (a point read, a lookup or a write of this value uses"
                                + " that spelling; declare the column STRING to read keys as"
                                + " they are)",
                        c.name, key(record), c.type, show(part), show(spelled)),
                c.type.isNullable());
    }

    /** Stands for a value that did not decode, read as NULL in every value column (set-null). */
    private static final Object NULL_VALUES = new Object();

    /**
     * Decodes the record's value with the value format into {@link #decodedRows}; returns null, or
     * {@link #SKIP} or {@link #NULL_VALUES} for a value it could not decode, by policy.
     */
    @Nullable
    private Object decode(RedisRecord record) {
        byte[] bytes = record.values()[0];
        decodedRows.clear();
        try {
            if (bytes == null) {
                // a stream entry without the value field
                throw new IllegalArgumentException("no value");
            }
            valueFormat.deserialize(bytes, decodedCollector);
            if (decodedRows.isEmpty() && valueFormatInsertOnly) {
                // e.g. Flink's json format reads an empty value as nothing: not a silent drop
                throw new IllegalArgumentException("the format decoded it to no row");
            }
            return null;
        } catch (Exception e) {
            Object handled =
                    error(
                            record,
                            String.format(
                                    "Cannot decode %s with format '%s': value '%s' (%s)",
                                    record.entryId() == null
                                            ? "the value of key '" + key(record) + "'"
                                            : String.format(
                                                    "field '%s' of entry %s of stream '%s'",
                                                    new String(
                                                            record.fieldNames()[0],
                                                            StandardCharsets.UTF_8),
                                                    record.entryId(),
                                                    key(record)),
                                    valueFormatName,
                                    bytes == null ? "" : show(bytes),
                                    e.getMessage()),
                            true);
            return handled == null ? NULL_VALUES : handled;
        }
    }

    private static String describe(RedisRowColumn c) {
        return (c.source == RedisColumnSource.KEY_PART ? "key part '" : "field '") + c.name + "'";
    }

    /**
     * A key that is not valid UTF-8 in a CHAR or VARCHAR column (a key part, or the metadata {@code
     * key}): a parse error, by policy.
     */
    private Object notText(RedisRecord record, RedisRowColumn c, byte[] bytes) {
        String what =
                c.source == RedisColumnSource.KEY_PART
                        ? String.format(
                                "its part '%s' cannot be read into column '%s'",
                                RedisText.show(bytes), c.name)
                        : "it cannot be read into a column METADATA FROM 'key'";
        return error(
                record,
                String.format(
                        "Key '%s' is not valid UTF-8: %s of type %s. Declare the column BYTES"
                                + " (VARBINARY) to read keys as bytes",
                        key(record), what, c.type),
                c.type.isNullable());
    }

    /**
     * The key's parts after the prefix, split at the first {@code keyPartCount - 1} separators (so
     * only the last part may hold the separator, as {@link RedisKeyBuilder} writes keys); null
     * where the key does not have them, by policy.
     */
    @Nullable
    private byte[][] splitKey(RedisRecord record) {
        byte[] key = record.key();
        if (key.length < prefixBytes.length
                || !Arrays.equals(key, 0, prefixBytes.length, prefixBytes, 0, prefixBytes.length)) {
            error(
                    record,
                    String.format(
                            "Key '%s' does not start with the prefix '%s' (option '%s'), so its"
                                    + " PRIMARY KEY columns cannot be read",
                            key(record), keyPrefix, RedisConnectorOptions.KEY_PREFIX.key()),
                    false);
            return null;
        }
        byte[][] parts = new byte[keyPartCount][];
        int from = prefixBytes.length;
        for (int i = 0; i < keyPartCount - 1; i++) {
            int at = RedisBytes.indexOf(key, separatorBytes, from);
            if (at < 0) {
                error(
                        record,
                        String.format(
                                "Key '%s' has %d part(s) after the prefix '%s', separated by '%s'"
                                        + " (option '%s'), but the PRIMARY KEY has %d column(s)",
                                key(record),
                                i + 1,
                                keyPrefix,
                                keySeparator,
                                RedisConnectorOptions.KEY_SEPARATOR.key(),
                                keyPartCount),
                        false);
                return null;
            }
            parts[i] = Arrays.copyOfRange(key, from, at);
            from = at + separatorBytes.length;
        }
        parts[keyPartCount - 1] = Arrays.copyOfRange(key, from, key.length);
        return parts;
    }

    /** Where {@code part} first occurs in {@code bytes} at or after {@code from}, or -1. */

    /** The record's key for a message: its text, or escaped where it is not plain text. */
    private static String key(RedisRecord record) {
        return RedisText.show(record.key());
    }

    /**
     * Applies the policy to a bad value: throws for FAIL (and for SET_NULL where NULL is not
     * allowed), returns null for SET_NULL and {@link #SKIP} for SKIP_ROW.
     */
    private Object error(RedisRecord record, String message, boolean nullAllowed) {
        parseErrors.inc();
        if (policy == ParseErrorPolicy.SKIP_ROW) {
            recordsInErrors.inc();
            return SKIP;
        }
        if (policy == ParseErrorPolicy.SET_NULL && nullAllowed) {
            return null;
        }
        throw new RedisParseException(
                message
                        + ". Option '"
                        + RedisConnectorOptions.SCAN_PARSE_ERROR_POLICY.key()
                        + "' is '"
                        + policy
                        + "'"
                        + (policy == ParseErrorPolicy.FAIL
                                ? "; 'set-null' or 'skip-row' read such values as NULL or skip"
                                        + " the row."
                                : "; NULL is not allowed here."));
    }

    private static String show(byte[] bytes) {
        String s = RedisText.show(bytes);
        return s.length() <= MAX_VALUE_CHARS ? s : s.substring(0, MAX_VALUE_CHARS) + "...";
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        return producedType;
    }
}
