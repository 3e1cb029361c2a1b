package io.github.flinkredis.benchmarks;

import io.github.flinkredis.testutils.RedisServer;
import io.github.flinkredis.testutils.RedisStack;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.annotation.Nullable;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/**
 * Throughput of a bounded scan of Redis hashes: the connector through Flink SQL against a
 * hand-written Lettuce loop, in one JVM, against one Redis server.
 *
 * <p>The data set is {@code bench.keys} hashes {@code bench:<i>} with ten fields {@code f0..f9} of
 * 10-byte values (see {@link HashDataLoader}). The measurements, each one or more warm-up runs
 * followed by {@code bench.runs} measured runs of which the median is reported; the runs are
 * interleaved (warm-ups of a, b, c, then a, b, c, a, b, c, ...), so that a slower period of the
 * machine does not fall on one measurement only:
 *
 * <ol>
 *   <li>(a) {@code INSERT INTO sink SELECT * FROM bench}: the connector's bounded scan at
 *       parallelism 1 into a {@code blackhole} sink, batch mode; the SQL source names its columns,
 *       so it reads with SCAN + pipelined {@code HMGET} of the ten fields;
 *   <li>(b) {@link LettuceHashScan}: SCAN + pipelined HGETALL in a plain Lettuce loop;
 *   <li>(c) {@code INSERT INTO sink2 SELECT id, f0, f1 FROM bench}: the connector with projection
 *       pushdown (HMGET of two fields).
 * </ol>
 *
 * <p>Throughput is rows divided by the wall-clock time of a run; for (a) and (c) that is from
 * {@code executeSql} to the end of the job, so it includes planning, submission and scheduling of
 * the job on a MiniCluster that is started once, before all runs, in this JVM.
 *
 * <p>Settings, as system properties or {@code --name=value} arguments: {@code bench.keys} (default
 * 1,000,000), {@code bench.runs} (5), {@code bench.warmups} (1), {@code bench.reuse} (false: when
 * true and the database already holds exactly {@code bench.keys} keys, loading is skipped), {@code
 * bench.profile} (false: when true, a {@link StackSampler} samples thread dumps during the measured
 * runs and prints where the threads spent their time; the figures then include its overhead),
 * {@code bench.table-options} (empty: extra options of the source table, e.g. {@code
 * scan.batch-size=1000,scan.count=2000}, to try the connector's tuning). The Redis server is the
 * one named by the environment variable {@code REDIS_URL}, else a {@code redis-server} started for
 * the run (see {@link RedisServer}) and stopped at the end.
 */
public final class HashScanBenchmark {

    /** Prefix of the benchmark's keys. */
    public static final String KEY_PREFIX = "bench:";

    /** SCAN COUNT hint of the baseline; the connector's default {@code scan.count} is the same. */
    public static final int SCAN_COUNT = 1000;

    /** Threads of a Flink job profiled with bench.profile: source fetcher, task, Lettuce I/O. */
    static final Pattern FLINK_THREADS = Pattern.compile("^(Source|lettuce-)|Writer");

    /** Threads of the baseline profiled with bench.profile: the caller and Lettuce I/O. */
    static final Pattern BASELINE_THREADS = Pattern.compile("^(main$|lettuce-)");

    private static final long PROFILE_INTERVAL_MILLIS = 10;

    private static final double TARGET_FULL_VS_BASELINE = 0.9;
    private static final double TARGET_PROJECTED_VS_FULL = 1.5;

    private HashScanBenchmark() {}

    /** Runs the benchmark and prints the report on standard output. */
    public static void main(String[] args) throws Exception {
        Settings settings = Settings.parse(args);
        String externalUrl = System.getenv(RedisServer.REDIS_URL_ENV);
        boolean external = externalUrl != null && !externalUrl.isBlank();
        long started = System.nanoTime();
        try (RedisServer server =
                external ? RedisServer.start() : RedisServer.startLocal(List.of())) {
            String url = external ? externalUrl.trim() : server.url();
            RedisClient client = RedisClient.create(RedisURI.create(url));
            try {
                run(settings, server, url, client);
            } finally {
                client.shutdown();
            }
        }
        System.out.printf(
                Locale.ROOT, "%nTotal time: %.1f s%n", (System.nanoTime() - started) / 1e9);
        // Flink and Netty leave non-daemon threads behind
        System.exit(0);
    }

