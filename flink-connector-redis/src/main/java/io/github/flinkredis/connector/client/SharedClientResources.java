package io.github.flinkredis.connector.client;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.util.concurrent.TimeUnit;
import org.apache.flink.annotation.Internal;

/**
 * The Lettuce {@link ClientResources} (event loops, timers) shared by every Redis connection of
 * this connector in one JVM, that is one TaskManager: created by the first {@link #acquire()} and
 * shut down by the {@link #release()} that matches the last one.
 *
 * <p>Every connection's channel starts with Netty's {@link FlushConsolidationHandler}: the commands
 * that threads other than Lettuce's event loop write one at a time (lookups: one per input row,
 * each with its own flush) and those written while replies are read go out in one socket write per
 * turn of the event loop (at most {@value #FLUSHES_PER_WRITE} flushes apart) instead of one write
 * system call each; Redis, in turn, reads them in one go. A lone command waits only for the event
 * loop's next task.
 */
@Internal
public final class SharedClientResources {

    /** Flushes consolidated into one at the most (Netty's default). */
    static final int FLUSHES_PER_WRITE = 256;

    private static ClientResources resources;
    private static int references;

    private SharedClientResources() {}

    /** Returns the shared resources, creating them if no one holds them; pair with release(). */
    public static synchronized ClientResources acquire() {
        if (resources == null) {
            resources =
                    DefaultClientResources.builder()
                            .nettyCustomizer(new ConsolidatedFlushes())
                            .build();
        }
        references++;
        return resources;
    }

    /**
     * Holds a reference to the shared resources until the returned handle is closed: for work that
     * opens and closes several connections in a row (planning asks each shard in turn), which would
     * otherwise create the resources (event loops) again for each connection.
     */
    public static Held hold() {
        acquire();
        return SharedClientResources::release;
    }

    /** A reference to the shared resources, given back by {@link #close()}. */
    @FunctionalInterface
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** Gives back one reference; the last one shuts the resources down. */
    public static synchronized void release() {
        if (references == 0) {
            throw new IllegalStateException("release() without acquire()");
        }
        references--;
        if (references == 0) {
            ClientResources toClose = resources;
            resources = null;
            toClose.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    /**
     * Closes a connection and shuts its client down (which leaves the shared resources alone), then
     * gives back the client's reference to the shared resources.
     */
    public static void close(
            io.lettuce.core.api.StatefulConnection<?, ?> connection,
            io.lettuce.core.AbstractRedisClient client) {
        try {
            connection.close();
            client.shutdown();
        } finally {
            release();
        }
    }

    /** Puts a {@link FlushConsolidationHandler} at the head of each connection's channel. */
    private static final class ConsolidatedFlushes implements NettyCustomizer {
        @Override
        public void afterChannelInitialized(Channel channel) {
            channel.pipeline().addFirst(new FlushConsolidationHandler(FLUSHES_PER_WRITE, true));
        }
    }

    /** How many holders the shared resources have now; for tests. */
    public static synchronized int referenceCount() {
        return references;
    }
}
