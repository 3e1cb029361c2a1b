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

    /**
     * {@code FT.CREATE <args...>} (as typed in redis-cli, the index name first), then {@link
     * #awaitIndexed}: a new index scans the keyspace in the background, also an empty one, and
     * until it is done the planner rightly reads with SCAN and a read through it fails.
     */
    protected void createIndex(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "FT.CREATE";
        System.arraycopy(args, 0, command, 1, args.length);
        client.command(command);
        awaitIndexed(args[0]);
    }

    /**
     * Polls {@code FT.INFO} until {@code index} has finished its scan of the keyspace ({@code
     * indexing} 0), 30 s at most.
     */
    protected void awaitIndexed(String index) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            List<?> info = (List<?>) client.command("FT.INFO", index);
            int at = info.indexOf("indexing");
            if (at >= 0 && Double.parseDouble(String.valueOf(info.get(at + 1))) == 0) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError(
                "index " + index + " did not finish indexing: " + client.command("FT.INFO", index));
    }

    /** Skips the test, naming the module, where the server does not know {@code command}. */
    protected void assumeCommand(String command, String module) {
        List<Object> info = client.sync().commandInfo(command);
        Assumptions.assumeTrue(
                info != null && !info.isEmpty() && info.get(0) != null,
                "the Redis server of REDIS_STACK_URL / REDIS_MODULES has no " + module);
    }
}
