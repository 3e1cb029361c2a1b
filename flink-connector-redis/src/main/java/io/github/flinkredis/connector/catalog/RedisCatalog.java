package io.github.flinkredis.connector.catalog;

import io.github.flinkredis.connector.catalog.RedisKeyspaceSampler.KeyGroup;
import io.github.flinkredis.connector.client.RedisClientFactory;
import io.github.flinkredis.connector.client.RedisPipeline;
import io.github.flinkredis.connector.client.RedisRetryPolicy;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisConnectorOptions;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisTableLayout;
import io.github.flinkredis.connector.search.RedisSearchAttribute;
import io.github.flinkredis.connector.search.RedisSearchFieldType;
import io.github.flinkredis.connector.search.RedisSearchIndex;
import io.github.flinkredis.connector.search.RedisSearchIndexes;
import io.github.flinkredis.connector.table.RedisTableOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.CatalogDatabase;
import org.apache.flink.table.catalog.CatalogDatabaseImpl;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.ResolvedCatalogTable;
import org.apache.flink.table.catalog.exceptions.CatalogException;
import org.apache.flink.table.catalog.exceptions.DatabaseNotExistException;
import org.apache.flink.table.catalog.exceptions.TableAlreadyExistException;
import org.apache.flink.table.catalog.exceptions.TableNotExistException;

/**
 * A read-only catalog of a live Redis: its databases ({@code db0}, ... where a database holds keys;
 * a cluster has {@code db0} only) and, in each, the tables its keys make, with schemas inferred
 * from their values.
 *
 * <p>{@code SHOW TABLES} samples the database ({@link RedisKeyspaceSampler}: at most {@code
 * catalog.sample.keys} keys, {@code SCAN} and {@code TYPE}) and groups its keys by data type and by
 * the prefix up to the last {@code catalog.key.separator}: the hashes {@code user:1}, {@code
 * user:2} make the table {@code user} ({@code 'key.prefix' = 'user:'}), a key without a separator a
 * table of its own ({@code 'key.pattern'}). A name that several groups would share gets their data
 * type appended ({@code user_hash}, {@code user_json}), then {@code _key} for a table of one key.
 * Tables of hashes, JSON documents, strings, sets, lists, sorted sets and streams (bounded: read to
 * each stream's last entry) are listed; timeseries not yet.
 *
 * <p>A table's columns come from {@code catalog.sample.values} of its keys ({@link
 * RedisSchemaInference}); each column's comment says how sure the inference is. The schema of a
 * table stays the same until the next {@code SHOW TABLES} of its database samples it again. The
 * table's options are the catalog's connection options, {@code database} and the table's {@code
 * data-type} and {@code key.prefix} (or {@code key.pattern}): {@code SHOW CREATE TABLE} gives DDL
 * for any catalog, and queries read it with the {@code redis} connector and all its pushdowns.
 *
 * <p>On a server with RediSearch, an index with one prefix makes the table of its prefix read
 * through it ({@code search.index}), listed even where the sample missed its keys, with a column
 * for each attribute no sampled key has.
 *
 * <p>{@code CREATE TABLE} declares a table kept in Redis ({@link RedisStoredTables}), which {@code
 * DROP TABLE} deletes. Nothing else is written to Redis: dropping an inferred table, and creating,
 * altering or dropping a database or function, fails with a message saying so.
 */
@PublicEvolving
public class RedisCatalog extends RedisReadOnlyCatalog {

    private static final Pattern KEYSPACE_LINE = Pattern.compile("(?m)^db(\\d+):keys=(\\d+)");
    private static final Pattern DATABASE_NAME = Pattern.compile("db(\\d+)");

    private final Map<String, String> connectionOptions;
    private final int sampleKeys;
    private final int sampleValues;
    private final long timeLimitMillis;
    private final String separator;
    private List<String> include = List.of();
    private List<String> exclude = List.of();

    /** Per database, the tables of its last sample, by name. */
    private final Map<String, Map<String, KeyGroup>> tables = new HashMap<>();

