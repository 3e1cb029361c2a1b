package io.github.flinkredis.connector.search;

import java.io.Serializable;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;

/**
 * One attribute of a RediSearch index, from {@code FT.INFO}.
 *
 * @param identifier the hash field, or the JSONPath of a JSON index ({@code $.name})
 * @param name the attribute's name in queries ({@code @name}): its alias, else the identifier
 * @param type its type
 * @param sortable whether it is {@code SORTABLE}
 * @param caseSensitive whether a TAG is {@code CASESENSITIVE} (a server that does not report the
 *     flag gives false: its TAG queries are taken as case-insensitive, the safe side)
 * @param noIndex whether it is {@code NOINDEX} (stored for sorting, not searchable)
 * @param separator a TAG's separator ({@code ,} by default; empty for a JSON TAG, which has none),
 *     or null for other types
 */
@Internal
public record RedisSearchAttribute(
        String identifier,
        String name,
        RedisSearchFieldType type,
        boolean sortable,
        boolean caseSensitive,
        boolean noIndex,
        @Nullable String separator)
        implements Serializable {}
