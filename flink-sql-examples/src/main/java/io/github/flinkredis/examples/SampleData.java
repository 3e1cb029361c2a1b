package io.github.flinkredis.examples;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The examples' sample data set: {@value #USERS} user hashes {@code example:user:<id>} (id 1 to
 * {@value #USERS}) with the fields name, age, city, active, balance and signup. The values are a
 * pure function of the id, so tests can compute the expected results.
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

        /** The user's profile as a JSON document. */
        public String profileJson() {
            return String.format(
                    "{\"name\":\"%s\",\"age\":%d,\"address\":{\"city\":\"%s\",\"zip\":\"%05d\"},"
                            + "\"interests\":[%s]}",
                    name,
                    age,
                    city,
                    id * 11,
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
     * Writes the sample data to the Redis server at {@code redisUrl}, pipelined: per user a hash
     * (HSET), a string with its visits (SET), a set of tags (SADD), a list of page views (RPUSH),
     * its points in the leaderboard sorted set (ZADD) and, where the server has the RedisJSON
     * module, a JSON profile (JSON.SET).
     *
     * @return whether the JSON profiles were written
     */
    public static boolean load(String redisUrl) {
        RedisClient client = RedisClient.create(redisUrl);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisAsyncCommands<String, String> async = connection.async();
            boolean json = hasJson(connection);
            connection.setAutoFlushCommands(false);
            List<RedisFuture<?>> futures = new ArrayList<>();
            for (User user : users()) {
                futures.add(async.hset(USER_PREFIX + user.id, user.fields()));
                futures.add(async.set(VISITS_PREFIX + user.id, Integer.toString(user.visits())));
                futures.add(async.del(TAGS_PREFIX + user.id, VIEWS_PREFIX + user.id));
                futures.add(async.sadd(TAGS_PREFIX + user.id, user.tags().toArray(new String[0])));
                futures.add(
                        async.rpush(VIEWS_PREFIX + user.id, user.views().toArray(new String[0])));
                futures.add(async.zadd(LEADERBOARD, user.points(), user.name));
                if (json) {
                    futures.add(
                            async.dispatch(
                                    CommandType.JSON_SET,
                                    new StatusOutput<>(StringCodec.UTF8),
                                    new CommandArgs<>(StringCodec.UTF8)
                                            .addKey(PROFILE_PREFIX + user.id)
                                            .add("$")
                                            .add(user.profileJson())));
                }
            }
            connection.flushCommands();
            if (!LettuceFutures.awaitAll(
                    Duration.ofSeconds(30), futures.toArray(new RedisFuture[0]))) {
                throw new IllegalStateException("Loading the sample data timed out");
            }
            return json;
        } finally {
            client.shutdown();
        }
    }

    /** Whether the server knows JSON.SET (the RedisJSON module, built into Redis 8). */
    private static boolean hasJson(StatefulRedisConnection<String, String> connection) {
        List<Object> info = connection.sync().commandInfo("JSON.SET");
        return info != null && !info.isEmpty() && info.get(0) != null;
    }
}
