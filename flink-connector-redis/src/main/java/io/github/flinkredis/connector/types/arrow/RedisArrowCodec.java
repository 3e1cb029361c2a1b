package io.github.flinkredis.connector.types.arrow;

import java.util.Locale;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.flink.annotation.Internal;

/**
 * The buffer compression of a columnar table's batches (Arrow IPC body compression): {@code zstd},
 * {@code lz4} (LZ4_FRAME) or {@code none}. A reader needs no setting: each batch says how its
 * buffers are compressed.
 */
@Internal
public enum RedisArrowCodec {
    ZSTD(CompressionUtil.CodecType.ZSTD),
    LZ4(CompressionUtil.CodecType.LZ4_FRAME),
    NONE(CompressionUtil.CodecType.NO_COMPRESSION);

    private final CompressionUtil.CodecType type;

    RedisArrowCodec(CompressionUtil.CodecType type) {
        this.type = type;
    }

    CompressionUtil.CodecType type() {
        return type;
    }

    /** The option value: {@code zstd}, {@code lz4} or {@code none}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
