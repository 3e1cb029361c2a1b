package io.github.flinkredis.connector.model;

import org.apache.flink.annotation.Internal;

/**
 * Redis's glob patterns (those of SCAN MATCH and KEYS) matched on the client: {@code *} any run of
 * bytes, {@code ?} one byte, {@code [abc]}, {@code [a-z]} and {@code [^a]} one byte of (or not of)
 * a set, {@code \x} the byte x itself. For keys found another way than by SCAN (TS.QUERYINDEX),
 * which must still match the table's {@code key.pattern}, and for the catalog's include and exclude
 * patterns.
 */
@Internal
public final class RedisGlob {

    private RedisGlob() {}

    /** Whether {@code key} matches {@code pattern}, byte by byte as Redis's stringmatchlen. */
    public static boolean matches(byte[] pattern, byte[] key) {
        return matches(pattern, 0, key, 0);
    }

    private static boolean matches(byte[] p, int pi, byte[] s, int si) {
        while (pi < p.length) {
            switch (p[pi]) {
                case '*':
                    while (pi + 1 < p.length && p[pi + 1] == '*') {
                        pi++;
                    }
                    if (pi + 1 == p.length) {
                        return true;
                    }
                    for (int i = si; i <= s.length; i++) {
                        if (matches(p, pi + 1, s, i)) {
                            return true;
                        }
                    }
                    return false;
                case '?':
                    if (si == s.length) {
                        return false;
                    }
                    si++;
                    pi++;
                    break;
                case '[':
                    {
                        if (si == s.length) {
                            return false;
                        }
                        int i = pi + 1;
                        boolean not = i < p.length && p[i] == '^';
                        if (not) {
                            i++;
                        }
                        boolean match = false;
                        while (i < p.length && p[i] != ']') {
                            if (p[i] == '\\' && i + 1 < p.length) {
                                i++;
                                match |= p[i] == s[si];
                            } else if (i + 2 < p.length && p[i + 1] == '-' && p[i + 2] != ']') {
                                int lo = Math.min(p[i] & 0xff, p[i + 2] & 0xff);
                                int hi = Math.max(p[i] & 0xff, p[i + 2] & 0xff);
                                int c = s[si] & 0xff;
                                match |= c >= lo && c <= hi;
                                i += 2;
                            } else {
                                match |= p[i] == s[si];
                            }
                            i++;
                        }
                        if (match == not) {
                            return false;
                        }
                        pi = Math.min(i + 1, p.length);
                        si++;
                        break;
                    }
                case '\\':
                    if (pi + 1 < p.length) {
                        pi++;
                    }
                // fall through: the escaped byte itself
                default:
                    if (si == s.length || p[pi] != s[si]) {
                        return false;
                    }
                    si++;
                    pi++;
            }
        }
        return si == s.length;
    }
}
