package io.github.flinkredis.connector.sink;

import java.io.Serializable;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Receives the rows whose write Redis refused with an error of their own key, instead of the job
 * failing ({@link RedisSink.Builder#setWriteErrorHandler}). It is called on the sink writer's
 * thread, in input order, before the checkpoint that covers the row completes; what it does is done
 * at least once (a batch sent again after a connection failure may report its errors again). An
 * exception it throws fails the job.
 */
@PublicEvolving
@FunctionalInterface
public interface RedisWriteErrorHandler extends Serializable {

    /**
     * @param error the row's mutation, the command that failed and Redis's error
     * @throws Exception to fail the job
     */
    void onError(RedisWriteError error) throws Exception;
}
