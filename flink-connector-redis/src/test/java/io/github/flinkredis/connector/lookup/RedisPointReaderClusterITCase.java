package io.github.flinkredis.connector.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.RedisTestClient;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.model.RedisRecord;
import io.github.flinkredis.testutils.RedisCluster;
import io.github.flinkredis.testutils.RedisServer;
import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Point reads of a cluster whose nodes answer late or whose slots moved after the reader learned
 * the topology: a key that exists is read, a missing one reads as null, whichever node answers
 * first (redirects followed, EXISTS and the values asked of the node that holds the key).
 */
class RedisPointReaderClusterITCase {

    private static final int KEYS = 100;

    private RedisCluster cluster;
    private RedisPointReader reads;

    @BeforeEach
    void start() throws Exception {
        cluster = RedisCluster.start(3, 0);
        try (RedisTestClient client = RedisTestClient.cluster(cluster.seedUrls())) {
            client.loadHashes(KEYS, i -> "user:" + i, i -> Map.of("name", "n" + i));
        }
        reads =
                new RedisPointReader(
                        RedisConnectionConfig.fromUrl(cluster.seedUrls()).build(),
                        RedisDataType.HASH,
                        List.of("name"),
                        "$",
                        false,
                        8,
                        "retries",
                        "type");
        reads.open();
        reads.connect();
    }

    @AfterEach
    void stop() throws Exception {
        reads.close();
        cluster.close();
    }

    @Test
    void theFirstReadsOfAStalledPrimaryGiveItsKeysWhenItAnswers() throws Exception {
        RedisServer stalled = cluster.primaryOfSlot(SlotHash.getSlot("user:0"));
        List<RedisServer> owners = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            owners.add(cluster.primaryOfSlot(SlotHash.getSlot("user:" + i)));
        }
        List<CompletableFuture<RedisRecord>> results = new ArrayList<>();
        List<CompletableFuture<RedisRecord>> ofOthers = new ArrayList<>();
        // no read went to any node yet: the connection to the stalled one opens when it answers
        stalled.pause();
        try {
            for (int i = 0; i < KEYS; i++) {
                CompletableFuture<RedisRecord> read = reads.read(bytes("user:" + i), null);
                results.add(read);
                if (owners.get(i) != stalled) {
                    ofOthers.add(read);
                }
            }
            RedisCluster.await(
                    "the reads of the other shards",
                    () -> ofOthers.stream().allMatch(CompletableFuture::isDone));
            assertThat(results).anyMatch(r -> !r.isDone());
        } finally {
            stalled.resume();
        }

        for (int i = 0; i < KEYS; i++) {
            assertThat(name(results.get(i).get(30, TimeUnit.SECONDS))).isEqualTo("n" + i);
        }
    }

    @Test
    void keysOfASlotBeingMigratedAndOfAMovedSlotAreReadWhereTheyAre() throws Exception {
        String moved = "user:0";
        int slot = SlotHash.getSlot(moved);
        RedisServer source = cluster.primaryOfSlot(slot);
        RedisServer target =
                cluster.primaries().stream().filter(n -> n != source).findFirst().orElseThrow();
        assertThat(name(reads.read(bytes(moved), null).get())).isEqualTo("n0"); // learns the way
        String other = keyOfSlot(slot, "user:0:");
        String fieldless = keyOfSlot(slot, "user:other:");
        try (RedisTestClient client = RedisTestClient.cluster(cluster.seedUrls())) {
            client.hset(other, Map.of("name", "o"));
            client.hset(fieldless, Map.of("other", "x"));
        }

        // mid-migration: user:0 and the field-less hash already on the target (ASK), the other
        // key still on the source
        target.command("CLUSTER", "SETSLOT", "" + slot, "IMPORTING", id(source));
        source.command("CLUSTER", "SETSLOT", "" + slot, "MIGRATING", id(target));
        for (String key : List.of(moved, fieldless)) {
            source.command("MIGRATE", target.host(), "" + target.port(), key, "0", "5000");
        }
        assertThat(name(reads.read(bytes(moved), null).get())).isEqualTo("n0");
        assertThat(name(reads.read(bytes(other), null).get())).isEqualTo("o");
        RedisRecord fieldlessRecord = reads.read(bytes(fieldless), null).get();
        assertThat(fieldlessRecord).isNotNull();
        assertThat(name(fieldlessRecord)).isNull();
        assertThat(reads.read(bytes(keyOfSlot(slot, "user:none:")), null).get()).isNull();
        assertThat(target.calls("asking")).isPositive(); // the source sent the reads on

        // migrated: the reader's topology still names the source (MOVED)
        source.command("MIGRATE", target.host(), "" + target.port(), other, "0", "5000");
        cluster.assignSlot(slot, target);
        assertThat(name(reads.read(bytes(moved), null).get())).isEqualTo("n0");
        assertThat(name(reads.read(bytes(other), null).get())).isEqualTo("o");
        assertThat(reads.read(bytes(fieldless), null).get()).isNotNull();
        assertThat(reads.read(bytes(keyOfSlot(slot, "user:none:")), null).get()).isNull();
    }

    /** The first key {@code prefix + n} in {@code slot}. */
    private static String keyOfSlot(int slot, String prefix) {
        for (int n = 0; ; n++) {
            if (SlotHash.getSlot(prefix + n) == slot) {
                return prefix + n;
            }
        }
    }

    private static String id(RedisServer node) throws Exception {
        return node.command("CLUSTER", "MYID");
    }

    private static String name(RedisRecord record) {
        byte[] value = record.values()[0];
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
