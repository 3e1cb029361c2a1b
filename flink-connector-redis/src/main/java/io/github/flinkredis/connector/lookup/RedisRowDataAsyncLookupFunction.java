package io.github.flinkredis.connector.lookup;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.AsyncLookupFunction;
import org.apache.flink.table.functions.FunctionContext;

/**
 * The asynchronous lookup of a redis table ({@code 'lookup.async' = 'true'}): up to Flink's {@code
 * table.exec.async-lookup.buffer-capacity} lookups in flight, their commands pipelined on one
 * connection per task; see {@link RedisPointReader} for the commands, retries and errors. Whether
 * joined rows keep the input order is Flink's {@code table.exec.async-lookup.output-mode}.
 */
@Internal
public final class RedisRowDataAsyncLookupFunction extends AsyncLookupFunction {

    private static final long serialVersionUID = 1L;

    private final RedisLookupReader reader;

    public RedisRowDataAsyncLookupFunction(RedisLookupReader reader) {
        this.reader = reader;
    }

    @Override
    public void open(FunctionContext context) throws Exception {
        reader.open(context);
    }

    @Override
    public CompletableFuture<Collection<RowData>> asyncLookup(RowData keyRow) {
        return reader.asyncLookup(keyRow);
    }

    @Override
    public void close() throws Exception {
        reader.close();
    }
}
