package io.github.flinkredis.connector.catalog;

import io.github.flinkredis.connector.client.RedisPipeline;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.catalog.CatalogPropertiesUtil;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.ResolvedCatalogTable;

/**
 * The tables a user declared in the catalog with {@code CREATE TABLE}, kept in Redis itself so that
 * they outlive the SQL session: one hash per table, {@code __flink_catalog:table:<name>} in the
 * table's database, holding the table as Flink's catalog properties ({@link
 * CatalogPropertiesUtil}). The catalog never shows these keys as tables of their own.
 */
@Internal
final class RedisStoredTables {

    /** The prefix of every key the catalog writes. */
    static final String RESERVED_PREFIX = "__flink_catalog:";

    /** The prefix of the hashes of declared tables. */
    static final String TABLE_PREFIX = RESERVED_PREFIX + "table:";

    /** The set of the declared tables' names: listing them reads this key, not the keyspace. */
    static final String NAMES_KEY = RESERVED_PREFIX + "tables";

    private RedisStoredTables() {}

    private static byte[] key(String name) {
        return (TABLE_PREFIX + name).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] names() {
        return NAMES_KEY.getBytes(StandardCharsets.UTF_8);
    }

    /** The names of the declared tables ({@code SMEMBERS __flink_catalog:tables}), sorted. */
    static List<String> names(RedisPipeline redis) throws IOException {
        List<String> names = new ArrayList<>();
        for (byte[] name : redis.await(redis.commands().smembers(names()), "SMEMBERS")) {
            names.add(new String(name, StandardCharsets.UTF_8));
        }
        names.sort(null);
        return names;
    }

    /** The declared table {@code name} ({@code HGETALL}), or null. */
    @Nullable
    static CatalogTable get(RedisPipeline redis, String name) throws IOException {
        Map<byte[], byte[]> hash = redis.await(redis.commands().hgetall(key(name)), "HGETALL");
        if (hash.isEmpty()) {
            return null;
        }
        Map<String, String> properties = new LinkedHashMap<>();
        hash.forEach(
                (k, v) ->
                        properties.put(
                                new String(k, StandardCharsets.UTF_8),
                                new String(v, StandardCharsets.UTF_8)));
        return CatalogPropertiesUtil.deserializeCatalogTable(properties);
    }

    /** Stores {@code table} as {@code name}, replacing an earlier one (DEL, then HSET). */
    static void put(RedisPipeline redis, String name, ResolvedCatalogTable table)
            throws IOException {
        Map<byte[], byte[]> hash = new LinkedHashMap<>();
        serialize(table)
                .forEach(
                        (k, v) ->
                                hash.put(
                                        k.getBytes(StandardCharsets.UTF_8),
                                        v.getBytes(StandardCharsets.UTF_8)));
        redis.await(redis.commands().del(key(name)), "DEL");
        redis.await(redis.commands().hset(key(name), hash), "HSET");
        redis.await(redis.commands().sadd(names(), name.getBytes(StandardCharsets.UTF_8)), "SADD");
    }

    /** Deletes the declared table {@code name}; whether there was one. */
    static boolean delete(RedisPipeline redis, String name) throws IOException {
        redis.await(redis.commands().srem(names(), name.getBytes(StandardCharsets.UTF_8)), "SREM");
        return redis.await(redis.commands().del(key(name)), "DEL") > 0;
    }

    /**
     * {@code CatalogPropertiesUtil.serializeCatalogTable}: {@code (table, SqlFactory)} on Flink 2.1
     * and later (with {@code DefaultSqlFactory.INSTANCE}), {@code (table)} on 1.20 and 2.0, where
     * there is no {@code SqlFactory}. Found once, by reflection, so that the class links on both.
     */
    private static final MethodHandle SERIALIZE = serializer();

    private static MethodHandle serializer() {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        try {
            ClassLoader loader = CatalogPropertiesUtil.class.getClassLoader();
            Class<?> sqlFactory =
                    Class.forName("org.apache.flink.table.expressions.SqlFactory", false, loader);
            Object defaultFactory =
                    Class.forName(
                                    "org.apache.flink.table.expressions.DefaultSqlFactory",
                                    true,
                                    loader)
                            .getField("INSTANCE")
                            .get(null);
            MethodHandle withFactory =
                    lookup.findStatic(
                            CatalogPropertiesUtil.class,
                            "serializeCatalogTable",
                            MethodType.methodType(
                                    Map.class, ResolvedCatalogTable.class, sqlFactory));
            return MethodHandles.insertArguments(withFactory, 1, defaultFactory);
        } catch (ClassNotFoundException e) {
            try {
                return lookup.findStatic(
                        CatalogPropertiesUtil.class,
                        "serializeCatalogTable",
                        MethodType.methodType(Map.class, ResolvedCatalogTable.class));
            } catch (ReflectiveOperationException notThere) {
                throw new IllegalStateException(
                        "This Flink version has no CatalogPropertiesUtil.serializeCatalogTable",
                        notThere);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    "This Flink version has no CatalogPropertiesUtil.serializeCatalogTable", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> serialize(ResolvedCatalogTable table) {
        try {
            return (Map<String, String>) SERIALIZE.invoke(table);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
