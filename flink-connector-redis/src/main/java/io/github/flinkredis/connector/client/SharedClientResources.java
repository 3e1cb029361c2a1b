package io.github.flinkredis.connector.client;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.util.concurrent.TimeUnit;
import org.apache.flink.annotation.Internal;

/**
 * The Lettuce {@link ClientResources} (event loops, timers) shared by every Redis connection of
 * this connector in one JVM, that is one TaskManager: created by the first {@link #acquire()} and
 * shut down by the {@link #release()} that matches the last one.
 */
@Internal
public final class SharedClientResources {

    private static ClientResources resources;
    private static int references;

    private SharedClientResources() {}

    /** Returns the shared resources, creating them if no one holds them; pair with release(). */
    public static synchronized ClientResources acquire() {
        if (resources == null) {
            resources = DefaultClientResources.create();
        }
        references++;
        return resources;
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

    /** How many holders the shared resources have now; for tests. */
    public static synchronized int referenceCount() {
        return references;
    }
}
