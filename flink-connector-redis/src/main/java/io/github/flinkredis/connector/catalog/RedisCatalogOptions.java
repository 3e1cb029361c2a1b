package io.github.flinkredis.connector.catalog;

import java.time.Duration;
import java.util.List;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The options of the {@code redis} catalog ({@code CREATE CATALOG r WITH ('type' = 'redis', 'url' =
 * ...)}) besides the connection options it shares with the {@code redis} table connector.
 */
@PublicEvolving
public final class RedisCatalogOptions {

    private RedisCatalogOptions() {}

    public static final ConfigOption<Integer> SAMPLE_KEYS =
            ConfigOptions.key("catalog.sample.keys")
                    .intType()
                    .defaultValue(10_000)
                    .withDescription(
                            "Keys of a database SHOW TABLES looks at (SCAN and TYPE), shared"
                                    + " among the shards of a cluster: the tables are the"
                                    + " groups of these keys.");

    public static final ConfigOption<Integer> SAMPLE_VALUES =
            ConfigOptions.key("catalog.sample.values")
                    .intType()
                    .defaultValue(100)
                    .withDescription(
                            "Keys per table whose values give its columns and their types.");

    public static final ConfigOption<Duration> SAMPLE_TIME_LIMIT =
            ConfigOptions.key("catalog.sample.time-limit")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(2))
                    .withDescription(
                            "How long SHOW TABLES samples the keys of a database at most.");

    public static final ConfigOption<List<String>> INCLUDE =
            ConfigOptions.key("catalog.include")
                    .stringType()
                    .asList()
                    .noDefaultValue()
                    .withDescription(
                            "Glob patterns of the keys the catalog shows, separated by ';'"
                                    + " (e.g. 'user:*;order:*'); all keys by default.");

    public static final ConfigOption<List<String>> EXCLUDE =
            ConfigOptions.key("catalog.exclude")
                    .stringType()
                    .asList()
                    .noDefaultValue()
                    .withDescription(
                            "Glob patterns of keys the catalog leaves out, separated by ';'"
                                    + " (e.g. 'tmp:*;session:*').");

    public static final ConfigOption<String> KEY_SEPARATOR =
            ConfigOptions.key("catalog.key.separator")
                    .stringType()
                    .defaultValue(":")
                    .withDescription(
                            "What separates a key's prefix (its table) from its variable part"
                                    + " (the PRIMARY KEY column): keys group by the prefix up"
                                    + " to the last separator.");
}
