package io.github.flinkredis.examples;

import io.github.flinkredis.testutils.RedisServer;
import io.github.flinkredis.testutils.RedisStack;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;

/**
 * Runs one of the example SQL scripts on an embedded Flink MiniCluster.
 *
 * <p>Usage: {@code SqlExampleRunner [script]}, where the script is a file path or the name of a
 * bundled example ({@code workbench.sql} by default). The Redis server is the one in {@code
 * REDIS_URL}; without it, a {@code redis-server} is started on a free port (as the tests do) and
 * stopped at the end. Either way the sample data ({@link SampleData}) is loaded first, by the SQL
 * script {@code data/load.sql} ({@link #loadSampleData}). In the script, {@code {{REDIS_URL}}}
 * stands for the server's URL; {@code SET 'key' = 'value';} lines set table options.
 */
public final class SqlExampleRunner {

    /** The placeholder for the Redis URL in the example scripts. */
    public static final String URL_PLACEHOLDER = SampleData.URL_PLACEHOLDER;

    private SqlExampleRunner() {}

    public static void main(String[] args) throws Exception {
        String script = args.length > 0 ? args[0] : "workbench.sql";
        String sql = readScript(script);
        // a server with modules where REDIS_STACK_URL or REDIS_MODULES says so, else the usual one
        Optional<RedisServer> stack = RedisStack.server();
        RedisServer redis = stack.orElseGet(RedisServer::start);
        try {
            System.out.println("Redis: " + redis);
            boolean json = loadSampleData(redis.url());
            System.out.println(
                    "Loaded "
                            + SampleData.USERS
                            + " users from "
                            + SampleData.CSV_RESOURCE.substring(1)
                            + " with "
                            + SampleData.LOAD_SCRIPT.substring(1)
                            + (json ? " and " + SampleData.LOAD_JSON_SCRIPT.substring(1) : "")
                            + ": hashes "
                            + SampleData.USER_PREFIX
                            + "*, strings "
                            + SampleData.VISITS_PREFIX
                            + "*, sets "
                            + SampleData.TAGS_PREFIX
                            + "*, lists "
                            + SampleData.VIEWS_PREFIX
                            + "*, the sorted set "
                            + SampleData.LEADERBOARD
                            + (json
                                    ? ", JSON documents " + SampleData.PROFILE_PREFIX + "*"
                                    : " (no JSON documents: the server has no RedisJSON)"));
            if (!json && sql.contains("'data-type' = 'json'")) {
                System.err.println(
                        script
                                + " reads RedisJSON documents: set REDIS_URL to a server with the"
                                + " RedisJSON module (Redis Stack, Redis 8), or REDIS_MODULES to"
                                + " the module file (rejson.so) for a server started here.");
                System.exit(2);
            }
            if (sql.contains("'data-type' = 'timeseries'")
                    && !SampleData.hasTimeSeries(redis.url())) {
                System.err.println(
                        script
                                + " reads RedisTimeSeries series: set REDIS_URL to a server with"
                                + " the RedisTimeSeries module (Redis Stack, Redis 8), or"
                                + " REDIS_MODULES to the module file (redistimeseries.so) for a"
                                + " server started here.");
                System.exit(2);
            }
            boolean search = SampleData.hasSearch(redis.url());
            if (search) {
                SampleData.createSearchIndex(redis.url());
                System.out.println(
                        "Created the RediSearch index "
                                + SampleData.SEARCH_INDEX
                                + " of the hashes "
                                + SampleData.USER_PREFIX
                                + "*");
            } else if (sql.contains("'search.index' = '" + SampleData.SEARCH_INDEX + "'")) {
                System.err.println(
                        script
                                + " reads through a RediSearch index: set REDIS_URL to a server"
                                + " with the RediSearch module (Redis Stack, Redis 8), or"
                                + " REDIS_MODULES to the module file (redisearch.so) for a"
                                + " server started here.");
                System.exit(2);
            }
            run(sql.replace(URL_PLACEHOLDER, redis.url()));
        } finally {
            if (stack.isEmpty()) {
                redis.close();
            }
        }
        System.exit(0);
    }

