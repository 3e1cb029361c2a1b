package io.github.flinkredis.connector.catalog;

import io.github.flinkredis.connector.config.RedisConnectorOptions;
import io.github.flinkredis.connector.table.RedisTableOptions;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Catalog;
import org.apache.flink.table.catalog.CommonCatalogOptions;
import org.apache.flink.table.factories.CatalogFactory;
import org.apache.flink.table.factories.FactoryUtil;

/**
 * Creates a {@link RedisCatalog}: {@code CREATE CATALOG r WITH ('type' = 'redis', 'url' =
 * 'redis://localhost:6379')}, with the connection options of the {@code redis} table connector
 * ({@code password}, {@code tls.*}, {@code cluster-mode}, ...), {@code default-database} ({@code
 * db0}) and the {@code catalog.*} options of {@link RedisCatalogOptions}. The connection options
 * are checked here, as the table connector checks them.
 */
@Internal
public class RedisCatalogFactory implements CatalogFactory {

    public static final String IDENTIFIER = "redis";

    public static final ConfigOption<String> DEFAULT_DATABASE =
            ConfigOptions.key(CommonCatalogOptions.DEFAULT_DATABASE_KEY)
                    .stringType()
                    .defaultValue("db0");

    /** The table connector's options that say how to connect, which the catalog takes too. */
    private static final List<ConfigOption<?>> CONNECTION_OPTIONS =
            List.of(
                    RedisConnectorOptions.USERNAME,
                    RedisConnectorOptions.PASSWORD,
                    RedisConnectorOptions.CONNECT_TIMEOUT,
                    RedisConnectorOptions.COMMAND_TIMEOUT,
                    RedisConnectorOptions.CLIENT_NAME,
                    RedisConnectorOptions.CLUSTER_MODE,
                    RedisConnectorOptions.CLUSTER_TOPOLOGY_REFRESH_PERIOD,
                    RedisConnectorOptions.SENTINEL_PASSWORD,
                    RedisConnectorOptions.READ_FROM,
                    RedisConnectorOptions.TLS_VERIFY,
                    RedisConnectorOptions.TLS_TRUSTSTORE,
                    RedisConnectorOptions.TLS_TRUSTSTORE_PASSWORD,
                    RedisConnectorOptions.TLS_CA_FILE,
                    RedisConnectorOptions.TLS_KEYSTORE,
                    RedisConnectorOptions.TLS_KEYSTORE_PASSWORD,
                    RedisConnectorOptions.TLS_CERT_FILE,
                    RedisConnectorOptions.TLS_KEY_FILE,
                    RedisConnectorOptions.TLS_KEY_PASSWORD);

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(RedisConnectorOptions.URL);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        Set<ConfigOption<?>> options = new HashSet<>(CONNECTION_OPTIONS);
        options.add(DEFAULT_DATABASE);
        options.add(RedisCatalogOptions.SAMPLE_KEYS);
        options.add(RedisCatalogOptions.SAMPLE_VALUES);
        options.add(RedisCatalogOptions.SAMPLE_TIME_LIMIT);
        options.add(RedisCatalogOptions.KEY_SEPARATOR);
        options.add(RedisCatalogOptions.INCLUDE);
        options.add(RedisCatalogOptions.EXCLUDE);
        return options;
    }

    @Override
    public Catalog createCatalog(Context context) {
        FactoryUtil.CatalogFactoryHelper helper =
                FactoryUtil.createCatalogFactoryHelper(this, context);
        helper.validate();
        Configuration options = Configuration.fromMap(context.getOptions());
        Map<String, String> connection = new HashMap<>();
        connection.put(RedisConnectorOptions.URL.key(), options.get(RedisConnectorOptions.URL));
        for (ConfigOption<?> option : CONNECTION_OPTIONS) {
            String value = context.getOptions().get(option.key());
            if (value != null) {
                connection.put(option.key(), value);
            }
        }
        // the table connector's checks of these options, with their messages
        RedisTableOptions.connectionConfig(Configuration.fromMap(connection));
        int sampleKeys = positive(options, RedisCatalogOptions.SAMPLE_KEYS);
        int sampleValues = positive(options, RedisCatalogOptions.SAMPLE_VALUES);
        String separator = options.get(RedisCatalogOptions.KEY_SEPARATOR);
        if (separator.isEmpty()) {
            throw new ValidationException(
                    "Option '" + RedisCatalogOptions.KEY_SEPARATOR.key() + "' must not be empty.");
        }
        return new RedisCatalog(
                        context.getName(),
                        options.get(DEFAULT_DATABASE),
                        connection,
                        sampleKeys,
                        sampleValues,
                        options.get(RedisCatalogOptions.SAMPLE_TIME_LIMIT).toMillis(),
                        separator)
                .withKeys(
                        options.getOptional(RedisCatalogOptions.INCLUDE).orElse(List.of()),
                        options.getOptional(RedisCatalogOptions.EXCLUDE).orElse(List.of()));
    }

    private static int positive(Configuration options, ConfigOption<Integer> option) {
        int value = options.get(option);
        if (value < 1) {
            throw new ValidationException(
                    String.format(
                            "Invalid value %d for option '%s': must be 1 or more.",
                            value, option.key()));
        }
        return value;
    }
}
