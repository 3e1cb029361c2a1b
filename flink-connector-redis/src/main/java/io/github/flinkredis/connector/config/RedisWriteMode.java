package io.github.flinkredis.connector.config;

import static org.apache.flink.configuration.description.TextElement.text;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;

/**
 * How a sink writes a row to a key that holds a whole record (a hash, a JSON document or a string):
 * the value of {@code sink.write-mode}.
 */
@PublicEvolving
public enum RedisWriteMode implements DescribedEnum {
    /** Write the row's fields; other fields of the hash stay; a NULL column removes its field. */
    MERGE(
            "HSET the row's fields (other fields of the hash stay; a NULL column removes its field"
                    + " with HDEL); SET a string."),
    /** The key holds exactly the row afterwards: DEL and HSET in one script, atomically. */
    REPLACE(
            "The key holds exactly the row afterwards: DEL and HSET of its non-NULL fields in one"
                    + " atomic script (EVAL); SET a string."),
    /** Keys that exist already are left as they are. */
    SKIP_EXISTING(
            "Write only keys that do not exist yet (EVAL of EXISTS and HSET, SET NX, JSON.SET NX);"
                    + " existing"
                    + " keys, and their TTL, are left as they are.");

    private final String description;

    RedisWriteMode(String description) {
        this.description = description;
    }

    /** The option value: {@code merge}, {@code replace} or {@code skip-existing}. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    @Override
    public InlineElement getDescription() {
        return text(description);
    }
}