    /** Starts (or finds) the server of a benchmark program. */
    interface ServerStart {
        RedisServer start() throws Exception;
    }

    /** The body of a benchmark program: what it does with its server and a client of it. */
    interface Program {
        void run(Settings settings, RedisServer server, RedisClient client) throws Exception;
    }

    /**
     * The {@code main} of a benchmark program: parses the settings, starts the server, runs {@code
     * program} with a client of it, stops the server, prints the total time and exits (Flink and
     * Netty leave non-daemon threads behind).
     */
    static void runMain(String[] args, ServerStart startServer, Program program) throws Exception {
        Settings settings = Settings.parse(args);
        long started = System.nanoTime();
        try (RedisServer server = startServer.start()) {
            RedisClient client = RedisClient.create(RedisURI.create(server.url()));
            try {
                program.run(settings, server, client);
            } finally {
                client.shutdown();
            }
        }
        System.out.printf(
                Locale.ROOT, "%nTotal time: %.1f s%n", (System.nanoTime() - started) / 1e9);
        System.exit(0);
    }

    private static void run(Settings settings, RedisServer server, String url, RedisClient client)
            throws Exception {
        String redisVersion;
        long dbSize;
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            redisVersion = infoField(connection.sync().info("server"), "redis_version");
            dbSize = connection.sync().dbsize();
        }

        System.out.println("Redis hash scan benchmark");
        System.out.printf(
                Locale.ROOT,
                "  data set   %,d hashes %s<i>, %d fields of %d-byte values each%n",
                settings.keys,
                KEY_PREFIX,
                HashDataLoader.FIELD_COUNT,
                HashDataLoader.VALUE_LENGTH);
        System.out.printf(
                Locale.ROOT,
                "  redis      %s, version %s (%s)%n",
                RedisURI.create(url).toString(),
                redisVersion,
                server.origin());
        printJvm();
        System.out.printf(
                Locale.ROOT,
                "  flink      %s, MiniCluster in this JVM, 1 TaskManager, 1 slot, parallelism 1%n",
                EnvironmentInformation.getVersion());
        System.out.printf(
                Locale.ROOT,
                "  runs       %d warm-up + %d measured per measurement, interleaved (a, b, c, a,"
                        + " ...), median reported%n",
                settings.warmups,
                settings.runs);
        if (!settings.tableOptions.isEmpty()) {
            System.out.printf(
                    Locale.ROOT, "  options    source table WITH %s%n", settings.tableOptions);
        }
        System.out.printf(
                Locale.ROOT, "  machine    load average (1 min) at start %s%n%n", loadAverage());

        prepareData(settings, client, dbSize);