    /** The tables inferred since, by path. */
    private final Map<ObjectPath, CatalogTable> inferred = new HashMap<>();

    private Boolean cluster;

    /**
     * @param connectionOptions the options of the {@code redis} connector that say how to connect
     *     ({@code url}, {@code password}, {@code tls.*}, ...): the catalog's tables carry them
     */
    public RedisCatalog(
            String name,
            String defaultDatabase,
            Map<String, String> connectionOptions,
            int sampleKeys,
            int sampleValues,
            long timeLimitMillis,
            String separator) {
        super(name, defaultDatabase);
        this.connectionOptions = Map.copyOf(connectionOptions);
        this.sampleKeys = sampleKeys;
        this.sampleValues = sampleValues;
        this.timeLimitMillis = timeLimitMillis;
        this.separator = separator;
    }

    /**
     * Shows only the keys that match a pattern of {@code include} (all where empty) and none of
     * {@code exclude} (glob patterns).
     */
    public RedisCatalog withKeys(List<String> include, List<String> exclude) {
        this.include = List.copyOf(include);
        this.exclude = List.copyOf(exclude);
        return this;
    }

    @Override
    public void open() throws CatalogException {
        try {
            cluster = RedisClientFactory.isCluster(config(0));
        } catch (RuntimeException e) {
            throw new CatalogException(
                    String.format(
                            "Catalog '%s' cannot reach Redis at %s: %s",
                            getName(), connectionOptions.get("url"), e.getMessage()),
                    e);
        }
    }

    @Override
    public void close() throws CatalogException {}

    // ---- databases ----

    @Override
    public List<String> listDatabases() throws CatalogException {
        TreeSet<Integer> numbers = new TreeSet<>();
        numbers.add(0);
        if (!isCluster()) {
            String keyspace =
                    onDatabase(
                            0,
                            redis ->
                                    redis.await(
                                            redis.commands().info("keyspace"), "INFO keyspace"));
            Matcher m = KEYSPACE_LINE.matcher(keyspace);
            while (m.find()) {
                numbers.add(Integer.parseInt(m.group(1)));
            }
        }
        List<String> names = new ArrayList<>();
        numbers.forEach(n -> names.add("db" + n));
        return names;
    }

    @Override
    public CatalogDatabase getDatabase(String databaseName)
            throws DatabaseNotExistException, CatalogException {
        int number = number(databaseName);
        return new CatalogDatabaseImpl(Map.of(), "Redis database " + number);
    }

    @Override
    public boolean databaseExists(String databaseName) throws CatalogException {
        return DATABASE_NAME.matcher(databaseName).matches()
                && (!isCluster() || databaseName.equals("db0"));
    }

    @Override
    int number(String databaseName) throws DatabaseNotExistException {
        if (!databaseExists(databaseName)) {
            throw new DatabaseNotExistException(getName(), databaseName);
        }
        return numberOf(databaseName);
    }

    // ---- tables ----

    /** Samples the database again: its tables, and their schemas inferred anew when asked for. */
    @Override
    public List<String> listTables(String databaseName)
            throws DatabaseNotExistException, CatalogException {
        java.util.Set<String> names = new TreeSet<>(sample(databaseName).keySet());
        names.addAll(onDatabase(number(databaseName), RedisStoredTables::names));
        return new ArrayList<>(names);
    }

    @Override
    public List<String> listViews(String databaseName)
            throws DatabaseNotExistException, CatalogException {
        number(databaseName);
        return List.of();
    }

