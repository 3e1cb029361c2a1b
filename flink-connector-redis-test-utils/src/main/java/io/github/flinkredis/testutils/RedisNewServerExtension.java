package io.github.flinkredis.testutils;

import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 condition for tests that need Redis 7.4 or later: it skips each of them, with the reason
 * shown in the test report, where {@link RedisNewServer} has no server ({@code REDIS_NEW_SERVER} is
 * not set). The tests reach the server through {@link RedisNewServer#server()}.
 */
public class RedisNewServerExtension implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<String> reason = RedisNewServer.unavailableReason();
        if (context.getTestMethod().isEmpty()) {
            // decided per test, so that each skipped test shows the reason in the reports
            return ConditionEvaluationResult.enabled("decided per test");
        }
        return reason.isPresent()
                ? ConditionEvaluationResult.disabled(reason.get())
                : ConditionEvaluationResult.enabled("a Redis 7.4+ server is available");
    }
}
