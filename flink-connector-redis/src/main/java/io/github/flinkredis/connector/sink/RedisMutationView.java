package io.github.flinkredis.connector.sink;

import io.github.flinkredis.connector.types.spi.RedisWriteRecord;
import org.apache.flink.annotation.Internal;

/**
 * A {@link RedisMutation} as the data types' writers read it: one view per user, pointed at each
 * mutation in turn ({@link #of}), so that no object is made per mutation. Not thread-safe.
 */
@Internal
final class RedisMutationView implements RedisWriteRecord {

    private RedisMutation mutation;

    /** This view, over {@code m}. */
    RedisMutationView of(RedisMutation m) {
        this.mutation = m;
        return this;
    }

    @Override
    public byte[] key() {
        return mutation.key();
    }

    @Override
    public byte[][] fieldNames() {
        return mutation.fieldNames();
    }

    @Override
    public byte[][] values() {
        return mutation.values();
    }

    @Override
    public double score() {
        return mutation.score();
    }

    @Override
    public long timestamp() {
        return mutation.timestamp();
    }

    @Override
    public byte[] entryId() {
        return mutation.entryId();
    }

    @Override
    public long fieldTtlMillis() {
        return mutation.fieldTtlMillis();
    }
}
