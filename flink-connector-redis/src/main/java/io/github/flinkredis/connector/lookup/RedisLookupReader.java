package io.github.flinkredis.connector.lookup;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.convert.RedisRowDataDeserializer;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.model.RedisRecord;
import io.github.flinkredis.connector.model.RedisRecordDeserializer;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.table.connector.source.lookup.LookupOptions;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.util.SimpleUserCodeClassLoader;

/**
 * The lookups of a lookup join, shared by {@link RedisRowDataLookupFunction} (sync) and {@link
 * RedisRowDataAsyncLookupFunction} (async): the key row becomes the Redis key (and member) as scans
 * parse it ({@link RedisLookupKeys}), {@link RedisPointReader} reads it (commands, retries and
 * errors are described there), and the record becomes the joined rows.
 *
 * <p>A missing key or member is no match (no row). A reply that does not parse follows option
 * {@code scan.parse-error.policy} like a scan; retries are option {@code lookup.max-retries}.
 */
@Internal
public final class RedisLookupReader implements Serializable {

    private static final long serialVersionUID = 1L;

    private final RedisPointReader reads;
    private final RedisLookupKeys keys;
    private final RedisRowDataDeserializer deserializer;

    /**
     * @param dataType hash, json, string or zset
     * @param fields what each row needs: hash fields, JSON members (under {@code jsonPath}), the
     *     string's value ({@code value}), or a zset's {@link RedisReadSpec#MEMBER}, {@link
     *     RedisReadSpec#SCORE}, {@link RedisReadSpec#RANK}; the deserializer's field positions
     * @param jsonPath option {@code json.path}
     * @param fetchTtl whether metadata {@code ttl} is selected
     * @param maxRetries option {@code lookup.max-retries}
     */
    public RedisLookupReader(
            RedisConnectionConfig connectionConfig,
            RedisDataType dataType,
            List<String> fields,
            String jsonPath,
            boolean fetchTtl,
            RedisLookupKeys keys,
            int maxRetries,
            RedisRowDataDeserializer deserializer) {
        this.reads =
                new RedisPointReader(
                        connectionConfig,
                        dataType,
                        fields,
                        jsonPath,
                        fetchTtl,
                        maxRetries,
                        "option '" + LookupOptions.MAX_RETRIES.key() + "'",
                        "option 'data-type'");
        this.keys = keys;
        this.deserializer = deserializer;
    }

    /**
     * Takes a reference to the shared client resources, registers the lookup metrics ({@link
     * RedisLookupMetrics}) and opens the deserializer with the function's metric group; connects at
     * the first lookup.
     */
    public void open(FunctionContext context) throws Exception {
        reads.open(context.getMetricGroup());
        RedisRecordDeserializer.open(
                deserializer,
                context.getMetricGroup(),
                SimpleUserCodeClassLoader.create(context.getUserCodeClassLoader()));
    }

    /**
     * Reads the key (and member) of {@code keyRow} and turns it into the joined rows: none for a
     * missing key, else one (for a string with a changelog format, maybe several).
     *
     * @throws IOException naming the key, if Redis failed after the retries or answered an error
     */
    public Collection<RowData> lookup(RowData keyRow) throws IOException {
        try {
            return rows(keyRow, read(keyRow).get());
        } catch (ExecutionException e) {
            throw RedisPointReader.asIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted during a lookup", e);
        }
    }

    /** {@link #lookup} without blocking: the rows are built where Redis's reply completes. */
    public CompletableFuture<Collection<RowData>> asyncLookup(RowData keyRow) {
        return read(keyRow).thenApply(record -> rows(keyRow, record));
    }

    /** What Redis holds for {@code keyRow}'s key, or null where there is nothing to join. */
    private CompletableFuture<RedisRecord> read(RowData keyRow) {
        byte[] key = keys.key(keyRow);
        byte[] member = null;
        if (keys.hasMember()) {
            member = keys.member(keyRow);
            if (member == null) {
                return CompletableFuture.completedFuture(null);
            }
        }
        if (key == null) {
            return CompletableFuture.completedFuture(null);
        }
        return reads.read(key, member);
    }

    private Collection<RowData> rows(RowData keyRow, @Nullable RedisRecord record) {
        if (record == null) {
            return List.of();
        }
        List<RowData> rows = new ArrayList<>(1);
        try {
            // the futures of a cluster's nodes complete on different threads
            synchronized (deserializer) {
                deserializer.deserialize(record, new ListCollector<>(rows));
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new CompletionException(e);
        }
        if (keys.checksFields()) {
            rows.removeIf(row -> !keys.matches(keyRow, row));
        }
        return rows;
    }

    /** Closes the connection. */
    public void close() throws Exception {
        reads.close();
    }
}
