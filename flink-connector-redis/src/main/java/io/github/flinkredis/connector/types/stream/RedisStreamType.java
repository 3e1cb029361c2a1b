package io.github.flinkredis.connector.types.stream;

import static io.github.flinkredis.connector.config.RedisConnectorOptions.*;

import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisWriteOptions;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.types.spi.RedisMemberRead;
import io.github.flinkredis.connector.types.spi.RedisRowColumns;
import io.github.flinkredis.connector.types.spi.RedisRowMutations;
import io.github.flinkredis.connector.types.spi.RedisTableContext;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
import io.github.flinkredis.connector.types.spi.RedisTypeWriter;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.api.ValidationException;

/** Data type {@code stream}: one row per entry of a stream, columns are its fields. */
@Internal
public final class RedisStreamType implements RedisTypeHandler {

    /** The one instance. */
    public static final RedisStreamType INSTANCE = new RedisStreamType();

    private RedisStreamType() {}

    @Override
    public RedisDataType dataType() {
        return RedisDataType.STREAM;
    }

    @Override
    public List<ConfigOption<?>> ownOptions() {
        return List.of(
                SCAN_STARTUP_MODE,
                SCAN_STARTUP_TIMESTAMP_MILLIS,
                SCAN_STARTUP_SPECIFIC_IDS,
                SCAN_BOUNDED_MODE,
                SCAN_BOUNDED_TIMESTAMP_MILLIS,
                SCAN_BOUNDED_SPECIFIC_IDS,
                SCAN_STREAM_BLOCK,
                SCAN_DISCOVERY_INTERVAL,
                SCAN_CONSUMER_GROUP,
                SCAN_CONSUMER_NAME,
                SCAN_CLAIM_MIN_IDLE_TIME,
                VALUE_FIELD,
                SCAN_STREAM_TRIMMED_POLICY,
                SINK_STREAM_MAX_LENGTH);
    }

    @Override
    public boolean acceptsValueFormat() {
        return true;
    }

    /** A stream's entries are told apart by their entry ID: no PRIMARY KEY. */
    @Override
    public void validate(RedisTableContext table) {
        if (table.primaryKey().length > 0) {
            throw new ValidationException(
                    "A table with 'data-type' = 'stream' cannot declare a PRIMARY KEY: a stream"
                            + " holds many entries, told apart by their entry ID (metadata 'id')."
                            + " Read or write the stream's key with a column METADATA FROM 'key',"
                            + " or name one stream with 'key.pattern'.");
        }
    }

    @Override
    public RedisMemberRead memberRead(RedisReadSpec spec) {
        return new RedisStreamEntryPages(spec);
    }

    // ---- writes ----

    @Override
    public RedisTypeWriter writer(RedisWriteOptions options) {
        return new RedisStreamWriter(options.streamMaxLength());
    }

    @Override
    public RedisRowMutations rowMutations(RedisRowColumns columns) {
        return new RedisStreamRowMutations(columns);
    }

    @Override
    public boolean appendOnly() {
        return true;
    }

    @Override
    public boolean writesEntryIds() {
        return true;
    }
}
