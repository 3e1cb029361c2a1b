package io.github.flinkredis.connector.model;

import org.apache.flink.annotation.Internal;

/** Byte-string helpers for keys and values, which Redis keeps as bytes. */
@Internal
public final class RedisBytes {

    private RedisBytes() {}

    /**
     * The index of the first occurrence of {@code part} in {@code bytes} at or after {@code from},
     * or -1. An empty {@code part} is found at {@code from} (if {@code from <= bytes.length}).
     */
    public static int indexOf(byte[] bytes, byte[] part, int from) {
        outer:
        for (int i = Math.max(0, from); i + part.length <= bytes.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
