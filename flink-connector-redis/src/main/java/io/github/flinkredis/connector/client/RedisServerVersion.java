package io.github.flinkredis.connector.client;

import org.apache.flink.annotation.Internal;

/** The version of a Redis server, as {@code INFO server} gives it ({@code redis_version:7.4.2}). */
@Internal
public final class RedisServerVersion {

    private RedisServerVersion() {}

    /**
     * The value of {@code redis_version} in the text of {@code INFO server}, or {@code "unknown"}.
     */
    public static String of(String info) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("redis_version:")) {
                return line.substring("redis_version:".length()).trim();
            }
        }
        return "unknown";
    }

    /**
     * Whether {@code version} ({@code major.minor.patch}) is {@code major.minor} or later; false
     * for a version that does not parse.
     */
    public static boolean atLeast(String version, int major, int minor) {
        String[] parts = version.split("\\.");
        try {
            int ma = Integer.parseInt(parts[0]);
            int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return ma > major || (ma == major && mi >= minor);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
