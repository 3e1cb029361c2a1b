package io.github.flinkredis.connector.convert;

import io.github.flinkredis.connector.config.RedisConnectorOptions;
import io.github.flinkredis.connector.model.RedisBytes;
import io.github.flinkredis.connector.model.RedisText;
import java.io.ByteArrayOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;

/**
 * The Redis key of a row, as the sink writes it and a lookup reads it: the value of the metadata
 * column {@code key} (a BYTES column's bytes, a STRING column's UTF-8); else {@code key.prefix} and
 * the key columns joined by {@code key.separator}, each formatted by {@link RedisValueFormatters}
 * exactly as a scan parses it back (a BYTES column's bytes as they are); else, for a table without
 * key columns, the one key {@code key.pattern} names.
 *
 * <p>A row has no key when a column that builds it is NULL, or when a key column other than the
 * last holds the separator (a scan would split that key elsewhere, so it would belong to other key
 * values); {@link #whyNoKey} says which.
 */
@Internal
public final class RedisKeyBuilder implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String keyPrefix;
    private final byte[] prefix;
    private final byte[] separator;
    @Nullable private final byte[] literalKey;
    private final int keyColumn;
    @Nullable private final String keyColumnName;
    @Nullable private final LogicalType keyColumnType;
    private final int[] parts;
    private final LogicalType[] partTypes;
    private final String[] partNames;

    private transient RedisValueFormatters.Formatter[] formatters;
    private transient RedisValueFormatters.Formatter keyFormatter;

    /**
     * @param keyPrefix option {@code key.prefix}
     * @param keySeparator option {@code key.separator}
     * @param literalKey the key of every row of a table without key columns, or null
     * @param keyColumn position of the column with the full key (metadata {@code key}), or -1
     * @param keyColumnName its name, for messages, or null
     * @param keyColumnType its type, STRING or BYTES (or another character or binary string), or
     *     null
     * @param parts positions of the columns that build the key, in key order
     * @param partTypes their types
     * @param partNames their names, for messages
     */
    public RedisKeyBuilder(
            String keyPrefix,
            String keySeparator,
            @Nullable String literalKey,
            int keyColumn,
            @Nullable String keyColumnName,
            @Nullable LogicalType keyColumnType,
            int[] parts,
            LogicalType[] partTypes,
            String[] partNames) {
        this.keyPrefix = keyPrefix;
        this.prefix = keyPrefix.getBytes(StandardCharsets.UTF_8);
        this.separator = keySeparator.getBytes(StandardCharsets.UTF_8);
        this.literalKey = literalKey == null ? null : literalKey.getBytes(StandardCharsets.UTF_8);
        this.keyColumn = keyColumn;
        this.keyColumnName = keyColumnName;
        this.keyColumnType = keyColumnType;
        this.parts = parts.clone();
        this.partTypes = partTypes.clone();
        this.partNames = partNames.clone();
    }

    /** The key of {@code row}, or null if it has none (see {@link #whyNoKey}). */
    @Nullable
    public byte[] key(RowData row) {
        if (keyColumn >= 0) {
            if (keyFormatter == null) {
                keyFormatter = RedisValueFormatters.create(keyColumnType);
            }
            return row.isNullAt(keyColumn) ? null : keyFormatter.format(row, keyColumn);
        }
        if (parts.length == 0 && literalKey != null) {
            return literalKey;
        }
        RedisValueFormatters.Formatter[] f = formatters();
        ByteArrayOutputStream out = new ByteArrayOutputStream(prefix.length + 16);
        out.writeBytes(prefix);
        for (int i = 0; i < parts.length; i++) {
            if (row.isNullAt(parts[i])) {
                return null;
            }
            if (i > 0) {
                out.writeBytes(separator);
            }
            byte[] part = f[i].format(row, parts[i]);
            if (i < parts.length - 1 && RedisBytes.indexOf(part, separator, 0) >= 0) {
                return null;
            }
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /**
     * Why {@link #key} is null for {@code row}: a message naming the column and the options.
     *
     * @throws IllegalStateException if {@code row} has a key
     */
    public String whyNoKey(RowData row) {
        if (keyColumn >= 0 && row.isNullAt(keyColumn)) {
            return String.format(
                    "Column '%s' (metadata 'key') is NULL: a row needs the key to write to.",
                    keyColumnName);
        }
        RedisValueFormatters.Formatter[] f = formatters();
        for (int i = 0; keyColumn < 0 && i < parts.length; i++) {
            if (row.isNullAt(parts[i])) {
                return String.format(
                        "Column '%s' of the PRIMARY KEY is NULL, so the key (option '%s' = '%s'"
                                + " and the PRIMARY KEY values) cannot be built.",
                        partNames[i], RedisConnectorOptions.KEY_PREFIX.key(), keyPrefix);
            }
            byte[] part = f[i].format(row, parts[i]);
            if (i < parts.length - 1 && RedisBytes.indexOf(part, separator, 0) >= 0) {
                return String.format(
                        "Column '%s' of the PRIMARY KEY holds '%s', which contains the key"
                                + " separator '%s' (option '%s'): the key would be ambiguous."
                                + " Only the last key column may contain it; choose another"
                                + " separator.",
                        partNames[i],
                        RedisText.show(part),
                        RedisText.show(separator),
                        RedisConnectorOptions.KEY_SEPARATOR.key());
            }
        }
        throw new IllegalStateException("The row has a key");
    }

    private RedisValueFormatters.Formatter[] formatters() {
        if (formatters == null) {
            RedisValueFormatters.Formatter[] f = new RedisValueFormatters.Formatter[parts.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = RedisValueFormatters.create(partTypes[i]);
            }
            formatters = f;
        }
        return formatters;
    }
}
