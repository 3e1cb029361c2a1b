package io.github.flinkredis.connector.client;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One asynchronous read on an {@code immediate} {@link RedisPipeline}, retried on its own: the read
 * is this future, completed with its result, its command's own error ({@link
 * RedisFailureKind#COMMAND_ERROR}) or, once the pipeline's {@link RedisRetryPolicy} allows no more
 * attempts, the subclass's {@link #exhausted} failure.
 *
 * <p>The subclass issues an attempt's commands in {@link #attempt} and {@link #awaitReply}s the
 * last of them: replies on one connection (one node; in a cluster, the node of the key's slot) come
 * in order, so one callback per attempt sees every reply done, and then {@link #replied} runs
 * (again for a further round of commands, e.g. an {@code EXISTS} after nils). The callback is this
 * object: no lambda and no dependent future per command.
 *
 * <p>A transient failure ({@link #retry}) is retried after the policy's pause on a timer thread,
 * which first reopens the connection the attempt used if it is down; after the pipeline is closed,
 * the read fails with that failure.
 *
 * @param <T> the read's result
 */
@Internal
public abstract class RedisRetriedRead<T> extends CompletableFuture<T>
        implements BiConsumer<Object, Throwable>, Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisRetriedRead.class);

    private final RedisPipeline pipeline;

    /** Retries so far. */
    private int attempt;

    /** The commands the current attempt was sent on, or null. */
    @Nullable private RedisClusterAsyncCommands<byte[], byte[]> sentOn;

    /** The last reply awaited; the earlier ones of the same round are done when it is. */
    private RedisFuture<?> awaited;

    protected RedisRetriedRead(RedisPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** Starts the first attempt; returns this. */
    public final RedisRetriedRead<T> start() {
        run();
        return this;
    }

    /**
     * Issues the commands of an attempt on {@code commands} and calls {@link #awaitReply} with the
     * last one's future.
     */
    protected abstract void attempt(RedisClusterAsyncCommands<byte[], byte[]> commands);

    /**
     * Every reply awaited has arrived (each future is done): completes this future, calls {@link
     * #retry} or {@link #awaitReply}s further commands (issued on {@code commands}).
     */
    protected abstract void replied(RedisClusterAsyncCommands<byte[], byte[]> commands);

    /**
     * The failure of the read after {@code attempts} attempts all failed, the last with {@code
     * cause}.
     */
    protected abstract Throwable exhausted(int attempts, Throwable cause);

    /** A message for the log line of a retry (e.g. the key), built only when retrying. */
    protected abstract String describe();

    /**
     * Called when retry {@code attempt} (1 for the first) is scheduled, before its pause: for
     * counting retries. Does nothing by default.
     */
    protected void retrying(int attempt) {}

    /** Calls {@link #replied} when {@code reply} (the last command issued) is done. */
    protected final void awaitReply(RedisFuture<?> reply) {
        awaited = reply;
        reply.whenComplete(this);
    }

    /** The retries so far (0 in the first attempt). */
    protected final int retries() {
        return attempt;
    }

    /**
     * The attempt failed with {@code cause}, which another attempt may cure: retries after the
     * policy's pause, or completes with {@link #exhausted}.
     */
    protected final void retry(Throwable cause) {
        if (pipeline.isClosed()) {
            completeExceptionally(cause);
            return;
        }
        RedisRetryPolicy policy = pipeline.retryPolicy();
        if (!policy.allows(attempt + 1, 0)) {
            completeExceptionally(exhausted(attempt + 1, cause));
            return;
        }
        attempt++;
        retrying(attempt);
        long pause = policy.pauseMillis(attempt);
        LOG.warn("{} failed, retrying in {} ms: {}", describe(), pause, cause.getMessage());
        // on a timer thread: this may run on a Lettuce event loop, where closing (and opening) a
        // connection must not block
        CompletableFuture.delayedExecutor(pause, TimeUnit.MILLISECONDS).execute(this);
    }

    /** Starts an attempt (the first, or a retry on the timer's thread). */
    @Override
    public final void run() {
        if (attempt > 0) {
            pipeline.reconnectIfDown(sentOn);
        }
        RedisClusterAsyncCommands<byte[], byte[]> commands;
        try {
            commands = pipeline.commands();
        } catch (RuntimeException e) {
            sentOn = null;
            if (e instanceof IllegalStateException) {
                completeExceptionally(e); // closed
            } else {
                retry(e);
            }
            return;
        }
        sentOn = commands;
        try {
            attempt(commands);
        } catch (RuntimeException e) {
            retry(e);
        }
    }

    /** The awaited reply is done. */
    @Override
    public final void accept(Object ignored, Throwable failure) {
        RedisFuture<?> last = awaited;
        if (!last.isDone()) {
            return; // a callback of an earlier round
        }
        try {
            replied(sentOn);
        } catch (RuntimeException e) {
            completeExceptionally(e);
        }
    }
}
