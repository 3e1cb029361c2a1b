package io.github.flinkredis.examples;

import io.github.flinkredis.testutils.RedisServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;

/**
 * Runs one of the example SQL scripts on an embedded Flink MiniCluster.
 *
 * <p>Usage: {@code SqlExampleRunner [script]}, where the script is a file path or the name of a
 * bundled example ({@code workbench.sql} by default). The Redis server is the one in {@code
 * REDIS_URL}; without it, a {@code redis-server} is started on a free port (as the tests do) and
 * stopped at the end. Either way the sample data ({@link SampleData}) is loaded first. In the
 * script, {@code {{REDIS_URL}}} stands for the server's URL; {@code SET 'key' = 'value';} lines set
 * table options.
 */
public final class SqlExampleRunner {

    /** The placeholder for the Redis URL in the example scripts. */
    public static final String URL_PLACEHOLDER = "{{REDIS_URL}}";

    private SqlExampleRunner() {}

    public static void main(String[] args) throws Exception {
        String script = args.length > 0 ? args[0] : "workbench.sql";
        String sql = readScript(script);
        try (RedisServer redis = RedisServer.start()) {
            System.out.println("Redis: " + redis);
            SampleData.load(redis.url());
            System.out.println(
                    "Loaded "
                            + SampleData.USERS
                            + " user hashes "
                            + SampleData.USER_PREFIX
                            + "* and visit strings "
                            + SampleData.VISITS_PREFIX
                            + "*");
            run(sql.replace(URL_PLACEHOLDER, redis.url()));
        }
        System.exit(0);
    }

    /** The text of a bundled example or of a file. */
    public static String readScript(String script) throws IOException {
        Path path = Path.of(script);
        if (Files.isRegularFile(path)) {
            return Files.readString(path);
        }
        try (InputStream in = SqlExampleRunner.class.getResourceAsStream("/examples/" + script)) {
            if (in == null) {
                throw new IOException("No such example or file: " + script);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Runs each statement of a script in batch mode, printing query results as tables. */
    public static void run(String sql) {
        TableEnvironment tEnv = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        for (String statement : statements(sql)) {
            String upper = statement.toUpperCase(java.util.Locale.ROOT);
            System.out.println();
            System.out.println("Flink SQL> " + statement.replace("\n", "\n> ") + ";");
            if (upper.startsWith("SET ")) {
                String[] kv = statement.substring(4).split("=", 2);
                tEnv.getConfig().getConfiguration().setString(unquote(kv[0]), unquote(kv[1]));
                continue;
            }
            tEnv.executeSql(statement).print();
        }
    }

    private static String unquote(String s) {
        String t = s.trim();
        return t.startsWith("'") && t.endsWith("'") ? t.substring(1, t.length() - 1) : t;
    }

    /** Splits a script at semicolons that end a line, dropping comment lines. */
    public static List<String> statements(String sql) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : sql.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("--") || trimmed.isEmpty()) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String statement = current.toString().trim();
                statements.add(statement.substring(0, statement.length() - 1).trim());
                current.setLength(0);
            }
        }
        if (current.toString().trim().length() > 0) {
            statements.add(current.toString().trim());
        }
        return statements;
    }
}
