package io.github.flinkredis.connector.model;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.flink.annotation.Internal;

/**
 * Redis keys and values are bytes; this is how the connector turns them into text. Decoding is
 * strict (a {@link CharsetDecoder} that reports malformed input): bytes that are not UTF-8 are
 * never silently replaced by U+FFFD, which would make distinct keys equal.
 *
 * <ul>
 *   <li>{@link #isUtf8}: whether bytes are valid UTF-8, so that a STRING column can hold them;
 *   <li>{@link #show}: bytes for a message, escaped where they are not plain text, as {@code
 *       redis-cli} shows them ({@code bin:\xff\xfe\x00x});
 *   <li>{@link #identifier}: a string that identifies bytes (e.g. a split ID), equal to their text
 *       where they are UTF-8.
 * </ul>
 */
@Internal
public final class RedisText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RedisText() {}

    /** Whether {@code bytes} are valid UTF-8 (no malformed sequence, no encoded surrogate). */
    public static boolean isUtf8(byte[] bytes) {
        if (isAscii(bytes)) {
            return true;
        }
        try {
            strictDecoder().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /**
     * {@code bytes} for a message: their UTF-8 text where they are valid UTF-8 without control
     * characters or backslashes; else escaped as {@code redis-cli} does, printable ASCII as is,
     * {@code \\} for a backslash and {@code \xNN} for every other byte. Distinct bytes show
     * distinctly.
     */
    public static String show(byte[] bytes) {
        if (isPlainText(bytes)) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        StringBuilder sb = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c == '\\') {
                sb.append("\\\\");
            } else if (c >= 0x20 && c < 0x7f) {
                sb.append((char) c);
            } else {
                sb.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return sb.toString();
    }

    /**
     * A string that identifies {@code bytes}: their UTF-8 text where they are valid UTF-8; else
     * that text with each byte of a malformed sequence as a lone surrogate U+DCxx (as Python's
     * {@code surrogateescape}), which no valid UTF-8 decodes to. Distinct bytes give distinct
     * strings.
     */
    public static String identifier(byte[] bytes) {
        if (isAscii(bytes)) {
            return new String(bytes, StandardCharsets.US_ASCII);
        }
        CharsetDecoder decoder = strictDecoder();
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isUnderflow()) {
                decoder.flush(out);
                return out.flip().toString();
            }
            if (!result.isMalformed()) {
                // overflow cannot happen: no byte decodes to more than one char
                throw new IllegalStateException("Cannot decode: " + result);
            }
            for (int i = 0; i < result.length(); i++) {
                out.put((char) (0xdc00 | (in.get() & 0xff)));
            }
        }
    }

    private static CharsetDecoder strictDecoder() {
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    /** Valid UTF-8 without control characters (C0, DEL) and backslashes. */
    private static boolean isPlainText(byte[] bytes) {
        for (byte b : bytes) {
            if ((b >= 0 && b < 0x20) || b == 0x7f || b == '\\') {
                return false;
            }
        }
        return isUtf8(bytes);
    }
}
