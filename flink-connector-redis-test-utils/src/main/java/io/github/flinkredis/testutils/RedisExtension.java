package io.github.flinkredis.testutils;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that provides a real {@link RedisServer} as a test or lifecycle method
 * parameter.
 *
 * <p>One server is started per test JVM (see {@link RedisServer#start()} for where it comes from)
 * and stopped when the JVM's test run ends. Tests share it, so each test uses its own key prefix,
 * or flushes the server before it starts.
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
        return parameterContext.getParameter().getType() == RedisServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
        return shared(context);
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
