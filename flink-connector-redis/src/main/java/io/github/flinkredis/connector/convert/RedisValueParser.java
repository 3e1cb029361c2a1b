package io.github.flinkredis.connector.convert;

import java.io.Serializable;
import org.apache.flink.annotation.Internal;

/**
 * Parses the bytes Redis holds for one value (a hash field, a key part) into Flink's internal data
 * structure for one column type (e.g. {@code StringData}, {@code Integer}, {@code DecimalData}).
 */
@Internal
@FunctionalInterface
public interface RedisValueParser extends Serializable {

    /**
     * @param value the raw bytes, never null
     * @return the internal value, never null
     * @throws Exception with a short reason if the bytes do not parse as the column type
     */
    Object parse(byte[] value) throws Exception;
}