    @Override
    public CatalogBaseTable getTable(ObjectPath tablePath)
            throws TableNotExistException, CatalogException {
        CatalogTable declared = declared(tablePath);
        if (declared != null) {
            return declared;
        }
        CatalogTable table = inferred.get(tablePath);
        if (table != null) {
            return table;
        }
        KeyGroup group = group(tablePath).orElseThrow(() -> notExist(tablePath));
        int number = numberOf(tablePath);
        RedisInferredTable t;
        try (RedisPipeline redis = pipeline(number)) {
            t =
                    RedisSchemaInference.inferFromKeys(
                            redis,
                            group.dataType(),
                            group.prefix(),
                            group.literalKey(),
                            group.keys());
        } catch (IOException e) {
            throw new CatalogException(
                    String.format("Cannot infer table %s: %s", tablePath, e.getMessage()), e);
        }
        if (group.index() != null) {
            t = withAttributes(t, group.index());
        }
        Map<String, String> options = new LinkedHashMap<>(connectionOptions);
        options.put("connector", "redis");
        if (!isCluster()) {
            options.put(RedisConnectorOptions.DATABASE.key(), Integer.toString(number));
        }
        options.putAll(t.options());
        if (group.index() != null) {
            options.put(RedisConnectorOptions.SEARCH_INDEX.key(), group.index().name());
        }
        table =
                CatalogTable.newBuilder()
                        .schema(t.schema())
                        .comment(
                                String.format(
                                                Locale.ROOT,
                                                "Inferred by the redis catalog from %d of the %d %s keys"
                                                        + " %s in a sample of the database",
                                                t.sampledKeys(),
                                                group.seen(),
                                                group.dataType(),
                                                group.prefix() != null
                                                        ? "under '" + group.prefix() + "'"
                                                        : "named '" + group.literalKey() + "'")
                                        + (group.index() == null
                                                ? ""
                                                : "; read through RediSearch index '"
                                                        + group.index().name()
                                                        + "'"))
                        .options(options)
                        .build();
        inferred.put(tablePath, table);
        return table;
    }

    @Override
    public boolean tableExists(ObjectPath tablePath) throws CatalogException {
        return declared(tablePath) != null || group(tablePath).isPresent();
    }

    /** The table a user declared at {@code tablePath} ({@link RedisStoredTables}), or null. */
    @javax.annotation.Nullable
    private CatalogTable declared(ObjectPath tablePath) {
        if (!databaseExists(tablePath.getDatabaseName())) {
            return null;
        }
        return onDatabase(
                numberOf(tablePath),
                redis -> RedisStoredTables.get(redis, tablePath.getObjectName()));
    }

    /**
     * Stores a table declared with {@code CREATE TABLE} in Redis ({@link RedisStoredTables}), so
     * that it outlives the session; it hides an inferred table of the same name.
     *
     * @throws TableAlreadyExistException where a table of that name exists (declared or inferred)
     *     and {@code ignoreIfExists} is false
     */
    @Override
    public void createTable(ObjectPath tablePath, CatalogBaseTable table, boolean ignoreIfExists)
            throws TableAlreadyExistException, DatabaseNotExistException {
        int number = number(tablePath.getDatabaseName());
        if (!(table instanceof ResolvedCatalogTable resolved)) {
            throw readOnly("it stores tables, not views");
        }
        if (tableExists(tablePath)) {
            if (ignoreIfExists) {
                return;
            }
            throw new TableAlreadyExistException(getName(), tablePath);
        }
        onDatabase(
                number,
                redis -> {
                    RedisStoredTables.put(redis, tablePath.getObjectName(), resolved);
                    return null;
                });
    }

    /**
     * Drops a table declared with {@code CREATE TABLE} (its hash in Redis); an inferred table
     * cannot be dropped: that would not delete its keys.
     */
    @Override
    public void dropTable(ObjectPath tablePath, boolean ignoreIfNotExists)
            throws TableNotExistException {
        if (databaseExists(tablePath.getDatabaseName())
                && onDatabase(
                        numberOf(tablePath),
                        redis -> RedisStoredTables.delete(redis, tablePath.getObjectName()))) {
            return;
        }
        if (group(tablePath).isPresent()) {
            throw readOnly(
                    "DROP TABLE " + tablePath + " would not delete the keys it is inferred from");
        }
        if (!ignoreIfNotExists) {
            throw notExist(tablePath);
        }
    }

