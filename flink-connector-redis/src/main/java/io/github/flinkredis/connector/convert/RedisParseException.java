package io.github.flinkredis.connector.convert;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.util.FlinkRuntimeException;

/**
 * A value read from Redis does not fit its column: it does not parse as the column's type, or it is
 * missing in a NOT NULL column. The message names the key, the field, the value and the type.
 */
@PublicEvolving
public class RedisParseException extends FlinkRuntimeException {

    private static final long serialVersionUID = 1L;

    public RedisParseException(String message) {
        super(message);
    }
}
