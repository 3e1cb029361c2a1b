package io.github.flinkredis.connector.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.source.enumerator.RedisEnumeratorState;
import io.github.flinkredis.connector.source.enumerator.RedisEnumeratorStateSerializer;
import io.github.flinkredis.connector.source.split.RedisScanSplit;
import io.github.flinkredis.connector.source.split.RedisScanSplitSerializer;
import io.github.flinkredis.connector.source.split.RedisScanSplitState;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Split state transitions and the versioned serializers. */
class RedisScanSplitTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void stateKeepsTheKeysEmittedFromTheCurrentPageOnly() {
        RedisScanSplitState state =
                new RedisScanSplitState(RedisScanSplit.initial("s", -1, "h:1", "k:*"));

        state.markEmitted("h:1", "0", b("k:1"), null);
        state.markEmitted("h:1", "0", b("k:2"), null);
        assertThat(state.toSplit().cursor()).isEqualTo("0");
        assertThat(state.toSplit().emittedKeys()).containsExactly(b("k:1"), b("k:2"));

        state.markEmitted("h:1", "0", b("k:3"), "17");
        assertThat(state.toSplit().cursor()).isEqualTo("17");
        assertThat(state.toSplit().emittedKeys()).isEmpty();

        state.markEmitted("h:1", "42", b("k:9"), null);
        assertThat(state.toSplit().cursor()).isEqualTo("42");
        assertThat(state.toSplit().emittedKeys()).containsExactly(b("k:9"));

        state.markEmitted("h:1", "42", b("k:10"), RedisScanSplit.END_CURSOR);
        assertThat(state.toSplit().isScanEnded()).isTrue();

        // a restart on another node replaces the node and the cursor
        state.markEmitted("h:2", "0", b("k:1"), null);
        assertThat(state.toSplit().nodeAddress()).isEqualTo("h:2");
        assertThat(state.toSplit().cursor()).isEqualTo("0");
        assertThat(state.toSplit().emittedKeys()).containsExactly(b("k:1"));
    }

    @Test
    void splitSerializerRoundTrips() throws Exception {
        RedisScanSplit split =
                new RedisScanSplit(
                        "shard-0", 0, "h:1", "user:*", "1234", List.of(b("a"), new byte[] {0, -1}));
        RedisScanSplitSerializer serializer = RedisScanSplitSerializer.INSTANCE;

        RedisScanSplit copy =
                serializer.deserialize(serializer.getVersion(), serializer.serialize(split));

        assertThat(copy).isEqualTo(split);
        assertThat(copy.pointKeys()).isNull();
        assertThat(serializer.getVersion()).isEqualTo(3);
        assertThat(copy.openKey()).isNull();
    }

    @Test
    void aPointReadSplitRoundTripsWithItsKeys() throws Exception {
        RedisScanSplit split =
                new RedisScanSplit(
                        "node-h:1",
                        -1,
                        "h:1",
                        "user:*",
                        "0",
                        List.of(b("user:1")),
                        List.of(b("user:1"), b("user:2")));
        RedisScanSplitSerializer serializer = RedisScanSplitSerializer.INSTANCE;

        RedisScanSplit copy =
                serializer.deserialize(serializer.getVersion(), serializer.serialize(split));

        assertThat(copy).isEqualTo(split);
        assertThat(copy.pointKeys()).containsExactly(b("user:1"), b("user:2"));
        assertThat(new RedisScanSplitState(copy).toSplit()).isEqualTo(split);
    }

    @Test
    void stateKeepsTheOpenKeyOfACollectionUntilItsLastMember() throws Exception {
        RedisScanSplitState state =
                new RedisScanSplitState(RedisScanSplit.initial("s", -1, "h:1", "k:*"));

        state.markEmitted("h:1", "0", b("k:1"), null);
        // members of k:2 from the SSCAN page at member cursor 0, then at 77
        state.markMemberEmitted("h:1", "0", b("k:2"), "0", 1);
        state.markMemberEmitted("h:1", "0", b("k:2"), "77", 0);
        state.markMemberEmitted("h:1", "0", b("k:2"), "77", 2);
        RedisScanSplit split = state.toSplit();
        assertThat(split.openKey()).isEqualTo(b("k:2"));
        assertThat(split.memberCursor()).isEqualTo("77");
        assertThat(split.memberSkip()).isEqualTo(2);
        assertThat(split.emittedKeys()).containsExactly(b("k:1"));
        assertThat(split.isAtStart()).isFalse();

        RedisScanSplitSerializer serializer = RedisScanSplitSerializer.INSTANCE;
        RedisScanSplit copy =
                serializer.deserialize(serializer.getVersion(), serializer.serialize(split));
        assertThat(copy).isEqualTo(split);
        assertThat(new RedisScanSplitState(copy).toSplit()).isEqualTo(split);

        // its last member closes the key
        state.markEmitted("h:1", "0", b("k:2"), "5");
        assertThat(state.toSplit().openKey()).isNull();
        assertThat(state.toSplit().memberSkip()).isZero();
        assertThat(state.toSplit().cursor()).isEqualTo("5");
    }

    @Test
    void aVersion2SplitIsRead() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeUTF("node-h:1");
            out.writeInt(-1);
            out.writeUTF("h:1");
            out.writeUTF("user:*");
            out.writeUTF("0");
            out.writeInt(0);
            out.writeBoolean(true);
            out.writeInt(1);
            out.writeInt(6);
            out.write(b("user:1"));
        }

        RedisScanSplit split =
                RedisScanSplitSerializer.INSTANCE.deserialize(2, bytes.toByteArray());

        assertThat(split.pointKeys()).containsExactly(b("user:1"));
        assertThat(split.openKey()).isNull();
    }

    @Test
    void aVersion1SplitIsRead() throws Exception {
        // the layout of version 1: id, first slot, node, pattern, cursor, emitted keys
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeUTF("shard-0");
            out.writeInt(0);
            out.writeUTF("h:1");
            out.writeUTF("user:*");
            out.writeUTF("77");
            out.writeInt(1);
            out.writeInt(6);
            out.write(b("user:9"));
        }

        RedisScanSplit split =
                RedisScanSplitSerializer.INSTANCE.deserialize(1, bytes.toByteArray());

        assertThat(split)
                .isEqualTo(
                        new RedisScanSplit(
                                "shard-0", 0, "h:1", "user:*", "77", List.of(b("user:9"))));
        assertThat(split.pointKeys()).isNull();
    }

    @Test
    void enumeratorStateSerializerRoundTrips() throws Exception {
        RedisEnumeratorState state =
                new RedisEnumeratorState(
                        List.of(
                                RedisScanSplit.initial("a", -1, "h:1", "x*"),
                                new RedisScanSplit("b", 5461, "h:2", "y*", "9", List.of(b("y1")))),
                        true);
        RedisEnumeratorStateSerializer serializer = new RedisEnumeratorStateSerializer();

        RedisEnumeratorState copy =
                serializer.deserialize(serializer.getVersion(), serializer.serialize(state));

        assertThat(copy.splitsDiscovered()).isTrue();
        assertThat(copy.unassignedSplits()).isEqualTo(state.unassignedSplits());
    }
}