    private Optional<KeyGroup> group(ObjectPath tablePath) {
        if (!databaseExists(tablePath.getDatabaseName())) {
            return Optional.empty();
        }
        Map<String, KeyGroup> byName = tables.get(tablePath.getDatabaseName());
        try {
            if (byName == null) {
                byName = sample(tablePath.getDatabaseName());
            }
        } catch (DatabaseNotExistException e) {
            return Optional.empty();
        }
        return Optional.ofNullable(byName.get(tablePath.getObjectName()));
    }

    private Map<String, KeyGroup> sample(String databaseName)
            throws DatabaseNotExistException, CatalogException {
        int number = number(databaseName);
        List<KeyGroup> groups;
        try {
            groups =
                    RedisKeyspaceSampler.sample(
                            config(number),
                            sampleKeys,
                            sampleValues,
                            separator,
                            timeLimitMillis,
                            include,
                            withReserved(exclude));
        } catch (IOException | RuntimeException e) {
            throw new CatalogException(
                    String.format(
                            "Cannot sample the keys of %s at %s: %s",
                            databaseName, connectionOptions.get("url"), e.getMessage()),
                    e);
        }
        if (number == 0 && !isCluster()) {
            groups = withIndexes(groups);
        }
        Map<String, KeyGroup> byName = names(groups);
        tables.put(databaseName, byName);
        inferred.keySet().removeIf(p -> p.getDatabaseName().equals(databaseName));
        return byName;
    }

    /** {@code exclude} and the keys the catalog writes itself. */
    private static List<String> withReserved(List<String> exclude) {
        List<String> all = new ArrayList<>(exclude);
        all.add(RedisTableLayout.patternForPrefix(RedisStoredTables.RESERVED_PREFIX));
        return all;
    }

