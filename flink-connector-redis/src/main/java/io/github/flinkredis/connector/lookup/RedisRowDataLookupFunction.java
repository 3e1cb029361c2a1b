package io.github.flinkredis.connector.lookup;

import java.io.IOException;
import java.util.Collection;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.LookupFunction;

/**
 * The synchronous lookup of a redis table ({@code 'lookup.async' = 'false'}, the default): each key
 * row waits for its reply, one round trip per lookup; see {@link RedisPointReader} for the
 * commands, retries and errors.
 */
@Internal
public final class RedisRowDataLookupFunction extends LookupFunction {

    private static final long serialVersionUID = 1L;

    private final RedisLookupReader reader;

    public RedisRowDataLookupFunction(RedisLookupReader reader) {
        this.reader = reader;
    }

    @Override
    public void open(FunctionContext context) throws Exception {
        reader.open(context);
    }

    @Override
    public Collection<RowData> lookup(RowData keyRow) throws IOException {
        return reader.lookup(keyRow);
    }

    @Override
    public void close() throws Exception {
        reader.close();
    }
}
