package io.github.flinkredis.connector.sink;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisWriteErrorPolicy;
import io.github.flinkredis.connector.config.RedisWriteOptions;
import java.io.IOException;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A Flink sink (Sink V2) that writes to Redis: each element becomes a {@link RedisMutation} (by a
 * {@link RedisMutationSerializer}), written in pipelined batches with at-least-once delivery (see
 * {@link RedisSinkWriter} for the commands, batching, retries and ordering).
 *
 * <pre>{@code
 * RedisSink<Tuple2<String, String>> sink =
 *     RedisSink.<Tuple2<String, String>>builder()
 *         .setConnectionConfig(RedisConnectionConfig.fromUrl("redis://localhost:6379").build())
 *         .setDataType(RedisDataType.STRING)
 *         .setSerializer(t -> RedisMutation.string(t.f0.getBytes(UTF_8), t.f1.getBytes(UTF_8)))
 *         .build();
 * stream.sinkTo(sink);
 * }</pre>
 *
 * @param <IN> the type of the elements written
 */
@PublicEvolving
public final class RedisSink<IN> implements Sink<IN> {

    private static final long serialVersionUID = 1L;

    private final RedisConnectionConfig connectionConfig;
    private final RedisWriteOptions options;
    private final RedisMutationSerializer<IN> serializer;
    @Nullable private final RedisWriteErrorHandler errorHandler;

    RedisSink(
            RedisConnectionConfig connectionConfig,
            RedisWriteOptions options,
            RedisMutationSerializer<IN> serializer,
            @Nullable RedisWriteErrorHandler errorHandler) {
        this.connectionConfig = Objects.requireNonNull(connectionConfig);
        this.options = Objects.requireNonNull(options);
        this.serializer = Objects.requireNonNull(serializer);
        this.errorHandler = errorHandler;
    }

    public static <IN> Builder<IN> builder() {
        return new Builder<>();
    }

    @Override
    public SinkWriter<IN> createWriter(WriterInitContext context) throws IOException {
        return new RedisSinkWriter<>(connectionConfig, options, serializer, errorHandler, context);
    }

    /** Builder of {@link RedisSink}; connection, data type and serializer are required. */
    @PublicEvolving
    public static final class Builder<IN> {
        private RedisConnectionConfig connectionConfig;
        private RedisWriteOptions options;
        private RedisMutationSerializer<IN> serializer;
        private RedisWriteErrorHandler errorHandler;

        private Builder() {}

        public Builder<IN> setConnectionConfig(RedisConnectionConfig connectionConfig) {
            this.connectionConfig = connectionConfig;
            return this;
        }

        /** The data type written, with the default batching ({@link RedisWriteOptions}). */
        public Builder<IN> setDataType(RedisDataType dataType) {
            this.options = RedisWriteOptions.defaults(dataType);
            return this;
        }

        /**
         * Hands each row whose write Redis refuses for its own key (WRONGTYPE, a value Redis
         * rejects) to {@code handler} and goes on, instead of the error policy of the write options
         * ({@link RedisWriteOptions#errorPolicy()}, which must then be {@code fail}).
         */
        public Builder<IN> setWriteErrorHandler(RedisWriteErrorHandler handler) {
            this.errorHandler = Objects.requireNonNull(handler);
            return this;
        }

        /** The data type, batching, retries, TTL and error policy. */
        public Builder<IN> setWriteOptions(RedisWriteOptions options) {
            this.options = options;
            return this;
        }

        public Builder<IN> setSerializer(RedisMutationSerializer<IN> serializer) {
            this.serializer = serializer;
            return this;
        }

        /**
         * @throws NullPointerException naming what is missing
         * @throws IllegalArgumentException for a data type the sink cannot write, a write mode or
         *     field TTL that does not apply to it, or both an error handler and an error policy
         *     other than {@code fail}
         */
        public RedisSink<IN> build() {
            Objects.requireNonNull(connectionConfig, "connection config is required");
            Objects.requireNonNull(options, "data type or write options are required");
            Objects.requireNonNull(serializer, "serializer is required");
            RedisSinkWriter.checkWriteOptions(options);
            if (errorHandler != null && options.errorPolicy() != RedisWriteErrorPolicy.FAIL) {
                throw new IllegalArgumentException(
                        "A write error handler replaces the error policy '"
                                + options.errorPolicy()
                                + "' of the write options: set one of them");
            }
            return new RedisSink<>(connectionConfig, options, serializer, errorHandler);
        }
    }
}
