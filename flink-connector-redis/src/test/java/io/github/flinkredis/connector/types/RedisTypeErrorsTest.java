package io.github.flinkredis.connector.types;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
import org.junit.jupiter.api.Test;

/**
 * The errors section of {@link RedisTypeHandler}: a module's error replies that mean a missing key
 * or a key of another type, known by the module's type only.
 */
class RedisTypeErrorsTest {

    @Test
    void timeseriesKnowsRedisTimeSeriesErrors() {
        RedisTypeHandler series = RedisTypes.of(RedisDataType.TIMESERIES);
        assertThat(series.isMissingKeyError("ERR TSDB: the key does not exist")).isTrue();
        assertThat(series.isOtherTypeError("ERR TSDB: the key is not a TSDB key")).isTrue();
        assertThat(series.isOtherTypeError("Existing key has wrong Redis type")).isFalse();
        assertThat(series.isMissingKeyError("ERR TSDB: invalid filter")).isFalse();
    }

    @Test
    void jsonKnowsRedisJsonErrors() {
        RedisTypeHandler json = RedisTypes.of(RedisDataType.JSON);
        assertThat(json.isOtherTypeError("Existing key has wrong Redis type")).isTrue();
        assertThat(json.isOtherTypeError("ERR TSDB: the key is not a TSDB key")).isFalse();
        assertThat(json.isMissingKeyError("ERR TSDB: the key does not exist")).isFalse();
    }

    @Test
    void otherTypesLeaveErrorsToRedisOwnWrongType() {
        for (RedisDataType type : RedisDataType.values()) {
            if (type == RedisDataType.TIMESERIES || type == RedisDataType.JSON) {
                continue;
            }
            RedisTypeHandler handler = RedisTypes.of(type);
            assertThat(handler.isMissingKeyError("ERR TSDB: the key does not exist")).isFalse();
            assertThat(handler.isOtherTypeError("Existing key has wrong Redis type")).isFalse();
        }
    }
}
