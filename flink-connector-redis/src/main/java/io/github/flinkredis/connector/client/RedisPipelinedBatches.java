package io.github.flinkredis.connector.client;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches of commands in flight on a {@code batched} {@link RedisPipeline}, at most {@code
 * maxInFlight} at a time, whose replies are taken in the order the batches were sent. A batch
 * failing for a transient reason ({@link RedisFailureKind#TRANSIENT}) is sent again on a new
 * connection together with every batch after it, in order (so the commands of one key keep their
 * order), after the pause of the pipeline's {@link RedisRetryPolicy}, up to its {@code maxRetries}
 * times; then, or at once for a command's own error, the owner's call fails with an {@link
 * IOException} carrying the {@link Receiver}'s message (plus {@code " (after n retries,
 * <setting>)"} for a transient one).
 *
 * <p>One thread (the owner's) calls every method; replies arrive on Lettuce's threads and only set
 * a batch's completion flag, so {@link #collectCompleted()} costs O(1) per call.
 *
 * @param <B> the owner's batches
 */
@Internal
public final class RedisPipelinedBatches<B extends RedisPipelinedBatches.Batch> {

    private static final Logger LOG = LoggerFactory.getLogger(RedisPipelinedBatches.class);

    /** What the owner does with a batch's replies. */
    public interface Receiver<B> {
        /**
         * Every reply of {@code batch} arrived: the first failure among them, or null if the batch
         * is written. A failure of the connection rather than of a command ({@link
         * RedisFailureKind#of}) must be transient.
         */
        @Nullable
        Failure check(B batch) throws InterruptedException;

        /** {@code batch} is written (after {@link #check} returned null). */
        void written(B batch);

        /** An attempt of {@code batch} failed (it may be retried). */
        void failed(B batch);
    }

    /**
     * Commands sent in one pipelined write. The owner's subclass issues its commands in {@link
     * #issue}, registering each reply with {@link #add}; a resend calls {@link #clear()} and {@link
     * #issue} again on the new connection.
     */
    public abstract static class Batch {
        final ArrayList<RedisFuture<?>> replies = new ArrayList<>();
        volatile boolean complete;
        volatile int sends;

        /** Issues the batch's commands on {@code commands} (not flushed), calling {@link #add}. */
        protected abstract void issue(RedisClusterAsyncCommands<byte[], byte[]> commands);

        /** Forgets what the subclass noted per command of an earlier send; nothing by default. */
        protected void clear() {}

        /** Registers the reply of the next command of the batch. */
        protected final void add(RedisFuture<?> reply) {
            replies.add(reply);
        }

        /** The number of commands sent. */
        public final int size() {
            return replies.size();
        }

        /** The reply of the {@code i}-th command sent. */
        public final RedisFuture<?> reply(int i) {
            return replies.get(i);
        }

        /** Whether every reply (or failure) of the batch's last send arrived. */
        public final boolean isDone() {
            return complete;
        }
    }

    /** Why a batch failed: a message for the job's failure, and whether a retry may cure it. */
    public static final class Failure {
        final String message;
        final boolean isTransient;

        public Failure(String message, boolean isTransient) {
            this.message = message;
            this.isTransient = isTransient;
        }
    }

    private final RedisPipeline pipeline;
    private final int maxInFlight;
    private final Receiver<B> receiver;
    private final ArrayDeque<B> inFlight = new ArrayDeque<>();
    private volatile long lastSendTimeMillis;

    public RedisPipelinedBatches(RedisPipeline pipeline, int maxInFlight, Receiver<B> receiver) {
        this.pipeline = pipeline;
        this.maxInFlight = maxInFlight;
        this.receiver = receiver;
    }

    /**
     * Sends {@code batch} after taking in the replies of the oldest batches while {@code
     * maxInFlight} are in flight.
     *
     * @throws IOException if an earlier batch failed for good
     */
    public void send(B batch) throws IOException, InterruptedException {
        while (inFlight.size() >= maxInFlight) {
            completeOldest();
        }
        dispatch(batch);
        pipeline.flush();
        inFlight.addLast(batch);
    }

    /** Takes in the replies of batches that are complete, so that errors show without delay. */
    public void collectCompleted() throws IOException, InterruptedException {
        while (!inFlight.isEmpty() && inFlight.peekFirst().isDone()) {
            completeOldest();
        }
    }

    /** Waits until every batch sent is written (or fails for good). */
    public void awaitAll() throws IOException, InterruptedException {
        while (!inFlight.isEmpty()) {
            completeOldest();
        }
    }

    /** Milliseconds from sending the last batch completed to its last reply. */
    public long lastSendTimeMillis() {
        return lastSendTimeMillis;
    }

    /**
     * Waits for the oldest batch's replies; on a transient failure, sends it (and the rest) again.
     */
    private void completeOldest() throws IOException, InterruptedException {
        int attempt = 0;
        long firstFailure = 0;
        while (true) {
            B batch = inFlight.peekFirst();
            Failure failure = await(batch);
            if (failure == null) {
                inFlight.pollFirst();
                receiver.written(batch);
                return;
            }
            receiver.failed(batch);
            if (attempt == 0) {
                firstFailure = System.nanoTime();
            }
            RedisRetryPolicy policy = pipeline.retryPolicy();
            if (!failure.isTransient || !policy.allows(attempt + 1, firstFailure)) {
                throw new IOException(
                        failure.message
                                + (failure.isTransient
                                        ? String.format(
                                                " (after %d retries, %s)",
                                                attempt, policy.retriesSetting())
                                        : ""));
            }
            attempt++;
            LOG.warn(
                    "Writing to Redis failed ({}); sending {} batch(es) again in {} ms, attempt"
                            + " {} of {}",
                    failure.message,
                    inFlight.size(),
                    policy.pauseMillis(attempt),
                    attempt,
                    policy.maxRetries());
            policy.pause(attempt);
            resendAll();
        }
    }

    /** Reconnects and sends every batch in flight again, oldest first. */
    private void resendAll() {
        if (!pipeline.reconnect()) {
            // the next await fails at once and counts as another attempt
            LOG.warn("Could not reconnect to Redis: {}", pipeline.unreachableMessage());
        }
        for (B batch : inFlight) {
            dispatch(batch);
        }
        pipeline.flush();
    }

    /**
     * Issues the commands of {@code batch}, replacing those of an earlier send, and watches them.
     */
    private void dispatch(B batch) {
        long sentAt = System.nanoTime();
        batch.replies.clear();
        batch.clear();
        if (pipeline.isConnected()) {
            batch.issue(pipeline.commands());
        }
        watch(batch, sentAt);
    }

    /** Marks the batch complete (and the send time) when the last reply of this send arrives. */
    private void watch(Batch batch, long sentAt) {
        batch.complete = false;
        // replies of an earlier send of the batch (before a resend) do not count
        int send = ++batch.sends;
        ArrayList<RedisFuture<?>> replies = batch.replies;
        // one connection answers in order: its last reply comes last; a cluster's nodes do not
        CompletableFuture<?> all =
                replies.isEmpty()
                        ? CompletableFuture.completedFuture(null)
                        : pipeline.ordered()
                                ? replies.get(replies.size() - 1).toCompletableFuture()
                                : CompletableFuture.allOf(
                                        replies.stream()
                                                .map(RedisFuture::toCompletableFuture)
                                                .toArray(CompletableFuture[]::new));
        all.whenComplete(
                (ok, failure) -> {
                    if (batch.sends != send) {
                        return;
                    }
                    if (failure == null) {
                        lastSendTimeMillis = (System.nanoTime() - sentAt) / 1_000_000;
                    }
                    batch.complete = true;
                });
    }

    /** Waits for every reply of {@code batch}; the first failure, or null. */
    @Nullable
    private Failure await(B batch) throws InterruptedException {
        if (!pipeline.isConnected()) {
            return new Failure(pipeline.unreachableMessage(), true);
        }
        if (!pipeline.awaitAll(batch.replies)) {
            return new Failure(pipeline.timeoutMessage(batch.size()), true);
        }
        return receiver.check(batch);
    }
}
