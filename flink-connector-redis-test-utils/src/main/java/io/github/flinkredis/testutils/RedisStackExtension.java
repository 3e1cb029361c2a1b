package io.github.flinkredis.testutils;

import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 condition for tests that need the RedisJSON, RedisTimeSeries or RediSearch modules: it
 * skips each of them, with the reason shown in the test report, where {@link RedisStack} has no
 * server (neither {@code REDIS_STACK_URL} nor {@code REDIS_MODULES} is set). The tests reach the
 * server through {@link RedisStack#server()} and {@link RedisStack#cluster()}.
 */
public class RedisStackExtension implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<String> reason = RedisStack.unavailableReason();
        if (context.getTestMethod().isEmpty()) {
            // decided per test, so that each skipped test shows the reason in the reports
            return ConditionEvaluationResult.enabled("decided per test");
        }
        return reason.isPresent()
                ? ConditionEvaluationResult.disabled(reason.get())
                : ConditionEvaluationResult.enabled("a Redis server with modules is available");
    }
}
