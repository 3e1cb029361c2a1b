package io.github.flinkredis.connector.types.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.flinkredis.connector.convert.RedisJsonParsers;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.ByteArrayOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;

/**
 * Splits the reply of {@code JSON.GET key path1 path2 ...} into the JSON text of each path's value,
 * with Jackson's streaming parser and without building a tree.
 *
 * <p>RedisJSON answers one JSONPath with an array of the values it matched ({@code [v]}, or {@code
 * []} when it matched nothing) and several with an object from each path to such an array ({@code
 * {"$.a":[1],"$.b":[]}}), in no particular order. A path that matched nothing, or matched JSON
 * {@code null}, gives null; a path that matched several values gives the first.
 */
@Internal
public final class RedisJsonReplies {

    private RedisJsonReplies() {}

    /**
     * The JSON text of each path's value, in the order of {@code paths}.
     *
     * @throws IOException if the reply is not what JSON.GET answers
     */
    public static byte[][] split(byte[] reply, List<String> paths) throws IOException {
        byte[][] values = new byte[paths.size()][];
        try (JsonParser p = RedisJsonParsers.FACTORY.createParser(reply)) {
            JsonToken t = p.nextToken();
            if (paths.size() == 1) {
                values[0] = firstOf(p, reply);
                return values;
            }
            if (t != JsonToken.START_OBJECT) {
                throw new IOException(
                        "JSON.GET of several paths answered " + t + ", not an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                int i = paths.indexOf(p.currentName());
                p.nextToken();
                if (i < 0) {
                    p.skipChildren();
                } else {
                    values[i] = firstOf(p, reply);
                }
            }
        }
        return values;
    }

    /**
     * The text of the first element of the array the parser is on, or null for an empty array or a
     * null first element; leaves the parser on the array's end.
     */
    @Nullable
    private static byte[] firstOf(JsonParser p, byte[] reply) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new IOException(
                    "JSON.GET answered " + p.currentToken() + " for a JSONPath, not an array");
        }
        byte[] first = null;
        boolean seen = false;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (seen) {
                p.skipChildren();
                continue;
            }
            seen = true;
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                continue;
            }
            int start = (int) p.currentTokenLocation().getByteOffset();
            if (p.currentToken().isStructStart()) {
                p.skipChildren();
            } else {
                p.finishToken();
            }
            int end = (int) p.currentLocation().getByteOffset();
            first = Arrays.copyOfRange(reply, start, end);
        }
        return first;
    }

    /**
     * The JSONPath of a member of the value at {@code root}: {@code $.name} for a plain name,
     * {@code $["na me"]} (quotes and backslashes escaped) for any other.
     */
    public static String memberPath(String root, String member) {
        if (member.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            return root + "." + member;
        }
        return root + "[\"" + member.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
    }

    /**
     * The paths a read of {@code fields} asks {@code JSON.GET} for: the {@link #memberPath} of each
     * field under {@code root}, in order; {@code root} itself where {@code fields} is null (the
     * whole value).
     */
    public static List<String> memberPaths(String root, @Nullable List<String> fields) {
        if (fields == null) {
            return List.of(root);
        }
        List<String> paths = new ArrayList<>(fields.size());
        for (String field : fields) {
            paths.add(memberPath(root, field));
        }
        return paths;
    }

    /**
     * Sends {@code JSON.GET key path1 path2 ...}; its reply is split by {@link #split}. The key is
     * added as a key, so that a cluster connection routes the command by its slot.
     */
    public static RedisFuture<byte[]> send(
            RedisClusterAsyncCommands<byte[], byte[]> commands, byte[] key, List<String> paths) {
        CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(key);
        for (String path : paths) {
            args.add(path);
        }
        return commands.dispatch(
                CommandType.JSON_GET, new ByteArrayOutput<>(ByteArrayCodec.INSTANCE), args);
    }
}
