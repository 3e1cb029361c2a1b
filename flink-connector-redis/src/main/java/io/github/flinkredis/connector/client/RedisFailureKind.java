package io.github.flinkredis.connector.client;

import io.lettuce.core.RedisCommandExecutionException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;

/**
 * What a failed command means for whoever sent it; one classification for scans, the stream source,
 * the sink and lookups ({@link RedisPipeline}).
 */
@Internal
public enum RedisFailureKind {

    /**
     * Another attempt may cure it: the connection was lost or refused, the reply did not come
     * within {@code command.timeout}, the client cancelled the command (its connection closed), or
     * an error reply of a passing server state: LOADING, BUSY, TRYAGAIN, CLUSTERDOWN, MASTERDOWN,
     * READONLY (a primary demoted by a failover) or OOM.
     */
    TRANSIENT,

    /**
     * The key's slot is served by another node ({@code MOVED} or {@code ASK}): a cluster connection
     * follows it by itself; a node connection (a scan's) sends the command to the cluster
     * connection.
     */
    REDIRECT,

    /** Any other error reply (WRONGTYPE, NOPERM, a module's error): the command's own error. */
    COMMAND_ERROR;

    private static final String[] TRANSIENT_PREFIXES = {
        "LOADING", "BUSY", "TRYAGAIN", "CLUSTERDOWN", "MASTERDOWN", "READONLY", "OOM"
    };

    /**
     * The kind of {@code failure} (as a future completed with it, with or without the {@link
     * ExecutionException} or {@link CompletionException} around it).
     */
    public static RedisFailureKind of(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (!(cause instanceof RedisCommandExecutionException)) {
            return TRANSIENT;
        }
        return ofErrorReply(cause.getMessage());
    }

    /** The kind of an error reply's text (e.g. {@code WRONGTYPE Operation against a key ...}). */
    public static RedisFailureKind ofErrorReply(@Nullable String error) {
        if (error == null) {
            return COMMAND_ERROR;
        }
        if (error.startsWith("MOVED") || error.startsWith("ASK")) {
            return REDIRECT;
        }
        return isTransientError(error) ? TRANSIENT : COMMAND_ERROR;
    }

    /** Whether an error reply names a passing server state (see {@link #TRANSIENT}). */
    public static boolean isTransientError(@Nullable String error) {
        if (error == null) {
            return false;
        }
        for (String prefix : TRANSIENT_PREFIXES) {
            if (error.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** {@code t} without the CompletionException and ExecutionException around it. */
    public static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
