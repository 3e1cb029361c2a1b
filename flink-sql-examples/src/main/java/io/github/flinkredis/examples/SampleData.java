package io.github.flinkredis.examples;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The examples' sample data set: {@value #USERS} users (id 1 to {@value #USERS}), each as a hash
 * {@code example:user:<id>} (fields name, age, city, active, balance, signup), a string with its
 * visits, a set of tags, a list of page views, a member of the leaderboard sorted set and, where
 * the server has RedisJSON, a JSON profile.
 *
 * <p>The users are the rows of the bundled CSV file {@value #CSV_RESOURCE}; the SQL script {@value
 * #LOAD_SCRIPT} (and {@value #LOAD_JSON_SCRIPT} for the profiles) reads it with Flink's {@code
 * filesystem} connector and writes the keys with {@code INSERT INTO} redis tables. The values are a
 * pure function of the id ({@link #users()}, which a test checks the CSV file against), so tests
 * can compute the expected results.
 */
public final class SampleData {

    /** Number of users. */
    public static final int USERS = 1000;

    /** Key prefix of the user hashes. */
    public static final String USER_PREFIX = "example:user:";

    /** Key prefix of the strings holding each user's number of visits. */
    public static final String VISITS_PREFIX = "example:visits:";

    /** Key prefix of the sets holding each user's interests. */
    public static final String TAGS_PREFIX = "example:tags:";

    /** Key prefix of the lists holding each user's last page views, oldest first. */
    public static final String VIEWS_PREFIX = "example:views:";

    /** The sorted set of every user's points: member {@code user-<id>}, score the points. */
    public static final String LEADERBOARD = "example:leaderboard";

    /** Key prefix of the JSON profile documents (loaded where the server has RedisJSON). */
    public static final String PROFILE_PREFIX = "example:profile:";

    /** The bundled CSV file of the users, one line per user, a {@code #} comment line first. */
    public static final String CSV_RESOURCE = "/data/users.csv";

    /** The name of the CSV file in the directory the load scripts read it from. */
    public static final String CSV_FILE = "users.csv";

    /** The bundled SQL script that loads the sample data (all but the JSON profiles). */
    public static final String LOAD_SCRIPT = "/data/load.sql";

    /**
     * The bundled SQL script that loads the JSON profiles; it runs after {@value #LOAD_SCRIPT}, in
     * the same session, and needs RedisJSON.
     */
    public static final String LOAD_JSON_SCRIPT = "/data/load-json.sql";

    /** The placeholder for the Redis URL in the SQL scripts. */
    public static final String URL_PLACEHOLDER = "{{REDIS_URL}}";

    /** The placeholder for the directory holding {@value #CSV_FILE} in the load scripts. */
    public static final String DATA_DIR_PLACEHOLDER = "{{DATA_DIR}}";

    private static final String[] CITIES = {"Berlin", "Lisbon", "Oslo", "Paris", "Tokyo"};

    private static final String[] TAGS = {
        "art", "books", "food", "music", "sports", "tech", "travel"
    };

    private static final String[] PAGES = {"home", "search", "product", "cart", "checkout"};

    private SampleData() {}

    /** One user of the sample data. */
    public static final class User {
        public final long id;
        public final String name;
        public final int age;
        public final String city;
        public final boolean active;
        public final BigDecimal balance;
        public final LocalDate signup;

        User(long id) {
            this.id = id;
            this.name = "user-" + id;
            this.age = 18 + (int) ((id * 37) % 62);
            this.city = CITIES[(int) (id % CITIES.length)];
            this.active = id % 3 != 0;
            this.balance = BigDecimal.valueOf((id * 12_345) % 1_000_000, 2);
            this.signup = LocalDate.of(2024, 1, 1).plusDays(id % 366);
        }

        /** The user's number of visits, stored as a string at {@link #VISITS_PREFIX} + id. */
        public int visits() {
            return (int) ((id * 7) % 50);
        }

        /**
         * The user's interests: one or two tags, stored as the set at {@link #TAGS_PREFIX} + id.
         */
        public Set<String> tags() {
            Set<String> tags = new TreeSet<>();
            tags.add(TAGS[(int) (id % TAGS.length)]);
            tags.add(TAGS[(int) ((id * 3) % TAGS.length)]);
            return tags;
        }

        /** The user's last page views, oldest first: the list at {@link #VIEWS_PREFIX} + id. */
        public List<String> views() {
            List<String> views = new ArrayList<>();
            for (int j = 0; j < id % 4 + 1; j++) {
                views.add(PAGES[(int) ((id + j) % PAGES.length)]);
            }
            return views;
        }

        /** The user's points, the score of {@code user-<id>} in {@link #LEADERBOARD}. */
        public double points() {
            return (id * 7_919) % 1_000;
        }

        /** The zip code of the user's address in the JSON profile: five digits. */
        public String zip() {
            return String.format("%05d", id * 11);
        }

        /** The user's profile as a JSON document. */
        public String profileJson() {
            return String.format(
                    "{\"name\":\"%s\",\"age\":%d,\"address\":{\"city\":\"%s\",\"zip\":\"%s\"},"
                            + "\"interests\":[%s]}",
                    name,
                    age,
                    city,
                    zip(),
                    String.join(
                            ",", tags().stream().map(t -> "\"" + t + "\"").toArray(String[]::new)));
        }

        /** The hash fields as stored in Redis. */
        public Map<String, String> fields() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("age", Integer.toString(age));
            m.put("city", city);
            m.put("active", Boolean.toString(active));
            m.put("balance", balance.toPlainString());
            m.put("signup", signup.toString());
            return m;
        }
    }

    /** All users, by ascending id. */
    public static List<User> users() {
        List<User> users = new ArrayList<>(USERS);
        for (long id = 1; id <= USERS; id++) {
            users.add(new User(id));
        }
        return users;
    }

    /**
     * Writes the bundled CSV file ({@value #CSV_RESOURCE}) into {@code dir}, where Flink's {@code
     * filesystem} connector can read it.
     *
     * @return the written file, {@code dir}/{@value #CSV_FILE}
     */
    public static Path writeCsv(Path dir) throws IOException {
        Path file = dir.resolve(CSV_FILE);
        Files.writeString(file, resource(CSV_RESOURCE), StandardCharsets.UTF_8);
        return file;
    }

    /**
     * The SQL script that loads the sample data ({@value #LOAD_SCRIPT}), followed by the one that
     * loads the JSON profiles ({@value #LOAD_JSON_SCRIPT}) if {@code json}; {@value
     * #URL_PLACEHOLDER} and {@value #DATA_DIR_PLACEHOLDER} replaced by {@code redisUrl} and the
     * directory holding {@value #CSV_FILE} (see {@link #writeCsv}).
     */
    public static String loadScript(String redisUrl, Path dataDir, boolean json)
            throws IOException {
        String sql = resource(LOAD_SCRIPT);
        if (json) {
            sql = sql.strip() + "\n\n" + resource(LOAD_JSON_SCRIPT);
        }
        return sql.replace(URL_PLACEHOLDER, redisUrl)
                .replace(DATA_DIR_PLACEHOLDER, dataDir.toAbsolutePath().toString());
    }

    /**
     * Deletes the sample data's keys from the Redis server at {@code redisUrl}, so that a load
     * gives the same keys however often it runs (SADD and RPUSH would add to what an earlier load
     * wrote): per user id the hash, string, set, list and JSON document, and the leaderboard.
     */
    public static void clear(String redisUrl) {
        RedisClient client = RedisClient.create(redisUrl);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisAsyncCommands<String, String> async = connection.async();
            connection.setAutoFlushCommands(false);
            List<RedisFuture<?>> futures = new ArrayList<>();
            futures.add(async.del(LEADERBOARD));
            for (long id = 1; id <= USERS; id++) {
                futures.add(
                        async.del(
                                USER_PREFIX + id,
                                VISITS_PREFIX + id,
                                TAGS_PREFIX + id,
                                VIEWS_PREFIX + id,
                                PROFILE_PREFIX + id));
            }
            connection.flushCommands();
            if (!LettuceFutures.awaitAll(
                    Duration.ofSeconds(30), futures.toArray(new RedisFuture[0]))) {
                throw new IllegalStateException("Deleting the sample data timed out");
            }
        } finally {
            client.shutdown();
        }
    }

    /**
     * Whether the Redis server at {@code redisUrl} knows JSON.SET (the RedisJSON module, built into
     * Redis 8), so that the JSON profiles can be loaded.
     */
    public static boolean hasJson(String redisUrl) {
        return hasCommand(redisUrl, "JSON.SET");
    }

    /** The RediSearch index of the user hashes that search.sql reads through. */
    public static final String SEARCH_INDEX = "example-users";

    /**
     * Whether the Redis server at {@code redisUrl} knows FT.CREATE (the RediSearch module, built
     * into Redis 8), which the search example needs.
     */
    public static boolean hasSearch(String redisUrl) {
        return hasCommand(redisUrl, "FT.CREATE");
    }

    /**
     * Creates the index {@value #SEARCH_INDEX} of the user hashes ({@code FT.CREATE example-users
     * ON HASH PREFIX 1 example:user: SCHEMA city TAG age NUMERIC}), dropping an earlier one, and
     * waits until it has indexed the hashes that exist (FT.INFO {@code indexing} 0, at most 30 s).
     */
    public static void createSearchIndex(String redisUrl) {
        RedisClient client = RedisClient.create(redisUrl);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            try {
                ftCommand(connection, "FT.DROPINDEX", SEARCH_INDEX);
            } catch (RedisCommandExecutionException absent) {
                // the first run
            }
            ftCommand(
                    connection,
                    "FT.CREATE",
                    SEARCH_INDEX,
                    "ON",
                    "HASH",
                    "PREFIX",
                    "1",
                    USER_PREFIX,
                    "SCHEMA",
                    "city",
                    "TAG",
                    "age",
                    "NUMERIC");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (true) {
                List<Object> info = ftCommand(connection, "FT.INFO", SEARCH_INDEX);
                int at = info.indexOf("indexing");
                if (at >= 0 && Double.parseDouble(String.valueOf(info.get(at + 1))) == 0) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "Index " + SEARCH_INDEX + " did not finish indexing within 30 s");
                }
                Thread.onSpinWait();
            }
        } finally {
            client.shutdown();
        }
    }

    /** A RediSearch command as typed in redis-cli, and its reply. */
    private static List<Object> ftCommand(
            StatefulRedisConnection<String, String> connection, String... command) {
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8);
        for (int i = 1; i < command.length; i++) {
            args.add(command[i]);
        }
        ProtocolKeyword keyword =
                new ProtocolKeyword() {
                    @Override
                    public byte[] getBytes() {
                        return command[0].getBytes(StandardCharsets.US_ASCII);
                    }

                    @Override
                    public String toString() {
                        return command[0];
                    }
                };
        return connection.sync().dispatch(keyword, new NestedMultiOutput<>(StringCodec.UTF8), args);
    }

    /**
     * Whether the Redis server at {@code redisUrl} knows TS.ADD (the RedisTimeSeries module, built
     * into Redis 8), which the timeseries example needs.
     */
    public static boolean hasTimeSeries(String redisUrl) {
        return hasCommand(redisUrl, "TS.ADD");
    }

    /** Whether the Redis server at {@code redisUrl} knows {@code command} (COMMAND INFO). */
    private static boolean hasCommand(String redisUrl, String command) {
        RedisClient client = RedisClient.create(redisUrl);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            List<Object> info = connection.sync().commandInfo(command);
            return info != null && !info.isEmpty() && info.get(0) != null;
        } finally {
            client.shutdown();
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = SampleData.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("No resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