    /**
     * Loads the sample data into the Redis server at {@code redisUrl} with Flink SQL: deletes the
     * keys of an earlier load ({@link SampleData#clear}), writes the bundled CSV file to a
     * temporary directory and runs {@value SampleData#LOAD_SCRIPT} on it, and {@value
     * SampleData#LOAD_JSON_SCRIPT} too where the server has RedisJSON. Each {@code INSERT} has
     * ended when this returns.
     *
     * @return whether the JSON profiles were loaded
     */
    public static boolean loadSampleData(String redisUrl) throws IOException {
        SampleData.clear(redisUrl);
        boolean json = SampleData.hasJson(redisUrl);
        Path dir = Files.createTempDirectory("flink-redis-sample-data");
        try {
            Path csv = SampleData.writeCsv(dir);
            try {
                execute(SampleData.loadScript(redisUrl, dir, json), false);
            } finally {
                Files.deleteIfExists(csv);
            }
        } finally {
            Files.deleteIfExists(dir);
        }
        return json;
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

    /**
     * Runs each statement of a script, printing each statement and its result (query results as
     * tables). {@code SET} lines set table options; as in Flink's SQL client, {@code SET
     * 'execution.runtime-mode' = ...} switches between batch (the default) and streaming: the
     * statements run so far that created tables are run again in a table environment of the new
     * mode. An {@code INSERT} or {@code EXECUTE STATEMENT SET} has ended before the next statement
     * runs.
     */
    public static void run(String sql) {
        execute(sql, true);
    }

    private static void execute(String sql, boolean print) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> definitions = new ArrayList<>();
        TableEnvironment tEnv = null;
        for (String statement : statements(sql)) {
            String upper = statement.toUpperCase(java.util.Locale.ROOT);
            if (print) {
                System.out.println();
                System.out.println("Flink SQL> " + statement.replace("\n", "\n> ") + ";");
            }
            if (upper.startsWith("SET ")) {
                String[] kv = statement.substring(4).split("=", 2);
                String key = unquote(kv[0]);
                String value = unquote(kv[1]);
                String before = options.put(key, value);
                if (RUNTIME_MODE.equals(key) && !value.equals(before)) {
                    tEnv = null; // made again, in the new mode, by the next statement
                } else if (tEnv != null) {
                    tEnv.getConfig().getConfiguration().setString(key, value);
                }
                continue;
            }
            if (tEnv == null) {
                tEnv = tableEnvironment(options, definitions);
            }
            if (upper.startsWith("CREATE ")) {
                definitions.add(statement);
            }
            TableResult result = tEnv.executeSql(statement);
            if (print) {
                result.print();
            }
            if (upper.startsWith("INSERT ") || upper.startsWith("EXECUTE ")) {
                // named by its first line only: the statement may hold a URL with a password
                String name = statement.lines().findFirst().orElse(statement);
                try {
                    result.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while running: " + name, e);
                } catch (ExecutionException e) {
                    throw new IllegalStateException("Failed: " + name, e.getCause());
                }
            }
        }
    }

    private static final String RUNTIME_MODE = "execution.runtime-mode";

    private static TableEnvironment tableEnvironment(
            Map<String, String> options, List<String> definitions) {
        boolean streaming = "streaming".equalsIgnoreCase(options.get(RUNTIME_MODE));
        TableEnvironment tEnv =
                TableEnvironment.create(
                        streaming
                                ? EnvironmentSettings.inStreamingMode()
                                : EnvironmentSettings.inBatchMode());
        options.forEach(
                (k, v) -> {
                    if (!RUNTIME_MODE.equals(k)) {
                        tEnv.getConfig().getConfiguration().setString(k, v);
                    }
                });
        for (String definition : definitions) {
            tEnv.executeSql(definition);
        }
        return tEnv;
    }

    private static String unquote(String s) {
        String t = s.trim();
        return t.startsWith("'") && t.endsWith("'") ? t.substring(1, t.length() - 1) : t;
    }

    /**
     * Splits a script at semicolons that end a line, dropping comment lines; a statement set
     * ({@code EXECUTE STATEMENT SET BEGIN ... END;}) is one statement, ended by a line {@code
     * END;}.
     */
    public static List<String> statements(String sql) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : sql.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("--") || trimmed.isEmpty()) {
                continue;
            }
            current.append(line).append('\n');
            boolean inStatementSet =
                    current.toString()
                            .trim()
                            .toUpperCase(java.util.Locale.ROOT)
                            .replaceAll("\\s+", " ")
                            .startsWith("EXECUTE STATEMENT SET");
            if (inStatementSet ? trimmed.equalsIgnoreCase("END;") : trimmed.endsWith(";")) {
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