    /**
     * The groups with the RediSearch indexes of the server ({@code FT._LIST}, {@code FT.INFO}; db0
     * of a server that is not a cluster: RediSearch indexes the keys of db0 only): an index {@code
     * ON HASH} or {@code ON JSON} with one non-empty {@code PREFIX} and no {@code FILTER} makes the
     * group of that data type and prefix read through it ({@code search.index}), sampled by {@code
     * SCAN MATCH <prefix>* TYPE <type>} where the sample of the keyspace missed it. A server
     * without the search module has none.
     */
    private List<KeyGroup> withIndexes(List<KeyGroup> groups) {
        List<KeyGroup> out = new ArrayList<>(groups);
        try (RedisPipeline redis = pipeline(0)) {
            List<String> names;
            try {
                names =
                        RedisSearchIndexes.names(
                                redis.await(
                                        RedisSearchIndexes.sendList(redis.commands()), "FT._LIST"));
            } catch (IOException noSearchModule) {
                return out;
            }
            RedisKeyspaceSampler.KeyFilter shown =
                    new RedisKeyspaceSampler.KeyFilter(include, exclude);
            for (String name : new TreeSet<>(names)) {
                RedisSearchIndex index =
                        RedisSearchIndex.parse(
                                name,
                                redis.await(
                                        RedisSearchIndexes.sendInfo(redis.commands(), name),
                                        "FT.INFO " + name));
                if (index.prefixes().size() != 1
                        || index.prefixes().get(0).isEmpty()
                        || index.filter() != null
                        || !shown.test(
                                index.prefixes()
                                        .get(0)
                                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
                    continue;
                }
                RedisDataType dataType = index.onJson() ? RedisDataType.JSON : RedisDataType.HASH;
                String prefix = index.prefixes().get(0);
                int at = -1;
                for (int i = 0; i < out.size(); i++) {
                    KeyGroup g = out.get(i);
                    if (g.dataType() == dataType && prefix.equals(g.prefix())) {
                        at = i;
                    }
                }
                if (at >= 0) {
                    if (out.get(at).index() == null) {
                        out.set(at, out.get(at).withIndex(index));
                    }
                } else {
                    List<byte[]> keys =
                            RedisSchemaInference.sampleKeys(redis, dataType, prefix, sampleValues);
                    out.add(
                            new KeyGroup(dataType, prefix, null, keys, keys.size())
                                    .withIndex(index));
                }
            }
        } catch (IOException e) {
            throw new CatalogException("Cannot read the RediSearch indexes: " + e.getMessage(), e);
        }
        out.sort(
                java.util.Comparator.comparing((KeyGroup g) -> g.dataType().value())
                        .thenComparing(
                                g -> g.prefix() != null ? ":" + g.prefix() : "=" + g.literalKey()));
        return out;
    }

    /**
     * The groups the catalog lists, by table name: the base name, with the data type appended where
     * several groups share it, then {@code _key} for a table of one key.
     */
    private Map<String, KeyGroup> names(List<KeyGroup> groups) {
        Map<String, Integer> count = new HashMap<>();
        List<KeyGroup> listed = new ArrayList<>();
        for (KeyGroup g : groups) {
            listed.add(g);
            count.merge(g.baseName(separator), 1, Integer::sum);
        }
        Map<String, KeyGroup> byName = new LinkedHashMap<>();
        for (KeyGroup g : listed) {
            String name = g.baseName(separator);
            if (count.get(name) > 1) {
                name = name + "_" + g.dataType();
            }
            while (byName.containsKey(name)) {
                name = name + "_key";
            }
            byName.put(name, g);
        }
        return byName;
    }

    /**
     * {@code t} with a column for each attribute of {@code index} that no sampled key had: {@code
     * DOUBLE} for a NUMERIC attribute, {@code STRING} for the others.
     */
    private static RedisInferredTable withAttributes(RedisInferredTable t, RedisSearchIndex index) {
        List<RedisInferredColumn> columns = new ArrayList<>(t.columns());
        java.util.Set<String> names = new java.util.HashSet<>();
        columns.forEach(c -> names.add(c.name()));
        for (RedisSearchAttribute a : index.attributes()) {
            if (names.add(a.name()) && a.name().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                columns.add(
                        RedisInferredColumn.described(
                                a.name(),
                                a.type() == RedisSearchFieldType.NUMERIC
                                        ? org.apache.flink.table.api.DataTypes.DOUBLE()
                                        : org.apache.flink.table.api.DataTypes.STRING(),
                                false,
                                String.format(
                                        "RediSearch index '%s' has %s attribute '%s'; no sampled"
                                                + " key has the field",
                                        index.name(), a.type(), a.name())));
            }
        }
        return new RedisInferredTable(
                t.dataType(), t.keyPrefix(), t.key(), columns, t.sampledKeys(), t.labelColumns());
    }

    private static TableNotExistException notExist(ObjectPath path) {
        return new TableNotExistException("redis", path);
    }

    // ---- connections ----

    private boolean isCluster() {
        if (cluster == null) {
            open();
        }
        return cluster;
    }

    /** The connection to database {@code number}. */
    private RedisConnectionConfig config(int number) {
        Map<String, String> options = new HashMap<>(connectionOptions);
        if (number != 0 || !options.containsKey(RedisConnectorOptions.DATABASE.key())) {
            options.put(RedisConnectorOptions.DATABASE.key(), Integer.toString(number));
        }
        return RedisTableOptions.connectionConfig(Configuration.fromMap(options));
    }

    /** The number of the database of {@code path}, which exists. */
    private static int numberOf(ObjectPath path) {
        return numberOf(path.getDatabaseName());
    }

    /** The number of database {@code databaseName} ({@code db3}: 3), a valid name. */
    private static int numberOf(String databaseName) {
        return Integer.parseInt(databaseName.substring(2));
    }

    /** What Redis answers about database {@code number}. */
    @FunctionalInterface
    private interface Question<T> {
        T ask(RedisPipeline redis) throws IOException;
    }

    /** Asks database {@code number} on a connection of its own; a failure is a CatalogException. */
    private <T> T onDatabase(int number, Question<T> question) {
        try (RedisPipeline redis = pipeline(number)) {
            return question.ask(redis);
        } catch (IOException e) {
            throw new CatalogException(e.getMessage(), e);
        }
    }

    private RedisPipeline pipeline(int number) {
        return RedisPipeline.immediate(
                config(number), RedisRetryPolicy.maxRetries(0, "none"), "catalog " + getName());
    }
}
