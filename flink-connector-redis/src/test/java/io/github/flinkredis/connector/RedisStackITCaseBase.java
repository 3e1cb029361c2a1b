package io.github.flinkredis.connector;

import io.github.flinkredis.testutils.RedisCluster;
import io.github.flinkredis.testutils.RedisServer;
import io.github.flinkredis.testutils.RedisStack;
import io.github.flinkredis.testutils.RedisStackExtension;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Base of the tests that need Redis modules (RedisJSON, RedisTimeSeries): they run against the
 * server and cluster of {@link RedisStack} ({@code REDIS_STACK_URL}, or module files in {@code
 * REDIS_MODULES}) and are skipped, with the reason in the report, where there is none.
 */
@ExtendWith(RedisStackExtension.class)
public abstract class RedisStackITCaseBase extends RedisITCaseBase {

    @Override
    protected RedisServer serverUnderTest(RedisServer shared) throws Exception {
        return RedisStack.server().orElseThrow();
    }

    @Override
    protected RedisCluster clusterUnderTest(RedisCluster shared) throws Exception {
        Assumptions.assumeTrue(
                RedisStack.cluster().isPresent(),
                () -> RedisStack.clusterUnavailableReason().orElse(""));
        return RedisStack.cluster().get();
    }

    /** Skips the test, naming the module, where the server does not know {@code command}. */
    protected void assumeCommand(String command, String module) {
        List<Object> info = client.sync().commandInfo(command);
        Assumptions.assumeTrue(
                info != null && !info.isEmpty() && info.get(0) != null,
                "the Redis server of REDIS_STACK_URL / REDIS_MODULES has no " + module);
    }
}
