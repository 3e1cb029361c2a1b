package io.github.flinkredis.connector.types.timeseries;

import io.github.flinkredis.connector.client.RedisModuleCommand;
import io.github.flinkredis.connector.config.RedisDuplicatePolicy;
import io.github.flinkredis.connector.types.spi.RedisTypeWriter;
import io.github.flinkredis.connector.types.spi.RedisWriteRecord;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.CommandArgs;
import org.apache.flink.annotation.Internal;

/**
 * Timeseries writes: {@code TS.ADD key timestamp value ON_DUPLICATE policy [LABELS label value
 * ...]}; a DELETE is {@code TS.DEL key timestamp timestamp}. An update is paired by the sample's
 * timestamp, only with the duplicate policy {@code LAST} (where a sample at a timestamp the series
 * holds replaces it; a sum, min, max, first or block policy takes the old value into account).
 */
@Internal
final class RedisTimeSeriesWriter implements RedisTypeWriter {

    private final RedisDuplicatePolicy duplicatePolicy;

    RedisTimeSeriesWriter(RedisDuplicatePolicy duplicatePolicy) {
        this.duplicatePolicy = duplicatePolicy;
    }

    @Override
    public boolean upsert(
            RedisClusterAsyncCommands<byte[], byte[]> c,
            RedisWriteRecord m,
            long ttlMillis,
            Replies replies) {
        CommandArgs<byte[], byte[]> args =
                new CommandArgs<>(ByteArrayCodec.INSTANCE)
                        .addKey(m.key())
                        .add(m.timestamp())
                        .add(m.score())
                        .add("ON_DUPLICATE")
                        .add(duplicatePolicy.name());
        if (m.fieldNames().length > 0) {
            args.add("LABELS");
            for (int i = 0; i < m.fieldNames().length; i++) {
                args.add(m.fieldNames()[i]).add(m.values()[i]);
            }
        }
        replies.add(
                "TS.ADD",
                c.dispatch(
                        RedisModuleCommand.TS_ADD,
                        new IntegerOutput<>(ByteArrayCodec.INSTANCE),
                        args));
        return true;
    }

    @Override
    public void delete(
            RedisClusterAsyncCommands<byte[], byte[]> c, RedisWriteRecord m, Replies replies) {
        CommandArgs<byte[], byte[]> args =
                new CommandArgs<>(ByteArrayCodec.INSTANCE)
                        .addKey(m.key())
                        .add(m.timestamp())
                        .add(m.timestamp());
        replies.add(
                "TS.DEL",
                c.dispatch(
                        RedisModuleCommand.TS_DEL,
                        new IntegerOutput<>(ByteArrayCodec.INSTANCE),
                        args));
    }

    @Override
    public boolean pairsUpdates() {
        return duplicatePolicy == RedisDuplicatePolicy.LAST;
    }

    @Override
    public boolean sameRecord(RedisWriteRecord updateBefore, RedisWriteRecord upsert) {
        return updateBefore.timestamp() == upsert.timestamp();
    }
}
