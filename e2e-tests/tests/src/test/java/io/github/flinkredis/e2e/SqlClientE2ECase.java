package io.github.flinkredis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.e2e.FlinkSqlClient.Run;
import io.github.flinkredis.e2e.TableauResults.Table;
import io.github.flinkredis.examples.SampleData;
import io.github.flinkredis.examples.SampleData.User;
import io.github.flinkredis.testutils.RedisServer;
import io.github.flinkredis.testutils.RedisStack;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SQL examples and failure scenarios through Flink's own SQL client, on each supported Flink
 * version, with only the shaded {@code flink-sql-connector-redis} jar added ({@code -j}).
 *
 * <p>Per Flink version, one client process loads the sample data from the bundled CSV file ({@code
 * data/load.sql}, through the distribution's filesystem connector and csv format); then all example
 * scripts of flink-sql-examples run in another one: each runs unchanged in a fresh session state
 * ({@code RESET}) and its own database, announced by {@code SHOW CURRENT DATABASE} so its results
 * can be told apart. The client exits 0 even when a statement fails, so the output is checked for
 * {@code [ERROR]}.
 */
class SqlClientE2ECase {

    /** The placeholder for the Redis URL in the example scripts. */
    private static final String URL_PLACEHOLDER = "{{REDIS_URL}}";

    private static final String WRONG_PASSWORD = "e2e-Wr0ng-Pa55w0rd";

    /** Exact expected results of the examples that have them, by script name. */
    private static final Map<String, Function<List<User>, List<Table>>> EXPECTED =
            Map.ofEntries(
                    Map.entry("workbench.sql", SqlClientE2ECase::workbenchResults),
                    Map.entry("arrow.sql", SqlClientE2ECase::arrowResults),
                    Map.entry("strings.sql", SqlClientE2ECase::stringsResults),
                    Map.entry("sets.sql", users -> List.of(collectionsResults(users).get(0))),
                    Map.entry("lists.sql", users -> List.of(collectionsResults(users).get(1))),
                    Map.entry("zsets.sql", users -> List.of(collectionsResults(users).get(2))),
                    Map.entry("json.sql", SqlClientE2ECase::jsonResults),
                    Map.entry("timeseries.sql", users -> timeseriesResults()),
                    Map.entry("search.sql", SqlClientE2ECase::searchResults),
                    Map.entry("catalog.sql", SqlClientE2ECase::catalogResults),
                    Map.entry("upserts.sql", SqlClientE2ECase::upsertsResults),
                    Map.entry("enrichment.sql", SqlClientE2ECase::enrichmentResults));

    private static RedisServer redis;
    private static boolean ownRedis;

    /** Whether the server has RedisJSON, so that json.sql runs too. */
    private static boolean json;

    /** Whether the server has RedisTimeSeries, so that timeseries.sql runs too. */
    private static boolean timeseries;

    /** Whether the server has RediSearch, so that search.sql runs too. */
    private static boolean search;

    @BeforeAll
    static void startRedis() throws IOException {
        // a server with modules where REDIS_STACK_URL or REDIS_MODULES names one
        redis = RedisStack.server().orElse(null);
        ownRedis = redis == null;
        if (ownRedis) {
            redis = RedisServer.start();
        }
        json = SampleData.hasJson(redis.url());
        timeseries = SampleData.hasTimeSeries(redis.url());
        search = SampleData.hasSearch(redis.url());
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null && ownRedis) {
            redis.close();
        }
    }

    static List<FlinkSqlClient> flinkVersions() throws IOException {
        return FlinkSqlClient.fromSystemProperty();
    }

    @ParameterizedTest(name = "Flink {0}")
    @MethodSource("flinkVersions")
    void examplesPrintTheExpectedRows(FlinkSqlClient flink) throws Exception {
        Map<String, String> examples = exampleScripts();
        assertThat(examples).containsKey("workbench.sql");
        if (!json) {
            // json.sql needs RedisJSON: set REDIS_STACK_URL or REDIS_MODULES to run it too
            examples.remove("json.sql");
        }
        if (!timeseries) {
            // timeseries.sql needs RedisTimeSeries: set REDIS_STACK_URL or REDIS_MODULES to run it
            examples.remove("timeseries.sql");
        }

        if (!search) {
            // search.sql needs RediSearch: set REDIS_STACK_URL or REDIS_MODULES to run it too
            examples.remove("search.sql");
        }

        loadSampleData(flink);
        if (search) {
            SampleData.createSearchIndex(redis.url());
        }

        Path dir = workDir(flink, "examples");
        Path script = dir.resolve("examples.sql");
        Files.writeString(script, allInOneScript(examples, redis.url()));
        Run run = runClean(flink, script, dir, "examples", -1);
        Map<String, List<Table>> results =
                resultsByExample(examples.keySet(), TableauResults.parse(run.stdout), run);
        for (Map.Entry<String, Function<List<User>, List<Table>>> expected : EXPECTED.entrySet()) {
            if (!examples.containsKey(expected.getKey())) {
                continue;
            }
            assertThat(results.get(expected.getKey()))
                    .as("results of %s%n%s", expected.getKey(), run.describe())
                    .containsExactlyElementsOf(expected.getValue().apply(SampleData.users()));
        }
    }

    /**
     * Loads the sample data as the launcher does, but through this version's SQL client, in a
     * client process of its own: the keys of an earlier load deleted, then {@code data/load.sql}
     * (and {@code data/load-json.sql} where the server has RedisJSON) run on the bundled CSV file,
     * read by the distribution's filesystem connector and csv format.
     */
    private static void loadSampleData(FlinkSqlClient flink) throws Exception {
        SampleData.clear(redis.url());
        Path dir = workDir(flink, "sample-data");
        Path data = Files.createDirectories(dir.resolve("data"));
        SampleData.writeCsv(data);
        Path script = dir.resolve("load.sql");
        Files.writeString(script, SampleData.loadScript(redis.url(), data, json));
        runClean(flink, script, dir, "sample-data", json ? 2 : 1);
    }

    /**
     * Runs {@code script} in {@code flink}'s SQL client with the shaded connector jar, in {@code
     * dir}, and checks that it ran clean: exit code 0, no {@code [ERROR]} in the output and, unless
     * {@code updates} is -1, exactly {@code updates} INSERT statements completed (with {@code
     * 'table.dml-sync'} the client reports each INSERT's end).
     */
    static Run runClean(FlinkSqlClient flink, Path script, Path dir, String scenario, int updates)
            throws Exception {
        Run run = flink.run(script, connectorJar(), dir, timeout());
        report(scenario, run);
        assertThat(run.exitCode).as(run.describe()).isZero();
        assertThat(run.errors()).as(run.describe()).isEmpty();
        if (updates >= 0) {
            assertThat(run.stdout.split("Complete execution of the SQL update statement", -1))
                    .as(run.describe())
                    .hasSize(updates + 1);
        }
        return run;
    }

    @ParameterizedTest(name = "Flink {0}")
    @MethodSource("flinkVersions")
    void wrongPasswordFailsWithAnAuthenticationErrorThatHidesThePassword(FlinkSqlClient flink)
            throws Exception {
        try (RedisServer secured = RedisServer.startLocal(List.of("--requirepass", "secret"))) {
            Path dir = workDir(flink, "wrong-password");
            Path script = dir.resolve("wrong-password.sql");
            Files.writeString(
                    script,
                    resource("/scenarios/wrong-password.sql")
                            .replace(URL_PLACEHOLDER, secured.url())
                            .replace("{{WRONG_PASSWORD}}", WRONG_PASSWORD));
            Run run = flink.run(script, connectorJar(), dir, timeout());
            report("wrong-password", run);

            String errors = String.join("\n", run.errors());
            assertThat(errors).as(run.describe()).isNotEmpty();
            // The client prints only the deepest cause of an error: the connector's message,
            // which names the options to check.
            assertThat(errors)
                    .as(run.describe())
                    .containsPattern("Authentication to Redis at \\S+ failed")
                    .contains("'password'");
            assertThat(TableauResults.parse(run.stdout)).as(run.describe()).isEmpty();
            String log = run.log();
            assertThat(log)
                    .as("log %s", run.logFile)
                    .containsPattern("Authentication to Redis at \\S+ failed")
                    .contains("'password'");

            // The password may appear only where the client echoes the user's own statement.
            String echo = "'password' = '" + WRONG_PASSWORD + "'";
            assertThat(run.stdout.replace(echo, ""))
                    .as(run.describe())
                    .doesNotContain(WRONG_PASSWORD);
            assertThat(run.stderr).as(run.describe()).doesNotContain(WRONG_PASSWORD);
            assertThat(log.replace(echo, ""))
                    .as("log %s", run.logFile)
                    .doesNotContain(WRONG_PASSWORD);
        }
    }

    // ---------------------------------------------------------------------------------------
    // expected results, computed from the sample data

    /** The queries of sets.sql, lists.sql and zsets.sql, in this order. */
    private static List<Table> collectionsResults(List<User> users) {
        Map<String, Integer> perTag = new TreeMap<>();
        Map<String, Integer> firstPage = new TreeMap<>();
        for (User u : users) {
            u.tags().forEach(t -> perTag.merge(t, 1, Integer::sum));
            firstPage.merge(u.views().get(0), 1, Integer::sum);
        }
        List<List<String>> top = new ArrayList<>();
        users.stream()
                .filter(u -> u.points() > 990)
                .sorted((a, b) -> Double.compare(b.points(), a.points()))
                .forEach(
                        u ->
                                top.add(
                                        List.of(
                                                u.name,
                                                Double.toString(u.points()),
                                                Long.toString(
                                                        users.stream()
                                                                .filter(
                                                                        o ->
                                                                                o.points()
                                                                                        < u
                                                                                                .points())
                                                                .count()))));
        return List.of(
                new Table(List.of("tag", "users"), counts(perTag)),
                new Table(List.of("page", "users"), counts(firstPage)),
                new Table(List.of("player", "points", "place"), top));
    }

    /** The query of enrichment.sql: four orders joined with users 7, 8, 7 and none. */
    private static List<Table> enrichmentResults(List<User> users) {
        User u7 = users.stream().filter(u -> u.id == 7).findFirst().orElseThrow();
        User u8 = users.stream().filter(u -> u.id == 8).findFirst().orElseThrow();
        return List.of(
                new Table(
                        List.of("order_id", "user_id", "name", "city", "amount"),
                        List.of(
                                List.of("1001", "7", u7.name, u7.city, "19.99"),
                                List.of("1002", "8", u8.name, u8.city, "5.00"),
                                List.of("1003", "7", u7.name, u7.city, "42.50"),
                                List.of("1004", "5000", "<NULL>", "<NULL>", "12.00"))));
    }

    /** The query of upserts.sql: what the streaming aggregation left in Redis. */
    private static List<Table> upsertsResults(List<User> users) {
        Map<String, List<User>> byCity =
                users.stream()
                        .collect(
                                Collectors.groupingBy(
                                        u -> u.city, TreeMap::new, Collectors.toList()));
        List<List<String>> rows = new ArrayList<>();
        byCity.forEach(
                (city, members) ->
                        rows.add(
                                List.of(
                                        city,
                                        Integer.toString(members.size()),
                                        Long.toString(
                                                members.stream().mapToLong(u -> u.age).sum()
                                                        / members.size()))));
        return List.of(new Table(List.of("city", "users", "avg_age"), rows));
    }

    /**
     * The two queries of timeseries.sql: the temp readings of 30 or more in its first minute
     * (values 20 + n % 60 every 5 s), and 288 buckets of 5 minutes per sensor, each the average of
     * 60 readings cycling through base + 0 ... base + 59.
     */
    private static List<Table> timeseriesResults() {
        return List.of(
                new Table(
                        List.of("sensor", "val"),
                        List.of(List.of("temp", "30.0"), List.of("temp", "31.0"))),
                new Table(
                        List.of("sensor", "bucket_count", "low", "high"),
                        List.of(
                                List.of("humidity", "288", "69.5", "69.5"),
                                List.of("temp", "288", "49.5", "49.5"))));
    }

    /**
     * The three queries of search.sql: the users of Oslo aged 78 or more, per city the users aged
     * 30 to 39 with the youngest and oldest age, and per city the users.
     */
    private static List<Table> searchResults(List<User> users) {
        List<List<String>> oslo =
                users.stream()
                        .filter(u -> u.age >= 78 && u.city.equals("Oslo"))
                        .map(u -> List.of(Long.toString(u.id), u.name, Integer.toString(u.age)))
                        .collect(Collectors.toList());
        List<List<String>> perCity =
                perCity(users, u -> u.age >= 30 && u.age <= 39, true, members -> List.of());
        List<List<String>> counts =
                perCity(users, u -> true, false, members -> List.of()).stream()
                        .map(row -> row.subList(0, 2))
                        .collect(Collectors.toList());
        return List.of(
                new Table(List.of("id", "name", "age"), oslo),
                new Table(List.of("city", "users", "youngest", "oldest"), perCity),
                new Table(List.of("city", "users"), counts));
    }

    /**
     * The two statements of catalog.sql: the inferred columns of the user hashes (100 of them
     * sampled), and per city the users and the youngest age, read through the inferred table.
     */
    private static List<Table> catalogResults(List<User> users) {
        List<List<String>> columns = new ArrayList<>();
        String[][] inferred = {
            {"id", "INT"},
            {"active", "BOOLEAN"},
            {"age", "INT"},
            {"balance", "DECIMAL(10, 2)"},
            {"city", "STRING"},
            {"name", "STRING"},
            {"signup", "DATE"}
        };
        for (String[] c : inferred) {
            boolean key = c[0].equals("id");
            columns.add(
                    List.of(
                            c[0],
                            c[1],
                            key ? "FALSE" : "TRUE",
                            key ? "PRI(id)" : "",
                            "",
                            "",
                            "inferred from 100 values: all read as " + c[1] + "; in 100% of keys"));
        }
        List<List<String>> perCity = perCity(users, u -> true, false, members -> List.of());
        return List.of(
                new Table(
                        List.of("name", "type", "null", "key", "extras", "watermark", "comment"),
                        columns),
                new Table(List.of("city", "users", "youngest"), perCity));
    }

    /** The two queries of json.sql. */
    private static List<Table> jsonResults(List<User> users) {
        Map<String, Integer> perCity = new TreeMap<>();
        users.forEach(u -> perCity.merge(u.city, 1, Integer::sum));
        List<List<String>> pointRead =
                users.stream()
                        .filter(u -> u.id == 7 || u.id == 8)
                        .map(
                                u ->
                                        List.of(
                                                Long.toString(u.id),
                                                u.name,
                                                Integer.toString(u.age),
                                                u.tags().toString()))
                        .collect(Collectors.toList());
        return List.of(
                new Table(List.of("city", "users"), counts(perCity)),
                new Table(List.of("id", "name", "age", "interests"), pointRead));
    }

    private static List<List<String>> counts(Map<String, Integer> counts) {
        List<List<String>> rows = new ArrayList<>();
        counts.forEach((k, v) -> rows.add(List.of(k, Integer.toString(v))));
        return rows;
    }

    /** The two queries of strings.sql. */
    private static List<Table> stringsResults(List<User> users) {
        long total = users.stream().mapToLong(User::visits).sum();
        List<List<String>> pointRead =
                users.stream()
                        .filter(u -> u.id == 7 || u.id == 8)
                        .map(u -> List.of(Long.toString(u.id), Integer.toString(u.visits())))
                        .collect(Collectors.toList());
        return List.of(
                new Table(
                        List.of("users", "total_visits"),
                        List.of(List.of(Integer.toString(users.size()), Long.toString(total)))),
                new Table(List.of("id", "visits"), pointRead));
    }

    /**
     * Per city (in order) of the users {@code keep} keeps: the city, the number of users, the
     * youngest age and, with {@code oldest}, the oldest; then what {@code more} adds.
     */
    private static List<List<String>> perCity(
            List<User> users,
            java.util.function.Predicate<User> keep,
            boolean oldest,
            Function<List<User>, List<String>> more) {
        Map<String, List<User>> byCity = new TreeMap<>();
        users.stream()
                .filter(keep)
                .forEach(u -> byCity.computeIfAbsent(u.city, c -> new ArrayList<>()).add(u));
        List<List<String>> rows = new ArrayList<>();
        byCity.forEach(
                (city, members) -> {
                    List<String> row = new ArrayList<>();
                    row.add(city);
                    row.add(Integer.toString(members.size()));
                    row.add(
                            Integer.toString(
                                    members.stream().mapToInt(u -> u.age).min().orElseThrow()));
                    if (oldest) {
                        row.add(
                                Integer.toString(
                                        members.stream().mapToInt(u -> u.age).max().orElseThrow()));
                    }
                    row.addAll(more.apply(members));
                    rows.add(row);
                });
        return rows;
    }

    /** The query of arrow.sql: per city the users, the youngest age and the balances' sum. */
    private static List<Table> arrowResults(List<User> users) {
        List<List<String>> perCity =
                perCity(
                        users,
                        u -> true,
                        false,
                        members ->
                                List.of(
                                        members.stream()
                                                .map(u -> u.balance)
                                                .reduce(BigDecimal.ZERO, BigDecimal::add)
                                                .toPlainString()));
        return List.of(new Table(List.of("city", "users", "youngest", "total_balance"), perCity));
    }

    /** The three queries of workbench.sql. */
    private static List<Table> workbenchResults(List<User> users) {
        // SELECT city, COUNT(*), MIN(age), MAX(age), SUM(balance) ... GROUP BY city ORDER BY city
        List<List<String>> perCity =
                perCity(
                        users,
                        u -> true,
                        true,
                        members ->
                                List.of(
                                        members.stream()
                                                .map(u -> u.balance)
                                                .reduce(BigDecimal.ZERO, BigDecimal::add)
                                                .toPlainString()));

        // SELECT id, name, age WHERE age >= 78 AND active ORDER BY id LIMIT 5
        List<List<String>> oldActive =
                users.stream()
                        .filter(u -> u.age >= 78 && u.active)
                        .sorted(Comparator.comparingLong(u -> u.id))
                        .limit(5)
                        .map(u -> List.of(Long.toString(u.id), u.name, Integer.toString(u.age)))
                        .collect(Collectors.toList());

        // SELECT redis_key, name, signup WHERE id IN (1, 2, 3) ORDER BY id
        List<List<String>> keys =
                users.stream()
                        .filter(u -> u.id >= 1 && u.id <= 3)
                        .sorted(Comparator.comparingLong(u -> u.id))
                        .map(
                                u ->
                                        List.of(
                                                SampleData.USER_PREFIX + u.id,
                                                u.name,
                                                u.signup.toString()))
                        .collect(Collectors.toList());

        assertThat(oldActive).as("the sample data has old active users").hasSize(5);
        return List.of(
                new Table(List.of("city", "users", "youngest", "oldest", "total_balance"), perCity),
                new Table(List.of("id", "name", "age"), oldActive),
                new Table(List.of("redis_key", "name", "signup"), keys));
    }

    // ---------------------------------------------------------------------------------------
    // scripts

    /** The example scripts bundled in flink-sql-examples ({@code examples/*.sql}), by name. */
    private static Map<String, String> exampleScripts() throws IOException, URISyntaxException {
        Path location =
                Path.of(
                        SampleData.class
                                .getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .toURI());
        List<String> names;
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.list(location.resolve("examples"))) {
                names =
                        files.map(p -> p.getFileName().toString())
                                .filter(n -> n.endsWith(".sql"))
                                .collect(Collectors.toList());
            }
        } else {
            try (JarFile jar = new JarFile(location.toFile())) {
                names =
                        jar.stream()
                                .map(e -> e.getName())
                                .filter(n -> n.startsWith("examples/") && n.endsWith(".sql"))
                                .map(n -> n.substring("examples/".length()))
                                .filter(n -> !n.contains("/"))
                                .collect(Collectors.toList());
            }
        }
        Map<String, String> scripts = new LinkedHashMap<>();
        for (String name : names.stream().sorted().collect(Collectors.toList())) {
            scripts.put(name, resource("/examples/" + name));
        }
        return scripts;
    }

    /**
     * One script running every example unchanged, each after {@code RESET} (session properties back
     * to config.yaml), in its own database of the default catalog, announced by {@code SHOW CURRENT
     * DATABASE}.
     */
    private static String allInOneScript(Map<String, String> examples, String redisUrl) {
        StringBuilder sb = new StringBuilder();
        examples.forEach(
                (name, sql) ->
                        sb.append("-- ==== ")
                                .append(name)
                                .append(" ====\n")
                                .append("RESET;\n")
                                .append("SET 'sql-client.execution.result-mode' = 'tableau';\n")
                                .append("USE CATALOG default_catalog;\n")
                                .append("CREATE DATABASE ")
                                .append(database(name))
                                .append(";\n")
                                .append("USE ")
                                .append(database(name))
                                .append(";\n")
                                .append("SHOW CURRENT DATABASE;\n\n")
                                .append(sql.replace(URL_PLACEHOLDER, redisUrl).strip())
                                .append("\n\n"));
        return sb.toString();
    }

    private static String database(String example) {
        return "e2e_" + example.replaceAll("\\.sql$", "").replaceAll("[^A-Za-z0-9]", "_");
    }

    /** Splits the printed tables at the {@code SHOW CURRENT DATABASE} of each example. */
    private static Map<String, List<Table>> resultsByExample(
            Iterable<String> examples, List<Table> tables, Run run) {
        List<Integer> starts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int from = 0;
        for (String name : examples) {
            List<String> marker = List.of(database(name));
            int at = -1;
            for (int i = from; i < tables.size(); i++) {
                if (tables.get(i).rows.size() == 1 && tables.get(i).rows.get(0).equals(marker)) {
                    at = i;
                    break;
                }
            }
            assertThat(at)
                    .as("start of %s in the output%n%s", name, run.describe())
                    .isNotNegative();
            starts.add(at);
            names.add(name);
            from = at + 1;
        }
        starts.add(tables.size());
        Map<String, List<Table>> results = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            results.put(names.get(i), tables.subList(starts.get(i) + 1, starts.get(i + 1)));
        }
        return results;
    }

    static String resource(String name) throws IOException {
        try (InputStream in = SqlClientE2ECase.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("No resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    // ---------------------------------------------------------------------------------------
    // environment

    static Path connectorJar() {
        String jar = System.getProperty("e2e.connector.jar");
        assertThat(jar).as("system property e2e.connector.jar (set by Maven)").isNotBlank();
        Path path = Path.of(jar);
        assertThat(path)
                .as("the shaded connector jar; build flink-sql-connector-redis")
                .isRegularFile();
        return path;
    }

    static Duration timeout() {
        return Duration.ofSeconds(Long.getLong("e2e.timeout.seconds", 300));
    }

    static Path workDir(FlinkSqlClient flink, String scenario) throws IOException {
        Path dir =
                Path.of(System.getProperty("e2e.work.dir", "target/e2e"))
                        .resolve("flink-" + flink.version())
                        .resolve(scenario)
                        .toAbsolutePath();
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return Files.createDirectories(dir);
    }

    static void report(String scenario, Run run) {
        System.out.printf(
                "Flink %s, %s: exit code %d after %d s (files in %s)%n%s%n",
                run.client.version(),
                scenario,
                run.exitCode,
                run.took.toSeconds(),
                run.workDir,
                run.stdout);
    }
}
