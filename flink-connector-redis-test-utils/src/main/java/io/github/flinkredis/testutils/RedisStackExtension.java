package io.github.flinkredis.testutils;

import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension for tests that need the RedisJSON, RedisTimeSeries or RediSearch modules: it
 * provides the {@link RedisServer} named by {@code REDIS_STACK_URL}, and skips the tests, with the
 * reason shown in the report, where that variable is not set.
 */
public class RedisStackExtension implements ExecutionCondition, ParameterResolver {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<RedisServer> stack = RedisServer.stack();
        return stack.isPresent()
                ? ConditionEvaluationResult.enabled("Redis with modules at " + stack.get().url())
                : ConditionEvaluationResult.disabled(
                        "needs a Redis server with modules: set "
                                + RedisServer.REDIS_STACK_URL_ENV
                                + " (e.g. redis://127.0.0.1:6390)");
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext context) {
        return parameterContext.getParameter().getType() == RedisServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
        return RedisServer.stack().orElseThrow();
    }
}
