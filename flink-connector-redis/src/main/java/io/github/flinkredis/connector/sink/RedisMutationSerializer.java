package io.github.flinkredis.connector.sink;

import java.io.Serializable;
import javax.annotation.Nullable;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.serialization.SerializationSchema;

/**
 * Turns each element a {@link RedisSink} receives into the {@link RedisMutation} to write.
 *
 * @param <IN> the sink's input type
 */
@PublicEvolving
@FunctionalInterface
public interface RedisMutationSerializer<IN> extends Serializable {

    /** Called once per writer before the first element. */
    default void open(SerializationSchema.InitializationContext context) throws Exception {}

    /**
     * The mutation for {@code element}, or null to write nothing for it.
     *
     * @throws Exception to fail the job, with a message naming the element's key and what is wrong
     */
    @Nullable
    RedisMutation serialize(IN element) throws Exception;
}
