package io.github.flinkredis.connector.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.flinkredis.connector.client.RedisFailureKind;
import io.github.flinkredis.connector.client.RedisPipeline;
import io.github.flinkredis.connector.client.RedisPipelinedBatches.Failure;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisWriteErrorPolicy;
import io.github.flinkredis.connector.config.RedisWriteOptions;
import io.github.flinkredis.connector.model.RedisText;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a sink writer does with rows whose write Redis refused with an error of their own key
 * ({@link #isRecordError}), as {@code sink.error-policy} (or a {@link RedisWriteErrorHandler})
 * says: dead-letter them ({@code XADD <stream> MAXLEN ~ n * key <key> command <name> error <reply>
 * kind <kind> row <json> job <id> task <name> subtask <i>}, in input order, awaited before the
 * batch counts as written), skip them (logged at most once per {@value #LOG_INTERVAL_MILLIS} ms,
 * with the count since the last line) or hand them to the handler. Every such row counts in the
 * writer's {@code numRecordsOutErrors} and in the counter {@code writeErrors.<code>} of its error's
 * code ({@code WRONGTYPE}, {@code ERR}).
 */
@Internal
final class RedisWriteErrors {

    private static final Logger LOG = LoggerFactory.getLogger(RedisWriteErrors.class);

    static final long LOG_INTERVAL_MILLIS = 10_000;

    /** The metric group of the per-code counters. */
    static final String ERRORS_GROUP = "writeErrors";

    /**
     * {@code ERR} replies that say the job's commands are wrong, not one row's key or value: they
     * fail the job under every policy (matched case-insensitively).
     */
    private static final String[] JOB_ERRORS = {
        "unknown command",
        "unknown subcommand",
        "wrong number of arguments",
        "syntax error",
        "protocol error",
        "max number of clients",
        "noscript"
    };

    private static final JsonFactory JSON = new JsonFactory();

    private final RedisWriteErrorPolicy policy;
    @Nullable private final RedisWriteErrorHandler handler;
    private final RedisDataType dataType;
    @Nullable private final byte[] stream;
    private final XAddArgs streamArgs;
    private final byte[] job;
    private final byte[] task;
    private final byte[] subtask;
    private final Counter recordErrors;
    private final MetricGroup metrics;
    private final Map<String, Counter> byCode = new HashMap<>();

    private long lastLog = Long.MIN_VALUE;
    private long unloggedSkips;

    RedisWriteErrors(
            RedisWriteOptions options,
            @Nullable RedisWriteErrorHandler handler,
            MetricGroup metrics,
            Counter recordErrors,
            String jobId,
            String taskName,
            int subtaskIndex) {
        this.policy = options.errorPolicy();
        this.handler = handler;
        this.dataType = options.dataType();
        this.stream =
                options.deadLetterStream() == null
                        ? null
                        : options.deadLetterStream().getBytes(StandardCharsets.UTF_8);
        this.streamArgs =
                new XAddArgs().maxlen(options.deadLetterMaxLength()).approximateTrimming();
        this.job = utf8(jobId);
        this.task = utf8(taskName);
        this.subtask = utf8(Integer.toString(subtaskIndex));
        this.metrics = metrics;
        this.recordErrors = recordErrors;
    }

    /**
     * Whether Redis's {@code error} reply concerns the key (or value) of the one row written, so
     * that the error policy applies: {@code WRONGTYPE}; {@code ERR} replies and a module's replies
     * without an error code (RedisJSON 2.0: {@code Existing key has wrong Redis type}), other than
     * those that mean the job's commands are wrong (an unknown command, wrong arguments, a syntax
     * error). Every other error code (NOPERM, NOAUTH, OOM, READONLY, CROSSSLOT, ...) fails the job.
     */
    static boolean isRecordError(@Nullable String error) {
        if (error == null || error.isBlank()) {
            return false;
        }
        if (error.startsWith("WRONGTYPE")) {
            return true;
        }
        if (!error.startsWith("ERR ") && hasErrorCode(error)) {
            return false;
        }
        String lower = error.toLowerCase(Locale.ROOT);
        for (String jobError : JOB_ERRORS) {
            if (lower.contains(jobError)) {
                return false;
            }
        }
        return true;
    }

    /** The first word of an error reply: its code where it has one ({@code WRONGTYPE}). */
    static String firstWord(String error) {
        int end = error.indexOf(' ');
        return end < 0 ? error : error.substring(0, end);
    }

    /** Whether the reply's first word is an error code: upper-case letters ({@code NOPERM}). */
    private static boolean hasErrorCode(String error) {
        String first = firstWord(error);
        if (first.isEmpty()) {
            return false;
        }
        for (int i = 0; i < first.length(); i++) {
            char ch = first.charAt(i);
            if (ch < 'A' || ch > 'Z') {
                return false;
            }
        }
        return true;
    }

    /** Whether rows whose write fails with a {@linkplain #isRecordError record error} go on. */
    boolean goOn() {
        return handler != null || policy != RedisWriteErrorPolicy.FAIL;
    }

    /**
     * Counts {@code errors} (of one batch, in input order, one per row) and dead-letters, skips or
     * hands them over.
     *
     * @return null when done; a failure of the batch when a dead letter could not be written (a
     *     transient one: the batch, and its dead letters, are sent again) or the handler threw
     */
    @Nullable
    Failure handle(List<RedisWriteError> errors, RedisPipeline pipeline)
            throws InterruptedException {
        if (handler != null) {
            for (RedisWriteError e : errors) {
                try {
                    handler.onError(e);
                } catch (Exception failure) {
                    return new Failure(
                            "The write error handler failed on " + e + ": " + failure, false);
                }
            }
        } else if (policy == RedisWriteErrorPolicy.DEAD_LETTER) {
            Failure failure = deadLetter(errors, pipeline);
            if (failure != null) {
                return failure;
            }
        } else {
            logSkipped(errors);
        }
        count(errors);
        return null;
    }

    private void count(List<RedisWriteError> errors) {
        recordErrors.inc(errors.size());
        for (RedisWriteError e : errors) {
            byCode.computeIfAbsent(
                            e.errorCode(), code -> metrics.addGroup(ERRORS_GROUP).counter(code))
                    .inc();
        }
    }

    /** Writes a dead letter per error, in order, and waits for them. */
    @Nullable
    private Failure deadLetter(List<RedisWriteError> errors, RedisPipeline pipeline)
            throws InterruptedException {
        if (!pipeline.isConnected()) {
            return new Failure(pipeline.unreachableMessage(), true);
        }
        RedisClusterAsyncCommands<byte[], byte[]> c = pipeline.commands();
        List<RedisFuture<String>> replies = new ArrayList<>(errors.size());
        for (RedisWriteError e : errors) {
            replies.add(c.xadd(stream, streamArgs, (Object[]) entry(e)));
        }
        pipeline.flush();
        if (!pipeline.awaitAll(replies)) {
            return new Failure(pipeline.timeoutMessage(replies.size()), true);
        }
        for (int i = 0; i < replies.size(); i++) {
            try {
                replies.get(i).get();
            } catch (ExecutionException failure) {
                Throwable cause = failure.getCause();
                return new Failure(
                        String.format(
                                "Writing the dead letter of %s to stream '%s' (option"
                                        + " 'sink.dead-letter.stream') failed on Redis at %s: %s",
                                errors.get(i),
                                RedisText.show(stream),
                                pipeline.endpoint(),
                                cause.getMessage()),
                        RedisFailureKind.of(cause) == RedisFailureKind.TRANSIENT);
            }
        }
        return null;
    }

    /** The fields and values of the dead-letter entry of {@code e}. */
    private byte[][] entry(RedisWriteError e) {
        RedisMutation m = e.mutation();
        return new byte[][] {
            utf8("key"), m.key(),
            utf8("command"), utf8(e.command()),
            utf8("error"), utf8(e.error()),
            utf8("kind"), utf8(kind(m)),
            utf8("row"), utf8(rowJson(m, dataType)),
            utf8("job"), job,
            utf8("task"), task,
            utf8("subtask"), subtask
        };
    }

    /** {@code UPSERT}, {@code DELETE} or {@code UPDATE_BEFORE} (a DELETE, an update's half). */
    static String kind(RedisMutation m) {
        return m.isUpdateBefore() ? "UPDATE_BEFORE" : m.kind().name();
    }

    /**
     * What {@code m} writes, as JSON: {@code {"fields": {name: value, ...}}} (hash, stream; a NULL
     * value is {@code null}), {@code {"value": v}} (string, json, set, list), {@code {"member": m,
     * "score": s}} (zset), {@code {"timestamp": t, "value": v, "labels": {...}}} (timeseries), and
     * a stream's {@code "id"}. Values that are UTF-8 are JSON strings; others {@code {"base64":
     * "..."}}.
     */
    static String rowJson(RedisMutation m, RedisDataType dataType) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            switch (dataType) {
                case ZSET:
                    if (m.values().length > 0) {
                        g.writeFieldName("member");
                        writeBytes(g, m.values()[0]);
                    }
                    if (m.kind() == RedisMutation.Kind.UPSERT) {
                        g.writeNumberField("score", m.score());
                    }
                    break;
                case TIMESERIES:
                    g.writeNumberField("timestamp", m.timestamp());
                    if (m.kind() == RedisMutation.Kind.UPSERT) {
                        g.writeNumberField("value", m.score());
                        writeFields(g, "labels", m);
                    }
                    break;
                case HASH:
                case STREAM:
                    if (m.entryId() != null) {
                        g.writeFieldName("id");
                        writeBytes(g, m.entryId());
                    }
                    writeFields(g, "fields", m);
                    break;
                default:
                    if (m.values().length > 0) {
                        g.writeFieldName("value");
                        writeBytes(g, m.values()[0]);
                    }
                    break;
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void writeFields(JsonGenerator g, String name, RedisMutation m)
            throws IOException {
        if (m.fieldNames().length == 0) {
            return;
        }
        g.writeObjectFieldStart(name);
        for (int i = 0; i < m.fieldNames().length; i++) {
            g.writeFieldName(RedisText.show(m.fieldNames()[i]));
            writeBytes(g, m.values()[i]);
        }
        g.writeEndObject();
    }

    private static void writeBytes(JsonGenerator g, @Nullable byte[] bytes) throws IOException {
        if (bytes == null) {
            g.writeNull();
        } else if (RedisText.isUtf8(bytes)) {
            g.writeString(new String(bytes, StandardCharsets.UTF_8));
        } else {
            g.writeStartObject();
            g.writeStringField("base64", Base64.getEncoder().encodeToString(bytes));
            g.writeEndObject();
        }
    }

    /** Logs the first skipped row of each interval, with the number skipped since the last line. */
    private void logSkipped(List<RedisWriteError> errors) {
        long now = System.currentTimeMillis();
        if (lastLog != Long.MIN_VALUE && now - lastLog < LOG_INTERVAL_MILLIS) {
            unloggedSkips += errors.size();
            return;
        }
        LOG.warn(
                "Skipped {} row(s) whose write Redis refused (option 'sink.error-policy' = 'skip'),"
                        + " {} more since the last such line; the first: {}",
                errors.size(),
                unloggedSkips,
                errors.get(0));
        lastLog = now;
        unloggedSkips = 0;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
