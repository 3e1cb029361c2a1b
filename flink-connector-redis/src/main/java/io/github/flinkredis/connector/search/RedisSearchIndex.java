package io.github.flinkredis.connector.search;

import io.github.flinkredis.connector.client.RedisReplies;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;

/**
 * A RediSearch index as {@code FT.INFO <index>} describes it: its name, whether it indexes hashes
 * or JSON documents ({@code ON HASH | JSON}), the key prefixes it covers ({@code PREFIX}; an empty
 * prefix covers every key), its {@code FILTER} expression if any, and its attributes.
 *
 * <p>Parsing accepts the reply shapes of RediSearch 2.2 to 8 (RESP2 arrays, and RESP3 maps as
 * Lettuce flattens them): an attribute is a list of {@code key, value} pairs ({@code identifier},
 * {@code attribute}, {@code type}, {@code SEPARATOR}, {@code WEIGHT}, ...) and bare flags ({@code
 * SORTABLE}, {@code CASESENSITIVE}, {@code NOINDEX}, ...), or a {@code flags} list of them.
 */
@Internal
public final class RedisSearchIndex implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Attribute keys followed by a value; any other bare word of an attribute is a flag. */
    private static final Set<String> VALUED_KEYS =
            Set.of(
                    "identifier",
                    "attribute",
                    "type",
                    "SEPARATOR",
                    "WEIGHT",
                    "PHONETIC",
                    "algorithm",
                    "data_type",
                    "dim",
                    "distance_metric",
                    "M",
                    "ef_construction",
                    "initial_cap",
                    "block_size",
                    "coord_system");

    private final String name;
    private final boolean onJson;
    private final List<String> prefixes;
    @Nullable private final String filter;
    private final List<RedisSearchAttribute> attributes;
    private final long indexingFailures;
    private final boolean indexing;

    /**
     * @param name the index name
     * @param onJson whether it indexes JSON documents (else hashes)
     * @param prefixes the key prefixes it covers ({@code ""} for every key)
     * @param filter its {@code FILTER} expression, or null
     * @param attributes its attributes
     */
    public RedisSearchIndex(
            String name,
            boolean onJson,
            List<String> prefixes,
            @Nullable String filter,
            List<RedisSearchAttribute> attributes) {
        this(name, onJson, prefixes, filter, attributes, 0, false);
    }

    /**
     * @param indexingFailures documents it failed to index ({@code hash_indexing_failures})
     * @param indexing whether it is still indexing the keys that existed when it was created
     */
    public RedisSearchIndex(
            String name,
            boolean onJson,
            List<String> prefixes,
            @Nullable String filter,
            List<RedisSearchAttribute> attributes,
            long indexingFailures,
            boolean indexing) {
        this.name = name;
        this.onJson = onJson;
        this.prefixes = List.copyOf(prefixes);
        this.filter = filter;
        this.attributes = List.copyOf(attributes);
        this.indexingFailures = indexingFailures;
        this.indexing = indexing;
    }

    /**
     * The index {@code FT.INFO <name>} answered {@code reply} for.
     *
     * @throws IllegalArgumentException if the reply has no {@code index_definition} with a {@code
     *     key_type}
     */
    public static RedisSearchIndex parse(String name, List<?> reply) {
        List<?> definition = list(RedisReplies.field(reply, "index_definition"));
        Object keyType = definition == null ? null : RedisReplies.field(definition, "key_type");
        if (keyType == null) {
            throw new IllegalArgumentException(
                    "FT.INFO " + name + " gave no index_definition with a key_type: " + reply);
        }
        List<String> prefixes = new ArrayList<>();
        Object prefixReply = RedisReplies.field(definition, "prefixes");
        if (prefixReply instanceof List<?> l) {
            for (Object p : l) {
                prefixes.add(RedisReplies.text(p));
            }
        } else if (prefixReply != null) {
            prefixes.add(RedisReplies.text(prefixReply));
        }
        if (prefixes.isEmpty()) {
            prefixes.add("");
        }
        Object filter = RedisReplies.field(definition, "filter");
        List<RedisSearchAttribute> attributes = new ArrayList<>();
        List<?> attributeReplies = list(RedisReplies.field(reply, "attributes"));
        if (attributeReplies == null) {
            // RediSearch before 2.0 named them "fields"
            attributeReplies = list(RedisReplies.field(reply, "fields"));
        }
        if (attributeReplies != null) {
            for (Object a : attributeReplies) {
                if (a instanceof List<?> l) {
                    attributes.add(attribute(l));
                }
            }
        }
        Object failures = RedisReplies.field(reply, "hash_indexing_failures");
        Object indexing = RedisReplies.field(reply, "indexing");
        return new RedisSearchIndex(
                name,
                "JSON".equalsIgnoreCase(RedisReplies.text(keyType)),
                prefixes,
                filter == null ? null : RedisReplies.text(filter),
                attributes,
                (long) number(failures),
                number(indexing) != 0);
    }

    /** A count of FT.INFO: an integer, or (RESP3) a double; 0 where absent. */
    private static double number(@Nullable Object reply) {
        if (reply == null) {
            return 0;
        }
        return reply instanceof Number n
                ? n.doubleValue()
                : Double.parseDouble(RedisReplies.text(reply));
    }

    /** One attribute: its {@code key, value} pairs and its flags. */
    private static RedisSearchAttribute attribute(List<?> reply) {
        String identifier = null;
        String alias = null;
        String type = null;
        String separator = null;
        Set<String> flags = new java.util.HashSet<>();
        for (int i = 0; i < reply.size(); i++) {
            Object element = reply.get(i);
            if (element instanceof List<?> nested) {
                for (Object flag : nested) {
                    flags.add(RedisReplies.text(flag).toUpperCase(Locale.ROOT));
                }
                continue;
            }
            String word = RedisReplies.text(element);
            if ("flags".equalsIgnoreCase(word)) {
                continue; // RESP3: the list that follows holds the flags
            }
            if (!VALUED_KEYS.contains(word) || i + 1 >= reply.size()) {
                flags.add(word.toUpperCase(Locale.ROOT));
                continue;
            }
            String value = RedisReplies.text(reply.get(++i));
            switch (word) {
                case "identifier" -> identifier = value;
                case "attribute" -> alias = value;
                case "type" -> type = value;
                case "SEPARATOR" -> separator = value;
                default -> {
                    // WEIGHT, PHONETIC, vector settings: not used
                }
            }
        }
        if (identifier == null) {
            identifier = alias;
        }
        RedisSearchFieldType fieldType =
                type == null ? RedisSearchFieldType.OTHER : RedisSearchFieldType.of(type);
        if (fieldType == RedisSearchFieldType.TAG && separator == null) {
            separator = ",";
        }
        return new RedisSearchAttribute(
                identifier,
                alias == null ? identifier : alias,
                fieldType,
                flags.contains("SORTABLE"),
                flags.contains("CASESENSITIVE"),
                flags.contains("NOINDEX"),
                fieldType == RedisSearchFieldType.TAG ? separator : null);
    }

    @Nullable
    private static List<?> list(@Nullable Object reply) {
        return reply instanceof List<?> l ? l : null;
    }

    /** The index name. */
    public String name() {
        return name;
    }

    /** Whether it indexes JSON documents ({@code ON JSON}); else hashes. */
    public boolean onJson() {
        return onJson;
    }

    /** The key prefixes it covers; {@code ""} covers every key. */
    public List<String> prefixes() {
        return prefixes;
    }

    /** Its {@code FILTER} expression, or null. */
    @Nullable
    public String filter() {
        return filter;
    }

    /**
     * The documents it failed to index ({@code hash_indexing_failures}: e.g. a value a NUMERIC
     * attribute cannot parse); such a document is in no query's result, whatever the query.
     */
    public long indexingFailures() {
        return indexingFailures;
    }

    /**
     * Whether it is still indexing the keys that existed when it was created ({@code indexing}).
     */
    public boolean indexing() {
        return indexing;
    }

    /** Its attributes, in {@code FT.INFO}'s order. */
    public List<RedisSearchAttribute> attributes() {
        return attributes;
    }

    /**
     * The longest of its prefixes that every key starting with {@code keyPrefix} starts with, or
     * empty if none: the index holds all of a table's keys when present (and, for a shorter prefix,
     * other keys too).
     */
    public Optional<String> prefixCovering(String keyPrefix) {
        String best = null;
        for (String p : prefixes) {
            if (keyPrefix.startsWith(p) && (best == null || p.length() > best.length())) {
                best = p;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The attribute a column of this name maps to: the one named so (its alias), else, in a JSON
     * index, the one whose identifier is {@code $.<column>}; empty if none.
     */
    public Optional<RedisSearchAttribute> attributeOf(String column) {
        for (RedisSearchAttribute a : attributes) {
            if (a.name().equals(column)) {
                return Optional.of(a);
            }
        }
        if (onJson) {
            for (RedisSearchAttribute a : attributes) {
                if (a.identifier().equals("$." + column)) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return String.format(
                "%s (ON %s PREFIX %s%s)",
                name,
                onJson ? "JSON" : "HASH",
                prefixes,
                filter == null ? "" : " FILTER " + filter);
    }
}
