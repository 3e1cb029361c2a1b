package io.github.flinkredis.connector.types.arrow;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.flink.annotation.Internal;

/**
 * The manifest of a columnar table: the string value of the table's manifest key, a JSON document
 * that names the snapshot's batch keys, so that readers see one whole snapshot and a write
 * publishes a new one by replacing this one value.
 *
 * <pre>{@code
 * {"format": "flink-connector-redis/arrow", "version": 1,
 *  "writeId": "3f2a...", "codec": "zstd",
 *  "schema": "<base64 of the Arrow IPC schema message>",
 *  "rows": 4800000,
 *  "batches": [{"key": "sales:{sales}:3f2a...:0-0", "rows": 65536, "bytes": 812345,
 *               "codec": "zstd"}, ...]}
 * }</pre>
 *
 * <p>Each batch names the compression of its own buffers ({@code codec}); the top-level {@code
 * codec} is the one all batches share, {@code mixed} where appends with other {@code
 * arrow.compression} values made them differ, and the publishing write's for a snapshot without
 * batches. Readers need neither: an IPC stream says how its buffers are compressed.
 *
 * <p>{@code schema} is the encapsulated IPC schema message (pyarrow: {@code
 * pa.ipc.read_schema(pa.py_buffer(base64.b64decode(m["schema"])))}); each batch key holds an Arrow
 * IPC stream of that schema ({@code pa.ipc.open_stream(r.get(key)).read_all()}).
 */
