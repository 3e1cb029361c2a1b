package io.github.flinkredis.connector.sink;

import java.util.Objects;
import org.apache.flink.annotation.PublicEvolving;

/**
 * A row whose write Redis refused with an error of its own key (see {@link
 * io.github.flinkredis.connector.config.RedisWriteErrorPolicy}): the mutation, the command that
 * failed and Redis's error reply, as a {@link RedisWriteErrorHandler} receives it.
 */
@PublicEvolving
public final class RedisWriteError {

    private final RedisMutation mutation;
    private final String command;
    private final String error;

    public RedisWriteError(RedisMutation mutation, String command, String error) {
        this.mutation = Objects.requireNonNull(mutation);
        this.command = Objects.requireNonNull(command);
        this.error = Objects.requireNonNull(error);
    }

    /** The mutation whose write failed; its key is {@link RedisMutation#key()}. */
    public RedisMutation mutation() {
        return mutation;
    }

    /** The name of the command that failed: {@code HSET}, {@code SET}, {@code EVAL}, ... */
    public String command() {
        return command;
    }

    /** Redis's error reply, e.g. {@code WRONGTYPE Operation against a key holding ...}. */
    public String error() {
        return error;
    }

    /** The error reply's code, its first word: {@code WRONGTYPE}, {@code ERR}. */
    public String errorCode() {
        return RedisWriteErrors.firstWord(error);
    }

    @Override
    public String toString() {
        return command + " of key '" + mutation.keyAsString() + "': " + error;
    }
}
