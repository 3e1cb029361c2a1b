package io.github.flinkredis.connector.types.spi;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.List;
import org.apache.flink.annotation.Internal;

/**
 * Where a split reader finds the keys of a split instead of with {@code SCAN}: one command on the
 * split's node, whose reply lists the keys (timeseries chosen by labels: {@code TS.QUERYINDEX}).
 * The reader keeps those that match the split's key pattern (or are among its point keys) and reads
 * them in byte order, as the split's one page. Built once per reader (see {@link
 * RedisTypeHandler#keySource}).
 */
@Internal
public interface RedisKeySource {

    /** Sends the command that lists the keys, on {@code commands} (not flushed). */
    RedisFuture<List<Object>> send(RedisClusterAsyncCommands<byte[], byte[]> commands);

    /** The command as sent, for messages (for example {@code TS.QUERYINDEX a=b}). */
    String command();

    /** The keys in the reply of {@link #send}, in reply order. */
    List<byte[]> keys(List<Object> reply);
}
