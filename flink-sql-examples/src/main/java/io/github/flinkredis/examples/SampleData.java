package io.github.flinkredis.examples;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    private static final String[] CITIES = {"Berlin", "Lisbon", "Oslo", "Paris", "Tokyo"};

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
     * Writes the sample data to the Redis server at {@code redisUrl}: a hash per user (HSET) and a
     * string per user with its visits (SET), pipelined.
     */
    public static void load(String redisUrl) {
        RedisClient client = RedisClient.create(redisUrl);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisAsyncCommands<String, String> async = connection.async();
            connection.setAutoFlushCommands(false);
            List<RedisFuture<?>> futures = new ArrayList<>();
            for (User user : users()) {
                futures.add(async.hset(USER_PREFIX + user.id, user.fields()));
                futures.add(async.set(VISITS_PREFIX + user.id, Integer.toString(user.visits())));
            }
            connection.flushCommands();
            if (!LettuceFutures.awaitAll(
                    Duration.ofSeconds(30), futures.toArray(new RedisFuture[0]))) {
                throw new IllegalStateException("Loading the sample data timed out");
            }
        } finally {
            client.shutdown();
        }
    }
}
