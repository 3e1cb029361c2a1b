package io.github.flinkredis.connector.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisEndpoint;
import io.github.flinkredis.testutils.RedisCluster;
import io.github.flinkredis.testutils.RedisFaultProxy;
import io.github.flinkredis.testutils.RedisServer;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link RedisPipeline} and {@link RedisPipelinedBatches} against real servers: replies in order
 * across batches in flight, a dropped connection retried, a stalled server timing out, and a slot
 * moved in a cluster.
 */
class RedisPipelineITCase {

    private static RedisServer server;

    @BeforeAll
    static void startServer() {
        server = RedisServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void batchesInFlightAreAnsweredInOrder() throws Exception {
        server.command("DEL", "pipeline:list");
        Recorder<Push> recorder = new Recorder<>();
        try (RedisPipeline pipeline = batched(server.url(), Duration.ofSeconds(10), 0)) {
            RedisPipelinedBatches<Push> batches =
                    new RedisPipelinedBatches<>(pipeline, 2, recorder);
            for (int b = 0; b < 20; b++) {
                batches.send(new Push("pipeline:list", b * 10, 10));
                batches.collectCompleted();
            }
            batches.awaitAll();
        }
        List<Integer> firsts = new ArrayList<>();
        recorder.written.forEach(p -> firsts.add(p.first));
        assertThat(firsts).isSorted().hasSize(20);
        // RPUSH replies are the list's length: 1..200 in the order of the commands
        long expected = 1;
        for (Push p : recorder.written) {
            for (int i = 0; i < p.size(); i++) {
                assertThat(p.reply(i).get()).isEqualTo(expected++);
            }
        }
        assertThat(server.command("LLEN", "pipeline:list").trim()).isEqualTo("200");
    }

    @Test
    void aDroppedConnectionIsRetriedOnANewOneInOrder() throws Exception {
        server.command("DEL", "pipeline:dropped");
        Recorder<Set> recorder = new Recorder<>();
        try (RedisFaultProxy proxy =
                        RedisFaultProxy.dropOn(server, 1, "SET", "pipeline:dropped", "5");
                RedisPipeline pipeline = batched(proxy.url(), Duration.ofSeconds(10), 3)) {
            RedisPipelinedBatches<Set> batches = new RedisPipelinedBatches<>(pipeline, 4, recorder);
            for (int v = 0; v < 10; v++) {
                batches.send(new Set("pipeline:dropped", v));
            }
            batches.awaitAll();
            assertThat(proxy.drops()).isEqualTo(1);
        }
        assertThat(recorder.failed).isPositive();
        assertThat(recorder.written).hasSize(10);
        assertThat(server.command("GET", "pipeline:dropped").trim()).isEqualTo("9");
    }

    @Test
    void aStalledServerFailsNamingTheCommandTimeout() throws Exception {
        try (RedisPipeline pipeline = batched(server.url(), Duration.ofMillis(300), 0)) {
            RedisPipelinedBatches<Set> batches =
                    new RedisPipelinedBatches<>(pipeline, 1, new Recorder<Set>());
            server.pause();
            try {
                batches.send(new Set("pipeline:stalled", 1));
                assertThatThrownBy(batches::awaitAll)
                        .isInstanceOf(IOException.class)
                        .hasMessageContaining("did not answer 1 pipelined commands within 300 ms")
                        .hasMessageContaining("option 'command.timeout'")
                        .hasMessageContaining("(after 0 retries, option 'test.max-retries')");
            } finally {
                server.resume();
            }
        }
    }

    @Test
    void anErrorReplyFailsAtOnce() throws Exception {
        server.command("SET", "pipeline:string", "x");
        Recorder<Push> recorder = new Recorder<>();
        try (RedisPipeline pipeline = batched(server.url(), Duration.ofSeconds(10), 5)) {
            RedisPipelinedBatches<Push> batches =
                    new RedisPipelinedBatches<>(pipeline, 1, recorder);
            batches.send(new Push("pipeline:string", 0, 1));
            assertThatThrownBy(batches::awaitAll)
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("WRONGTYPE")
                    .hasMessageNotContaining("retries");
        }
        assertThat(recorder.failed).isEqualTo(1);
    }

    @Test
    void aSlotMovedInAClusterIsFollowed() throws Exception {
        try (RedisCluster cluster = RedisCluster.start(2, 0);
                RedisPipeline pipeline = batched(cluster.seedUrls(), Duration.ofSeconds(10), 0)) {
            Recorder<Set> recorder = new Recorder<>();
            RedisPipelinedBatches<Set> batches = new RedisPipelinedBatches<>(pipeline, 2, recorder);
            String key = "pipeline:moved";
            batches.send(new Set(key, 1));
            batches.awaitAll();

            int slot = SlotHash.getSlot(key);
            RedisServer source = cluster.primaryOfSlot(slot);
            RedisServer target =
                    cluster.primaries().stream().filter(n -> n != source).findFirst().orElseThrow();
            target.command("CLUSTER", "SETSLOT", "" + slot, "IMPORTING", id(source));
            source.command("CLUSTER", "SETSLOT", "" + slot, "MIGRATING", id(target));
            source.command("MIGRATE", target.host(), "" + target.port(), key, "0", "5000");
            cluster.assignSlot(slot, target);

            // the pipeline's topology still names the source: MOVED, followed by the client
            for (int v = 2; v <= 5; v++) {
                batches.send(new Set(key, v));
            }
            batches.awaitAll();
            assertThat(recorder.failed).isZero();
            assertThat(target.command("GET", key).trim()).isEqualTo("5");
            assertThat(source.command("DBSIZE").trim()).isEqualTo("0");
        }
    }

    @Test
    void aPipelineOnOneNodeNamesTheNodeAndItsEndpoint() throws Exception {
        RedisConnectionConfig config =
                RedisConnectionConfig.fromUrl(server.url())
                        .commandTimeout(Duration.ofMillis(300))
                        .build();
        RedisEndpoint node = config.getNodes().get(0);
        RedisPipeline pipeline =
                RedisPipeline.onNode(
                        config,
                        node,
                        false,
                        RedisRetryPolicy.within(
                                config.getCommandTimeout(), "option 'command.timeout'"),
                        "test");
        try {
            assertThat(pipeline.node()).isEqualTo(node);
            assertThat(pipeline.isOpen()).isTrue();
            server.pause();
            List<RedisFuture<?>> replies = new ArrayList<>();
            try {
                replies.add(pipeline.commands().ping());
                pipeline.flush();
                assertThat(pipeline.awaitAll(replies)).isFalse();
            } finally {
                server.resume();
            }
            assertThat(pipeline.timeoutMessage(1))
                    .isEqualTo(
                            "Redis node "
                                    + node
                                    + " (of "
                                    + config.endpoint()
                                    + ") did not answer 1 pipelined commands within 300 ms"
                                    + " (option 'command.timeout')");
            assertThat(pipeline.awaitAll(replies)).isTrue();
        } finally {
            pipeline.close();
        }
        assertThat(pipeline.isOpen()).isFalse();
    }

    private static RedisPipeline batched(String url, Duration timeout, int maxRetries) {
        return RedisPipeline.batched(
                RedisConnectionConfig.fromUrl(url).commandTimeout(timeout).build(),
                RedisRetryPolicy.maxRetries(maxRetries, "option 'test.max-retries'"),
                "test");
    }

    private static String id(RedisServer node) throws IOException {
        return node.command("CLUSTER", "MYID").trim();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code RPUSH key first} ... {@code RPUSH key first+count-1}, one command each. */
    private static final class Push extends RedisPipelinedBatches.Batch {
        final String key;
        final int first;
        final int count;

        Push(String key, int first, int count) {
            this.key = key;
            this.first = first;
            this.count = count;
        }

        @Override
        protected void issue(RedisClusterAsyncCommands<byte[], byte[]> commands) {
            for (int i = first; i < first + count; i++) {
                add(commands.rpush(bytes(key), bytes(Integer.toString(i))));
            }
        }
    }

    /** {@code SET key value}. */
    private static final class Set extends RedisPipelinedBatches.Batch {
        final String key;
        final int value;

        Set(String key, int value) {
            this.key = key;
            this.value = value;
        }

        @Override
        protected void issue(RedisClusterAsyncCommands<byte[], byte[]> commands) {
            add(commands.set(bytes(key), bytes(Integer.toString(value))));
        }
    }

    /** Checks replies as the sink does: the first failure, transient unless an error reply. */
    private static final class Recorder<B extends RedisPipelinedBatches.Batch>
            implements RedisPipelinedBatches.Receiver<B> {
        final List<B> written = new ArrayList<>();
        int failed;

        @Nullable
        @Override
        public RedisPipelinedBatches.Failure check(B batch) throws InterruptedException {
            for (int i = 0; i < batch.size(); i++) {
                try {
                    batch.reply(i).get();
                } catch (Exception e) {
                    Throwable cause = RedisFailureKind.unwrap(e);
                    return new RedisPipelinedBatches.Failure(
                            String.valueOf(cause.getMessage()),
                            RedisFailureKind.of(cause) != RedisFailureKind.COMMAND_ERROR);
                }
            }
            return null;
        }

        @Override
        public void written(B batch) {
            written.add(batch);
        }

        @Override
        public void failed(B batch) {
            failed++;
        }
    }
}