@Internal
public final class RedisArrowManifest implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The value of {@code format}. */
    public static final String FORMAT = "flink-connector-redis/arrow";

    /** The version of the layout this class writes and reads. */
    public static final int VERSION = 1;

    private static final JsonFactory JSON = new JsonFactory();

    /** The top-level {@code codec} of a snapshot whose batches use different codecs. */
    public static final String MIXED_CODECS = "mixed";

    /**
     * One batch key of a snapshot: the key, its rows, the bytes of its value and the compression of
     * its buffers.
     */
    public record Batch(String key, long rows, long bytes, RedisArrowCodec codec)
            implements Serializable {
        public Batch {
            Objects.requireNonNull(key);
            Objects.requireNonNull(codec);
        }
    }

    private final String writeId;
    private final RedisArrowCodec codec;
    private final String schema;
    private final List<Batch> batches;

    /**
     * @param writeId the write that published the snapshot
     * @param codec the compression of that write's batches (each batch names its own)
     * @param schema the base64 of the Arrow IPC schema message
     * @param batches its batch keys, in order
     */
    public RedisArrowManifest(
            String writeId, RedisArrowCodec codec, String schema, List<Batch> batches) {
        this.writeId = Objects.requireNonNull(writeId);
        this.codec = Objects.requireNonNull(codec);
        this.schema = Objects.requireNonNull(schema);
        this.batches = List.copyOf(batches);
    }

    /** The base64 of {@code schema} as an encapsulated Arrow IPC schema message. */
    public static String encodeSchema(Schema schema) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            MessageSerializer.serialize(new WriteChannel(Channels.newChannel(out)), schema);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write an Arrow schema to memory", e);
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    public String writeId() {
        return writeId;
    }

    /** The compression of the batches of the write that published this snapshot. */
    public RedisArrowCodec codec() {
        return codec;
    }

    /**
     * The top-level {@code codec} of the JSON document: the codec every batch uses, {@link
     * #MIXED_CODECS} where they differ, {@link #codec()} where there are no batches.
     */
    public String batchCodecs() {
        List<RedisArrowCodec> used = batches.stream().map(Batch::codec).distinct().toList();
        if (used.isEmpty()) {
            return codec.toString();
        }
        return used.size() == 1 ? used.get(0).toString() : MIXED_CODECS;
    }

    public String schema() {
        return schema;
    }

    public List<Batch> batches() {
        return batches;
    }

    /** The rows of all batches. */
    public long rows() {
        return batches.stream().mapToLong(Batch::rows).sum();
    }

    /**
     * This manifest with {@code more} batches after its own, published by {@code newWriteId} whose
     * batches are compressed with {@code newCodec}.
     */
    public RedisArrowManifest append(
            String newWriteId, RedisArrowCodec newCodec, List<Batch> more) {
        List<Batch> all = new ArrayList<>(batches);
        all.addAll(more);
        return new RedisArrowManifest(newWriteId, newCodec, schema, all);
    }

    /** The manifest as its JSON document. */
    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("format", FORMAT);
            g.writeNumberField("version", VERSION);
            g.writeStringField("writeId", writeId);
            g.writeStringField("codec", batchCodecs());
            g.writeStringField("schema", schema);
            g.writeNumberField("rows", rows());
            g.writeArrayFieldStart("batches");
            for (Batch b : batches) {
                g.writeStartObject();
                g.writeStringField("key", b.key());
                g.writeNumberField("rows", b.rows());
                g.writeNumberField("bytes", b.bytes());
                g.writeStringField("codec", b.codec().toString());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write a manifest to memory", e);
        }
        return out.toByteArray();
    }

    /**
     * The manifest in {@code json} (the value of {@code key}). A batch without its own {@code
     * codec} (manifests written before batches named theirs) takes the top-level one.
     *
     * @throws IOException naming {@code key} for a value that is no manifest of this format and
     *     version, or names an unknown codec
     */
    public static RedisArrowManifest parse(byte[] json, String key) throws IOException {
        String format = null;
        Integer version = null;
        String writeId = null;
        String codec = null;
        String schema = null;
        List<String[]> batches = new ArrayList<>();
        try (JsonParser p = JSON.createParser(json)) {
            expect(p.nextToken() == JsonToken.START_OBJECT, key, "a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "format" -> format = p.getValueAsString();
                    case "version" -> version = p.getIntValue();
                    case "writeId" -> writeId = p.getValueAsString();
                    case "codec" -> codec = p.getValueAsString();
                    case "schema" -> schema = p.getValueAsString();
                    case "batches" -> {
                        expect(p.currentToken() == JsonToken.START_ARRAY, key, "a batch list");
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            batches.add(batch(p, key));
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IOException(
                    String.format(
                            "Key '%s' holds no manifest of a columnar table (%s): %s",
                            key, new String(json, StandardCharsets.UTF_8), e.getMessage()),
                    e);
        }
        expect(FORMAT.equals(format), key, "format '" + FORMAT + "'");
        expect(Objects.equals(version, VERSION), key, "version " + VERSION);
        expect(writeId != null && codec != null && schema != null, key, "writeId, codec, schema");
        List<Batch> parsed = new ArrayList<>();
        for (String[] b : batches) {
            String batchCodec = b[3] != null ? b[3] : codec;
            parsed.add(
                    new Batch(
                            b[0],
                            Long.parseLong(b[1]),
                            Long.parseLong(b[2]),
                            codec(batchCodec, key, b[0])));
        }
        RedisArrowCodec writeCodec =
                MIXED_CODECS.equals(codec) && !parsed.isEmpty()
                        ? parsed.get(parsed.size() - 1).codec()
                        : codec(codec, key, null);
        return new RedisArrowManifest(writeId, writeCodec, schema, parsed);
    }

    private static RedisArrowCodec codec(String name, String key, String batchKey)
            throws IOException {
        try {
            return RedisArrowCodec.valueOf(name.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IOException(
                    String.format(
                            "Key '%s'%s: unknown codec '%s' (zstd, lz4 or none)",
                            key, batchKey == null ? "" : ", batch '" + batchKey + "'", name),
                    e);
        }
    }

    /** A batch's key, rows, bytes and codec (null where it names none), as read. */
    private static String[] batch(JsonParser p, String key) throws IOException {
        String batchKey = null;
        long rows = -1;
        long bytes = -1;
        String codec = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "key" -> batchKey = p.getValueAsString();
                case "rows" -> rows = p.getLongValue();
                case "bytes" -> bytes = p.getLongValue();
                case "codec" -> codec = p.getValueAsString();
                default -> p.skipChildren();
            }
        }
        expect(batchKey != null && rows >= 0 && bytes >= 0, key, "batches of key, rows, bytes");
        return new String[] {batchKey, Long.toString(rows), Long.toString(bytes), codec};
    }

    private static void expect(boolean holds, String key, String what) throws IOException {
        if (!holds) {
            throw new IOException(
                    String.format(
                            "Key '%s' holds no manifest of a columnar table: it lacks %s",
                            key, what));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RedisArrowManifest that
                && writeId.equals(that.writeId)
                && codec == that.codec
                && schema.equals(that.schema)
                && batches.equals(that.batches);
    }

    @Override
    public int hashCode() {
        return Objects.hash(writeId, codec, schema, batches);
    }

    @Override
    public String toString() {
        return new String(toJson(), StandardCharsets.UTF_8);
    }
}
