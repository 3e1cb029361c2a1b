package io.github.flinkredis.testutils;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that provides a real {@link RedisServer}, or a real {@link RedisCluster} (3
 * primaries, 3 replicas), as a test or lifecycle method parameter.
 *
 * <p>One server and one cluster at most are started per test JVM (see {@link RedisServer#start()}
 * for where the server comes from; the cluster is always started from a {@code redis-server}
 * binary) and stopped when the JVM's test run ends. Tests share them, so each test flushes them
 * before it starts.
 *
 * <pre>{@code
 * @ExtendWith(RedisExtension.class)
 * class MyITCase {
 *     @Test
 *     void reads(RedisServer redis) { ... redis.url() ... }
 * }
 * }</pre>
 */
public class RedisExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(RedisExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext context) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == RedisServer.class || type == RedisCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
        return parameterContext.getParameter().getType() == RedisCluster.class
                ? sharedCluster(context)
                : shared(context);
    }

    /** The cluster shared by all tests of this JVM, started on first use. */
    public static RedisCluster sharedCluster(ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        "cluster",
                        k -> {
                            try {
                                return new CloseableCluster(RedisCluster.start(3, 1));
                            } catch (java.io.IOException e) {
                                throw new IllegalStateException(
                                        "Could not start a Redis Cluster: " + e.getMessage(), e);
                            }
                        },
                        CloseableCluster.class)
                .cluster;
    }

    private static final class CloseableCluster
            implements ExtensionContext.Store.CloseableResource {
        private final RedisCluster cluster;

        private CloseableCluster(RedisCluster cluster) {
            this.cluster = cluster;
        }

        @Override
        public void close() {
            cluster.close();
        }
    }

    /** The server shared by all tests of this JVM, started on first use. */
    public static RedisServer shared(ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        "server",
                        k -> new CloseableServer(RedisServer.start()),
                        CloseableServer.class)
                .server;
    }

    private static final class CloseableServer implements ExtensionContext.Store.CloseableResource {
        private final RedisServer server;

        private CloseableServer(RedisServer server) {
            this.server = server;
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