        MiniCluster cluster = startMiniCluster(1);
        try {
            StreamTableEnvironment tableEnv = tableEnvironment(cluster, 1);
            createTables(tableEnv, url, settings.tableOptions);
            verify(tableEnv, settings.keys);

            Series full =
                    jobSeries(
                            "(a) connector, SELECT * (HMGET of 10 fields)",
                            settings,
                            cluster,
                            tableEnv,
                            "INSERT INTO sink SELECT * FROM bench");
            Series baseline =
                    new Series(
                            "(b) Lettuce baseline (SCAN + pipelined HGETALL)",
                            settings,
                            BASELINE_THREADS,
                            () -> runBaseline(client, settings.keys));
            Series projected =
                    jobSeries(
                            "(c) connector, SELECT id, f0, f1 (HMGET of 2)",
                            settings,
                            cluster,
                            tableEnv,
                            "INSERT INTO sink2 SELECT id, f0, f1 FROM bench");
            runInterleaved(settings, List.of(full, baseline, projected), List.of(client));
            report(settings, full, baseline, projected);
        } finally {
            cluster.close();
        }
    }

    // ------------------------------------------------------------------ data

    private static void prepareData(Settings settings, RedisClient client, long dbSize) {
        if (settings.reuse && dbSize == settings.keys) {
            System.out.printf(
                    Locale.ROOT, "Loading skipped: bench.reuse=true and DBSIZE is %,d%n", dbSize);
            return;
        }
        if (dbSize != 0) {
            System.out.printf(
                    Locale.ROOT,
                    "The database holds %,d keys before loading; %s keys are overwritten%n",
                    dbSize,
                    KEY_PREFIX + "*");
        }
        long t0 = System.nanoTime();
        HashDataLoader.load(client, KEY_PREFIX, settings.keys);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long after;
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            after = connection.sync().dbsize();
        }
        System.out.printf(
                Locale.ROOT,
                "Loaded %,d hashes in %.1f s (%,.0f keys/s, pipelined HSET in batches of %d)%n",
                settings.keys,
                seconds,
                settings.keys / seconds,
                HashDataLoader.BATCH_SIZE);
        if (after != settings.keys) {
            throw new IllegalStateException(
                    String.format(
                            Locale.ROOT,
                            "DBSIZE is %,d after loading %,d keys: the benchmark needs a database"
                                    + " that holds only its own keys (e.g. an empty one:"
                                    + " REDIS_URL=redis://host:port/15)",
                            after,
                            settings.keys));
        }
    }

    // ------------------------------------------------------------------ Flink

    /** A MiniCluster of one TaskManager with {@code slots} slots, REST on a free loopback port. */
    static MiniCluster startMiniCluster(int slots) throws Exception {
        Configuration config = new Configuration();
        config.set(RestOptions.ADDRESS, "127.0.0.1");
        config.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        config.set(RestOptions.BIND_PORT, "0");
        MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(config)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(slots)
                                .build());
        cluster.start();
        return cluster;
    }

    /**
     * A table environment in batch mode whose jobs go to {@code cluster}: started once, so that a
     * run does not include starting a MiniCluster, as a job on a running cluster would not.
     */
    /** Prints the report's line on the JVM: Java version, CPUs, max heap and heap arguments. */
    /**
     * The report lines of a benchmark on one server with a parallelism-1 job: the Redis server, the
     * JVM and Flink.
     */
    static void printEnvironment(RedisServer server) {
        System.out.printf(Locale.ROOT, "  redis      %s%n", server);
        printJvm();
        System.out.printf(
                Locale.ROOT,
                "  flink      %s, MiniCluster in this JVM, parallelism 1%n",
                EnvironmentInformation.getVersion());
    }

    static void printJvm() {
        System.out.printf(
                Locale.ROOT,
                "  jvm        Java %s, %d CPUs, max heap %s (%s)%n",
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                mib(Runtime.getRuntime().maxMemory()),
                heapArguments());
    }

    static StreamTableEnvironment tableEnvironment(MiniCluster cluster, int parallelism)
            throws Exception {
        return tableEnvironment(cluster, parallelism, true);
    }

    /** {@link #tableEnvironment(MiniCluster, int)}, in batch or streaming mode. */
    static StreamTableEnvironment tableEnvironment(
            MiniCluster cluster, int parallelism, boolean batch) throws Exception {
        URI rest = cluster.getRestAddress().get();
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createRemoteEnvironment(
                        rest.getHost(), rest.getPort(), new Configuration());
        env.setParallelism(parallelism);
        return StreamTableEnvironment.create(
                env,
                batch ? EnvironmentSettings.inBatchMode() : EnvironmentSettings.inStreamingMode());
    }

    static void createTables(
            StreamTableEnvironment tableEnv, String url, Map<String, String> tableOptions) {
        StringBuilder extraOptions = new StringBuilder();
        tableOptions.forEach(
                (k, v) ->
                        extraOptions
                                .append(",\n  '")
                                .append(k.replace("'", "''"))
                                .append("' = '")
                                .append(v.replace("'", "''"))
                                .append("'"));
        List<String> fields = HashDataLoader.fieldNames();
        String columns =
                fields.stream().map(f -> "  " + f + " STRING").collect(Collectors.joining(",\n"));
        tableEnv.executeSql(
                "CREATE TABLE bench (\n"
                        + "  id BIGINT,\n"
                        + columns
                        + ",\n"
                        + "  PRIMARY KEY (id) NOT ENFORCED\n"
                        + ") WITH (\n"
                        + "  'connector' = 'redis',\n"
                        + "  'url' = '"
                        + url.replace("'", "''")
                        + "',\n"
                        + "  'data-type' = 'hash',\n"
                        + "  'key.prefix' = '"
                        + KEY_PREFIX
                        + "'"
                        + extraOptions
                        + "\n)");
        tableEnv.executeSql(
                "CREATE TABLE sink (\n  id BIGINT,\n"
                        + columns
                        + "\n) WITH ('connector' = 'blackhole')");
        tableEnv.executeSql(
                "CREATE TABLE sink2 (id BIGINT, f0 STRING, f1 STRING)"
                        + " WITH ('connector' = 'blackhole')");
    }

    /** Checks, untimed, that the connector reads every key with its id and fields. */
    static void verify(StreamTableEnvironment tableEnv, long keys) throws Exception {
        long t0 = System.nanoTime();
        Row row;
        try (CloseableIterator<Row> rows =
                tableEnv.executeSql("SELECT COUNT(f9), MIN(id), MAX(id) FROM bench").collect()) {
            row = rows.next();
        }
        long count = ((Number) row.getField(0)).longValue();
        long min = ((Number) row.getField(1)).longValue();
        long max = ((Number) row.getField(2)).longValue();
        if (count != keys || min != 0 || max != keys - 1) {
            throw new IllegalStateException(
                    String.format(
                            Locale.ROOT,
                            "The connector read COUNT(f9)=%d, MIN(id)=%d, MAX(id)=%d; expected"
                                    + " %d, 0, %d",
                            count,
                            min,
                            max,
                            keys,
                            keys - 1));
        }
        System.out.printf(
                Locale.ROOT,
                "Checked: SELECT COUNT(f9), MIN(id), MAX(id) FROM bench = %,d, 0, %,d (%.1f s)%n",
                count,
                max,
                (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Plans and submits {@code insert}, and waits for the end of the job through the MiniCluster's
     * own job result future. ({@code TableResult.await()} would wait through the REST client, which
     * polls the job status with a back-off of up to two seconds and so adds a variable delay to the
     * wall time.)
     */
    static Run runJob(MiniCluster cluster, StreamTableEnvironment tableEnv, String insert)
            throws Exception {
        long t0 = System.nanoTime();
        TableResult result = tableEnv.executeSql(insert);
        JobID jobId = result.getJobClient().orElseThrow().getJobID();
        JobResult jobResult = cluster.requestJobResult(jobId).get();
        long wall = System.nanoTime() - t0;
        if (!jobResult.isSuccess()) {
            throw new IllegalStateException(
                    "Job '" + insert + "' failed",
                    jobResult
                            .getSerializedThrowable()
                            .map(t -> t.deserializeError(HashScanBenchmark.class.getClassLoader()))
                            .orElse(null));
        }
        return new Run(wall / 1e9, jobResult.getNetRuntime() / 1e3);
    }

    private static Run runBaseline(RedisClient client, long keys) throws Exception {
        long t0 = System.nanoTime();
        LettuceHashScan.Result result = LettuceHashScan.scan(client, KEY_PREFIX + "*", SCAN_COUNT);
        long wall = System.nanoTime() - t0;
        if (result.rows() != keys
                || result.fields() != keys * HashDataLoader.FIELD_COUNT
                || result.valueBytes()
                        != keys * HashDataLoader.FIELD_COUNT * HashDataLoader.VALUE_LENGTH) {
            throw new IllegalStateException(
                    "The baseline read " + result + " for " + keys + " keys");
        }
        return new Run(wall / 1e9, Double.NaN);
    }

    // ------------------------------------------------------------------ measuring

    interface Task {
        Run run() throws Exception;
    }

    /** One run: wall-clock seconds and the job's net runtime (NaN outside Flink). */
    record Run(double wallSeconds, double jobSeconds) {}

    /**
     * Runs the warm-ups, then the measured runs, of every series in turn (a, b, c, a, b, c, ...),
     * and prints each series' details; {@code nodes} are the Redis servers whose counters are read.
     */
    static void runInterleaved(Settings settings, List<Series> all, List<RedisClient> nodes)
            throws Exception {
        System.out.println();
        for (int i = 1; i <= settings.warmups; i++) {
            for (Series series : all) {
                series.warmUp(i);
            }
        }
        for (int i = 0; i < settings.runs; i++) {
            for (Series series : all) {
                series.measure(i, nodes);
            }
        }
        for (Series series : all) {
            series.printDetails();
        }
    }

    /**
     * The runs of one measurement. Measurements are interleaved (a, b, c, a, b, c, ...) so that a
     * slower or faster period of a shared machine affects all of them, not one.
     */
    static final class Series {
        final String name;
        final String label;

        /** Rows one run reads (settings' keys, unless set otherwise). */
        long rows;

        final Task task;
        final double[] wallSeconds;
        final double[] jobSeconds;
        @Nullable final StackSampler sampler;
        Counters used = Counters.ZERO;
        Counters perRun;

        Series(String name, Settings settings, Pattern profiledThreads, Task task) {
            this.name = name;
            this.label = name.substring(0, name.indexOf(')') + 1);
            this.rows = settings.keys;
            this.task = task;
            this.wallSeconds = new double[settings.runs];
            this.jobSeconds = new double[settings.runs];
            this.sampler =
                    settings.profile
                            ? new StackSampler(profiledThreads, PROFILE_INTERVAL_MILLIS)
                            : null;
        }

        void warmUp(int i) throws Exception {
            System.gc();
            printRun(label + " warm-up " + i, task.run(), rows);
        }

        /** One measured run; {@code nodes} are the Redis servers whose counters are summed. */
        void measure(int i, List<RedisClient> nodes) throws Exception {
            System.gc();
            // read outside the timed part of the run, and after the System.gc()
            Counters before = Counters.read(nodes);
            if (sampler != null) {
                sampler.resume();
            }
            Run run = task.run();
            if (sampler != null) {
                sampler.pause();
            }
            used = used.plus(Counters.read(nodes).minus(before));
            wallSeconds[i] = run.wallSeconds();
            jobSeconds[i] = run.jobSeconds();
            printRun(label + " run " + (i + 1), run, rows);
        }

        void printDetails() throws InterruptedException {
            perRun = used.dividedBy(wallSeconds.length);
            System.out.println();
            System.out.println(name);
            System.out.println("  Redis commands per run: " + perRun.callsText());
            if (sampler != null) {
                sampler.close();
                System.out.println("  profile of the measured runs (thread dumps):");
                sampler.print(System.out, 8);
            }
        }

        double medianWall() {
            return median(wallSeconds);
        }

        double medianRowsPerSecond() {
            return rows / medianWall();
        }
    }

    /** A series whose run is the Flink job of {@code insert} (see {@link #runJob}). */
    static Series jobSeries(
            String name,
            Settings settings,
            MiniCluster cluster,
            StreamTableEnvironment tableEnv,
            String insert) {
        return new Series(name, settings, FLINK_THREADS, () -> runJob(cluster, tableEnv, insert));
    }

    static void printRun(String label, Run run, long keys) {
        System.out.printf(
                Locale.ROOT,
                "  %-15s %7.2f s  %,12.0f rows/s%s%n",
                label,
                run.wallSeconds(),
                keys / run.wallSeconds(),
                Double.isNaN(run.jobSeconds())
                        ? ""
                        : String.format(Locale.ROOT, "   (job runtime %.2f s)", run.jobSeconds()));
    }

    private static void report(Settings settings, Series full, Series baseline, Series projected) {
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "Results: %,d keys, median of %d runs, max heap %s%n",
                settings.keys,
                settings.runs,
                mib(Runtime.getRuntime().maxMemory()));
        printTable(List.of(full, baseline, projected));
        double fullVsBaseline = full.medianRowsPerSecond() / baseline.medianRowsPerSecond();
        double projectedVsFull = projected.medianRowsPerSecond() / full.medianRowsPerSecond();
        System.out.printf(
                Locale.ROOT,
                "(a)/(b) connector vs. Lettuce baseline   %5.2f   target >= %.2f   %s%n",
                fullVsBaseline,
                TARGET_FULL_VS_BASELINE,
                fullVsBaseline >= TARGET_FULL_VS_BASELINE ? "met" : "NOT MET");
        System.out.printf(
                Locale.ROOT,
                "(c)/(a) projection pushdown speed-up     %5.2f   target >= %.2f   %s%n",
                projectedVsFull,
                TARGET_PROJECTED_VS_FULL,
                projectedVsFull >= TARGET_PROJECTED_VS_FULL ? "met" : "NOT MET");
        System.out.printf(
                Locale.ROOT,
                "(a)/(b) on the job's runtime instead      %5.2f   (without planning and"
                        + " submission)%n",
                (full.rows / median(full.jobSeconds)) / baseline.medianRowsPerSecond());
        System.out.printf(
                Locale.ROOT,
                "JVM max heap (Runtime.maxMemory)         %s   (%s)%n",
                mib(Runtime.getRuntime().maxMemory()),
                heapArguments());
        printLoadAverage();
        System.out.println(
                "rows/s = keys / median wall time of a run (for a job: from executeSql to the end"
                        + " of the job); job s = median of the job's net runtime (JobResult);");
        System.out.println(
                "JVM CPU s, Redis CPU (INFO cpu) and GC s = mean CPU and GC seconds per measured"
                        + " run.");
    }

    // ------------------------------------------------------------------ helpers

    /** The results table: one line per series, between rules. */
    static void printTable(List<Series> series) {
        String line = "-".repeat(118);
        System.out.println(line);
        System.out.printf(
                Locale.ROOT,
                "%-48s %10s %7s | %7s %10s | %9s %9s %6s%n",
                "measurement",
                "rows/s",
                "wall s",
                "job s",
                "job rows/s",
                "JVM CPU s",
                "Redis CPU",
                "GC s");
        System.out.println(line);
        for (Series m : series) {
            double job = median(m.jobSeconds);
            boolean isJob = !Double.isNaN(job);
            System.out.printf(
                    Locale.ROOT,
                    "%-48s %,10.0f %7.2f | %7s %10s | %9.2f %9.2f %6.2f%n",
                    m.name,
                    m.medianRowsPerSecond(),
                    m.medianWall(),
                    isJob ? String.format(Locale.ROOT, "%.2f", job) : "-",
                    isJob ? String.format(Locale.ROOT, "%,.0f", m.rows / job) : "-",
                    m.perRun.jvmCpu(),
                    m.perRun.redisCpu(),
                    m.perRun.gc());
        }
        System.out.println(line);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static double jvmCpuSeconds() {
        java.lang.management.OperatingSystemMXBean os =
                ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    static double gcSeconds() {
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            millis += Math.max(0, gc.getCollectionTime());
        }
        return millis / 1e3;
    }

    /** Prints the machine's load average over the last minute, at the end of a benchmark. */
    static void printLoadAverage() {
        System.out.printf(
                Locale.ROOT,
                "Machine load average (1 min) at the end  %s on %d CPUs%n",
                loadAverage(),
                Runtime.getRuntime().availableProcessors());
    }

    /**
     * The server with Redis modules of {@link RedisStack} ({@code REDIS_STACK_URL} or {@code
     * REDIS_MODULES}), for a benchmark that needs {@code module}.
     *
     * @throws IllegalStateException naming the program, the module and why there is none
     * @throws IOException if a server with the modules cannot be started
     */
    static RedisServer stackServer(String program, String module) throws IOException {
        return RedisStack.server()
                .orElseThrow(
                        () ->
                                new IllegalStateException(
                                        program
                                                + " needs "
                                                + module
                                                + ": "
                                                + RedisStack.unavailableReason().orElse("")));
    }

    static String loadAverage() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f", load);
    }

    static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }

    static String heapArguments() {
        List<String> heap = new ArrayList<>();
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-Xmx") || arg.startsWith("-XX:MaxRAM")) {
                heap.add(arg);
            }
        }
        return heap.isEmpty() ? "no -Xmx: JVM default" : String.join(" ", heap);
    }

    static String infoField(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return "unknown";
    }

    /**
     * CPU and GC time: of this JVM (all its threads: Flink, Lettuce, GC, JIT) and of the Redis
     * server ({@code INFO cpu}, main thread and background threads), in seconds.
     */
    record Counters(double jvmCpu, double redisCpu, double gc, Map<String, Long> redisCalls) {

        static final Counters ZERO = new Counters(0, 0, 0, Map.of());

        /** Commands of the harness itself, left out of the command counts. */
        private static final Set<String> HARNESS_COMMANDS =
                Set.of("info", "hello", "client|setname", "client|setinfo", "select", "ping");

        /** This JVM's CPU and GC time, and the CPU time and command counts of every node. */
        static Counters read(List<RedisClient> nodes) {
            Counters sum = new Counters(jvmCpuSeconds(), 0, gcSeconds(), Map.of());
            for (RedisClient node : nodes) {
                Counters redis = readRedis(node);
                sum =
                        new Counters(
                                sum.jvmCpu,
                                sum.redisCpu + redis.redisCpu,
                                sum.gc,
                                combine(sum.redisCalls, redis.redisCalls, 1));
            }
            return sum;
        }

        private static Counters readRedis(RedisClient client) {
            String cpu;
            String commands;
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                cpu = connection.sync().info("cpu");
                commands = connection.sync().info("commandstats");
            }
            double redis =
                    Double.parseDouble(infoField(cpu, "used_cpu_sys"))
                            + Double.parseDouble(infoField(cpu, "used_cpu_user"));
            // cmdstat_hmget:calls=1000000,usec=...,usec_per_call=...,...
            Map<String, Long> calls = new TreeMap<>();
            for (String line : commands.split("\r?\n")) {
                if (line.startsWith("cmdstat_")) {
                    String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                    String stats = line.substring(line.indexOf(':') + 1);
                    for (String stat : stats.split(",")) {
                        int eq = stat.indexOf('=');
                        String key = stat.substring(0, eq);
                        if ((key.equals("calls") || key.equals("usec"))
                                && !HARNESS_COMMANDS.contains(name)) {
                            calls.put(name + "." + key, Long.parseLong(stat.substring(eq + 1)));
                        }
                    }
                }
            }
            return new Counters(0, redis, 0, calls);
        }

        Counters plus(Counters o) {
            return new Counters(
                    jvmCpu + o.jvmCpu,
                    redisCpu + o.redisCpu,
                    gc + o.gc,
                    combine(redisCalls, o.redisCalls, 1));
        }

        Counters minus(Counters o) {
            return new Counters(
                    jvmCpu - o.jvmCpu,
                    redisCpu - o.redisCpu,
                    gc - o.gc,
                    combine(redisCalls, o.redisCalls, -1));
        }

        Counters dividedBy(int n) {
            Map<String, Long> calls = new TreeMap<>();
            redisCalls.forEach((k, v) -> calls.put(k, v / n));
            return new Counters(jvmCpu / n, redisCpu / n, gc / n, calls);
        }

        private static Map<String, Long> combine(
                Map<String, Long> a, Map<String, Long> b, int sign) {
            Map<String, Long> out = new TreeMap<>(a);
            b.forEach((k, v) -> out.merge(k, sign * v, Long::sum));
            out.values().removeIf(v -> v == 0);
            return out;
        }

        /**
         * E.g. "hmget 1,000,000 x 4.1 us, scan 1,000 x 310.0 us": calls and the server's mean
         * execution time per call (INFO commandstats).
         */
        String callsText() {
            List<String> parts = new ArrayList<>();
            redisCalls.forEach(
                    (key, calls) -> {
                        if (key.endsWith(".calls")) {
                            String name = key.substring(0, key.length() - ".calls".length());
                            long usec = redisCalls.getOrDefault(name + ".usec", 0L);
                            parts.add(
                                    String.format(
                                            Locale.ROOT,
                                            "%s %,d x %.1f us",
                                            name,
                                            calls,
                                            calls == 0 ? 0.0 : (double) usec / calls));
                        }
                    });
            return String.join(", ", parts);
        }
    }

    /** The benchmark's settings. */
    record Settings(
            long keys,
            int runs,
            int warmups,
            boolean reuse,
            boolean profile,
            Map<String, String> tableOptions) {

        static Settings parse(String[] args) {
            for (String arg : args) {
                if (!arg.startsWith("--") || !arg.contains("=")) {
                    throw new IllegalArgumentException(
                            "Unknown argument '" + arg + "'; expected --bench.<name>=<value>");
                }
                String name = arg.substring(2, arg.indexOf('='));
                System.setProperty(
                        name.startsWith("bench.") ? name : "bench." + name,
                        arg.substring(arg.indexOf('=') + 1));
            }
            Settings s =
                    new Settings(
                            Long.parseLong(System.getProperty("bench.keys", "1000000")),
                            Integer.parseInt(System.getProperty("bench.runs", "5")),
                            Integer.parseInt(System.getProperty("bench.warmups", "1")),
                            Boolean.parseBoolean(System.getProperty("bench.reuse", "false")),
                            Boolean.parseBoolean(System.getProperty("bench.profile", "false")),
                            parseOptions(System.getProperty("bench.table-options", "")));
            if (s.keys < 1 || s.runs < 1 || s.warmups < 0) {
                throw new IllegalArgumentException(
                        "Need bench.keys >= 1, bench.runs >= 1, bench.warmups >= 0: " + s);
            }
            return s;
        }

        /** "scan.batch-size=1000,scan.count=2000" as an ordered map. */
        private static Map<String, String> parseOptions(String text) {
            Map<String, String> options = new TreeMap<>();
            for (String pair : text.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException(
                            "bench.table-options: expected key=value[,key=value...], got '"
                                    + pair
                                    + "'");
                }
                options.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
            return options;
        }
    }
}
