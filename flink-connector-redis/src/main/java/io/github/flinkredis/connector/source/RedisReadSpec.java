package io.github.flinkredis.connector.source;

import io.github.flinkredis.connector.config.RedisDataType;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;

/**
 * What a scan reads for each key: the result of projection pushdown.
 *
 * <ul>
 *   <li>{@code fields == null}: every field ({@code HGETALL});
 *   <li>{@code fields} empty: no value at all, the key alone (no command per key);
 *   <li>otherwise exactly those fields ({@code HMGET key f1 f2 ...}).
 * </ul>
 *
 * <p>{@code fetchTtl} adds a {@code PTTL key} per key to the same pipeline.
 */
@Internal
public final class RedisReadSpec implements Serializable {

    private static final long serialVersionUID = 1L;

    private final RedisDataType dataType;
    @Nullable private final List<String> fields;
    private final boolean fetchTtl;

    public RedisReadSpec(RedisDataType dataType, @Nullable List<String> fields, boolean fetchTtl) {
        this.dataType = Objects.requireNonNull(dataType);
        this.fields = fields == null ? null : List.copyOf(fields);
        this.fetchTtl = fetchTtl;
    }

    public RedisDataType dataType() {
        return dataType;
    }

    /**
     * The fields to fetch; {@code null} for all of them. For a string, the one name the value is
     * given in the record, or empty when the value is not read.
     */
    @Nullable
    public List<String> fields() {
        return fields;
    }

    public boolean fetchTtl() {
        return fetchTtl;
    }

    /** Whether any per-key command is needed at all. */
    public boolean needsFetch() {
        return fetchTtl || fields == null || !fields.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RedisReadSpec)) {
            return false;
        }
        RedisReadSpec that = (RedisReadSpec) o;
        return dataType == that.dataType
                && fetchTtl == that.fetchTtl
                && Objects.equals(fields, that.fields);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dataType, fields, fetchTtl);
    }

    @Override
    public String toString() {
        String values;
        if (dataType == RedisDataType.STRING) {
            values = fields != null && fields.isEmpty() ? " keys only" : " MGET";
        } else {
            values =
                    fields == null
                            ? " HGETALL"
                            : fields.isEmpty() ? " keys only" : " HMGET " + fields;
        }
        return dataType + values + (fetchTtl ? " +PTTL" : "");
    }
}
