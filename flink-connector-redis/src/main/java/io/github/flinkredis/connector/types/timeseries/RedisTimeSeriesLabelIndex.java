package io.github.flinkredis.connector.types.timeseries;

import io.github.flinkredis.connector.client.RedisModuleCommand;
import io.github.flinkredis.connector.client.RedisReplies;
import io.github.flinkredis.connector.types.spi.RedisKeySource;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.protocol.CommandArgs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.annotation.Internal;

/**
 * A timeseries read chosen by labels ({@code scan.timeseries.label-filter}): the series are the
 * keys {@code TS.QUERYINDEX <filter>...} answers on a split's node, instead of those SCAN finds.
 */
@Internal
final class RedisTimeSeriesLabelIndex implements RedisKeySource {

    private final List<String> filter;

    /**
     * @param filter the label filter expressions ({@code label=value}, ...), sent as given
     */
    RedisTimeSeriesLabelIndex(List<String> filter) {
        this.filter = filter;
    }

    /** {@code TS.QUERYINDEX <filter>...}. */
    @Override
    public RedisFuture<List<Object>> send(RedisClusterAsyncCommands<byte[], byte[]> commands) {
        CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE);
        for (String expression : filter) {
            args.add(expression);
        }
        return commands.dispatch(
                RedisModuleCommand.TS_QUERYINDEX, new ArrayOutput<>(ByteArrayCodec.INSTANCE), args);
    }

    @Override
    public String command() {
        return "TS.QUERYINDEX " + String.join(" ", filter);
    }

    /** The series keys of the reply: bulk strings, or text (UTF-8). */
    @Override
    public List<byte[]> keys(List<Object> reply) {
        List<byte[]> keys = new ArrayList<>(reply.size());
        for (Object o : reply) {
            keys.add(
                    o instanceof byte[] b
                            ? b
                            : RedisReplies.text(o).getBytes(StandardCharsets.UTF_8));
        }
        return keys;
    }
}
