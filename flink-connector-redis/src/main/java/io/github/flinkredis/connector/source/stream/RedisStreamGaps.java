package io.github.flinkredis.connector.source.stream;

import static io.github.flinkredis.connector.source.stream.RedisStreamInfo.infoId;
import static io.github.flinkredis.connector.source.stream.RedisStreamInfo.infoLong;
import static io.github.flinkredis.connector.source.stream.RedisStreamInfo.replyOrNull;

import io.github.flinkredis.connector.client.RedisReplies;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.StreamTrimmedPolicy;
import io.github.flinkredis.connector.model.RedisStreamConsumer;
import io.github.flinkredis.connector.model.RedisStreamEntryId;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.annotation.Nullable;
import org.apache.flink.util.FlinkRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gaps and gauges of the streams a {@link RedisStreamSplitReader} reads: entries trimmed or
 * deleted before they were read, found when a stream's read starts ({@code XINFO STREAM}, or the
 * group gap script with a consumer group) and about once a second with the gauges ({@code XINFO
 * STREAM} or {@code XINFO GROUPS}, on the control connection); a gap is counted in {@code
 * numStreamGaps} and, by {@code scan.stream.trimmed-policy}, fails the read or is logged.
 */
final class RedisStreamGaps {

    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamSplitReader.class);

    /** How often the lag and pending gauges are refreshed. */
    private static final long GAUGE_INTERVAL_MILLIS = 1_000;

    private final RedisConnectionConfig config;
    @Nullable private final RedisStreamConsumer consumer;
    private final StreamTrimmedPolicy trimmedPolicy;
    private final RedisStreamMetrics metrics;
    private final RedisStreamConnections connections;

    /** The streams being read, by split ID (the reader's map). */
    private final Map<String, RedisStreamCursor> cursors;

    /** When the next round of XINFO for the lag and pending gauges goes out (epoch ms). */
    private long nextInfoAt;

    RedisStreamGaps(
            RedisConnectionConfig config,
            @Nullable RedisStreamConsumer consumer,
            StreamTrimmedPolicy trimmedPolicy,
            RedisStreamMetrics metrics,
            RedisStreamConnections connections,
            Map<String, RedisStreamCursor> cursors) {
        this.config = config;
        this.consumer = consumer;
        this.trimmedPolicy = trimmedPolicy;
        this.metrics = metrics;
        this.connections = connections;
        this.cursors = cursors;
    }

    /**
     * Whether entries after the position a stream's read goes on from were deleted before they were
     * read, by {@code XINFO STREAM} (Redis 7.0 and later): its {@code max-deleted-entry-id} above
     * the position (entries removed with XDEL), or, for a position restored from a checkpoint, its
     * {@code first-entry} above it (the stream was trimmed past the last entry emitted, with MAXLEN
     * or XTRIM, so entries after it may be gone unread). Then, by {@code
     * scan.stream.trimmed-policy}, fails, or warns, counts the gap ({@code numStreamGaps}) and goes
     * on with the oldest entry left. Not for a read from the first entry, nor for a consumer group,
     * whose position Redis keeps.
     */
    void checkTrimmed(RedisStreamCursor c, boolean resumed) {
        if (consumer != null) {
            checkGroupTrimmed(c);
            return;
        }
        if (c.last.equals(RedisStreamEntryId.MIN)) {
            return;
        }
        List<Object> info;
        try {
            info =
                    connections
                            .controlCommands()
                            .xinfoStream(c.key)
                            .get(config.getCommandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // no such key (yet), or a server before 7.0: nothing to compare with
            LOG.debug("XINFO STREAM {} for the gap check: {}", c.name, e.toString());
            return;
        }
        RedisStreamEntryId deleted = infoId(info, "max-deleted-entry-id");
        RedisStreamEntryId first = infoId(info, "recorded-first-entry-id");
        String gap;
        if (deleted != null && deleted.compareTo(c.last) > 0) {
            gap =
                    String.format(
                            "entries up to %s were deleted (XDEL) before they were read", deleted);
        } else if (resumed && first != null && first.compareTo(c.last) > 0) {
            gap =
                    String.format(
                            "the stream was trimmed (MAXLEN, XTRIM) past it: its first entry is"
                                    + " now %s",
                            first);
        } else {
            return;
        }
        lost(
                String.format(
                        "Stream '%s' (%s) lost entries after %s, where the read goes on: %s",
                        c.name, config.endpoint(), c.last, gap));
    }

    /** Consumer groups: the gap check ({@link #sendGroupGapCheck}) when a stream's read starts. */
    private void checkGroupTrimmed(RedisStreamCursor c) {
        List<Object> reply;
        try {
            reply =
                    sendGroupGapCheck(c)
                            .get(config.getCommandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // no such key (yet), a server before 7.0, a user without EVAL: nothing to check
            LOG.debug("The group gap check of stream {}: {}", c.name, e.toString());
            return;
        }
        groupGap(c, reply);
    }

    /**
     * A gap: counted in {@code numStreamGaps}; by {@code scan.stream.trimmed-policy}, fails the
     * read or warns.
     */
    void lost(String message) {
        metrics.gaps().inc();
        if (trimmedPolicy == StreamTrimmedPolicy.FAIL) {
            throw new FlinkRuntimeException(
                    message
                            + ". Set 'scan.stream.trimmed-policy' = 'continue' to go on with the"
                            + " oldest entry left.");
        }
        LOG.warn("{}; going on with the oldest entry left", message);
    }

    /**
     * About once a second: takes in the XINFO replies of the last round into the streams' gauges
     * and sends the next round, on the control connection: {@code XINFO GROUPS key} with a consumer
     * group, else {@code XINFO STREAM key}. A failed XINFO leaves the gauges as they were.
     */
    void refreshGauges() {
        long now = System.currentTimeMillis();
        if (now < nextInfoAt || cursors.isEmpty()) {
            return;
        }
        nextInfoAt = now + GAUGE_INTERVAL_MILLIS;
        for (RedisStreamCursor c : cursors.values()) {
            if (c.info != null) {
                if (!c.info.isDone() || (c.gapCheck != null && !c.gapCheck.isDone())) {
                    continue;
                }
                List<Object> reply = replyOrNull(c.info);
                if (consumer != null) {
                    groupGap(c, replyOrNull(c.gapCheck));
                }
                if (reply != null) {
                    if (consumer != null) {
                        List<?> group = ourGroup(reply);
                        if (group != null) {
                            c.gauges.lag = infoLong(group, "lag");
                            c.gauges.pending = infoLong(group, "pending");
                        }
                    } else {
                        streamGauges(c, reply);
                    }
                }
            }
            c.infoLast = c.last;
            c.infoFetched = c.fetched;
            c.info =
                    consumer != null
                            ? connections.controlCommands().xinfoGroups(c.key)
                            : connections.controlCommands().xinfoStream(c.key);
            if (consumer != null) {
                c.gapCheck = sendGroupGapCheck(c);
            }
        }
    }

    /** This source's group in an {@code XINFO GROUPS} reply, or null. */
    @Nullable
    private List<?> ourGroup(List<Object> groupsReply) {
        for (Object g : groupsReply) {
            if (g instanceof List<?> info
                    && consumer.group()
                            .equals(RedisReplies.text(RedisReplies.field(info, "name")))) {
                return info;
            }
        }
        return null;
    }

    /**
     * Consumer groups: finds the entries trimmed or deleted before the group read them, and counts
     * them as read, in one script (atomic, Redis 7.0 and later). From {@code XINFO STREAM} ({@code
     * entries-added}, {@code length}, {@code recorded-first-entry-id}, {@code last-generated-id})
     * and the group's {@code XINFO GROUPS} entry ({@code entries-read}, {@code last-delivered-id}):
     * the entries added after the group's last read one number {@code entries-added -
     * entries-read}; when the group has read the stream's last entry none of them is in the stream,
     * and when its position is before the stream's first entry all {@code length} entries are; the
     * rest were lost to the group. Those it then counts as read with {@code XGROUP SETID key group
     * <last-delivered-id> ENTRIESREAD <n>} (the position stays), so that each gap is found once, by
     * one of the group's readers, and the group's {@code lag} is right again. Returns {@code [lost,
     * last-delivered-id]}, or {@code [-1]} where it cannot tell (no such stream or group, {@code
     * entries-read} unknown, the group between the stream's first and last entries).
     */
    private static final String GROUP_GAP_SCRIPT =
            "local function field(t, name)\n"
                    + "  for i = 1, #t, 2 do if t[i] == name then return t[i + 1] end end\n"
                    + "  return nil\n"
                    + "end\n"
                    + "local function less(a, b)\n"
                    + "  local am, as = string.match(a, '^(%d+)-(%d+)$')\n"
                    + "  local bm, bs = string.match(b, '^(%d+)-(%d+)$')\n"
                    + "  if #am ~= #bm then return #am < #bm end\n"
                    + "  if am ~= bm then return am < bm end\n"
                    + "  if #as ~= #bs then return #as < #bs end\n"
                    + "  return as < bs\n"
                    + "end\n"
                    + "local stream = redis.call('XINFO', 'STREAM', KEYS[1])\n"
                    + "local added = field(stream, 'entries-added')\n"
                    + "local length = field(stream, 'length')\n"
                    + "local first = field(stream, 'recorded-first-entry-id')\n"
                    + "local generated = field(stream, 'last-generated-id')\n"
                    + "if not added or not first or not generated then return {-1} end\n"
                    + "local group = nil\n"
                    + "for _, g in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do\n"
                    + "  if field(g, 'name') == ARGV[1] then group = g end\n"
                    + "end\n"
                    + "if not group then return {-1} end\n"
                    + "local read = field(group, 'entries-read')\n"
                    + "local delivered = field(group, 'last-delivered-id')\n"
                    + "if type(read) ~= 'number' or not delivered then return {-1} end\n"
                    + "local left\n"
                    + "if delivered == generated or length == 0 then left = 0\n"
                    + "elseif less(delivered, first) then left = length\n"
                    + "else return {-1} end\n"
                    + "local lost = added - read - left\n"
                    + "if lost > 0 then\n"
                    + "  redis.call('XGROUP', 'SETID', KEYS[1], ARGV[1], delivered,"
                    + " 'ENTRIESREAD', added - left)\n"
                    + "end\n"
                    + "return {lost, delivered}\n";

    /** Sends {@link #GROUP_GAP_SCRIPT} for stream {@code c} on the control connection. */
    private RedisFuture<List<Object>> sendGroupGapCheck(RedisStreamCursor c) {
        return connections
                .controlCommands()
                .eval(
                        GROUP_GAP_SCRIPT,
                        ScriptOutputType.MULTI,
                        new byte[][] {c.key},
                        consumer.group().getBytes(StandardCharsets.UTF_8));
    }

    /** A gap, by {@code scan.stream.trimmed-policy}, if the group gap check found one. */
    private void groupGap(RedisStreamCursor c, @Nullable List<Object> reply) {
        if (reply == null || reply.size() < 2 || !(reply.get(0) instanceof Long lostEntries)) {
            return;
        }
        if (lostEntries > 0) {
            lost(
                    String.format(
                            "Stream '%s' (%s) lost %d entries that group '%s' never read: they"
                                    + " were trimmed (MAXLEN, XTRIM) or deleted (XDEL) before it"
                                    + " reached them; the group has read up to %s",
                            c.name,
                            config.endpoint(),
                            lostEntries,
                            consumer.group(),
                            RedisReplies.text(reply.get(1))));
        }
    }

    /**
     * The lag from an {@code XINFO STREAM} reply (Redis 7.0+, which counts {@code entries-added}):
     * once the number of entries up to the one read is known, the lag is the entries added since.
     * It is known when the read had read the stream's {@code last-generated-id} as the XINFO was
     * sent, or had read nothing yet (the entries trimmed or deleted before count as read).
     *
     * <p>At such a moment, a running read also checks that it read every entry added since the last
     * one: fewer means entries were trimmed (MAXLEN, XTRIM) or deleted (XDEL) before the read
     * reached them, a gap handled by {@code scan.stream.trimmed-policy} (see {@link #lost}). A read
     * that never catches up with the stream is not checked.
     */
    private void streamGauges(RedisStreamCursor c, List<Object> info) {
        long added = infoLong(info, "entries-added");
        RedisStreamEntryId lastGenerated = infoId(info, "last-generated-id");
        if (added < 0 || lastGenerated == null) {
            return;
        }
        if (c.infoLast.compareTo(lastGenerated) >= 0) {
            long missed =
                    c.anchorAdded < 0
                            ? 0
                            : (added - c.anchorAdded) - (c.infoFetched - c.anchorFetched);
            RedisStreamEntryId since = c.anchorLast;
            c.anchorAdded = added;
            c.anchorFetched = c.infoFetched;
            c.anchorLast = c.infoLast;
            if (missed > 0) {
                c.gauges.lag = 0;
                lost(
                        String.format(
                                "Stream '%s' (%s) lost %d entries added after %s: they were"
                                        + " trimmed (MAXLEN, XTRIM) or deleted (XDEL) before the"
                                        + " read reached them; it read up to %s",
                                c.name, config.endpoint(), missed, since, c.infoLast));
            }
        } else if (c.anchorAdded < 0
                && c.infoFetched == 0
                && c.infoLast.equals(RedisStreamEntryId.MIN)) {
            c.anchorAdded = added - Math.max(0, infoLong(info, "length"));
            c.anchorFetched = 0;
            c.anchorLast = RedisStreamEntryId.MIN;
        }
        if (c.anchorAdded >= 0) {
            c.gauges.lag = Math.max(0, added - c.anchorAdded - (c.infoFetched - c.anchorFetched));
        }
    }
}
