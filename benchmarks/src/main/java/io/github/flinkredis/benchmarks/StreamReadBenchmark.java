package io.github.flinkredis.benchmarks;

import io.github.flinkredis.benchmarks.HashScanBenchmark.Run;
import io.github.flinkredis.benchmarks.HashScanBenchmark.Series;
import io.github.flinkredis.benchmarks.HashScanBenchmark.Settings;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.model.RedisRecord;
import io.github.flinkredis.connector.model.RedisRecordDeserializer;
import io.github.flinkredis.connector.model.RedisStreamPositions;
import io.github.flinkredis.connector.source.stream.RedisStreamSource;
import io.github.flinkredis.testutils.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.util.Collector;

/**
 * Throughput and latency of the stream source.
 *
 * <p>Throughput: one stream of {@code bench.keys} entries of five 10-character fields, read
 *
 * <ol>
 *   <li>(x) by the connector's XREAD source: {@code INSERT INTO discard SELECT * FROM s}, from the
 *       first entry ({@code scan.startup.mode} = {@code timestamp} at 0) to the last ({@code
 *       scan.bounded.mode} = {@code latest}), {@code XREAD COUNT 1000};
 *   <li>(r) by the bounded XRANGE scan of the same stream ({@code earliest} to {@code latest}), for
 *       reference;
 *   <li>(b) by the baseline: a hand-written Lettuce loop of {@code XREAD COUNT 1000 STREAMS key
 *       <last id>} in this JVM, each reply awaited before the next read, every field touched.
 * </ol>
 *
 * <p>Latency: a producer thread adds {@code bench.latency-rate} entries per second (default 10,000)
 * for {@code bench.latency-seconds} (default 10) with XADD, each holding the JVM's {@code
 * System.nanoTime()} when it was sent; an unbounded {@link RedisStreamSource} job (parallelism 1,
 * default settings) reads them, and its deserializer records now minus that time. The job reads one
 * entry before the measured ones start; the report gives p50, p99 and max over the entries after
 * the first second.
 */
public final class StreamReadBenchmark {

    private static final String KEY = "bench:stream";
    private static final int FIELDS = 5;
    private static final int VALUE_LENGTH = 10;
    private static final int COUNT = 1000;

    /** Latencies in microseconds, written by the job's map (same JVM), read by main. */
    static volatile long[] latencies;

    static final AtomicInteger RECORDED = new AtomicInteger();

    private StreamReadBenchmark() {}

    public static void main(String[] args) throws Exception {
        HashScanBenchmark.runMain(
                args, () -> RedisServer.startLocal(List.of()), StreamReadBenchmark::run);
    }

    private static void run(Settings settings, RedisServer server, RedisClient client)
            throws Exception {
        long entries = settings.keys();
        System.out.println("Redis stream source benchmark");
        System.out.printf(
                Locale.ROOT,
                "  data set   one stream of %,d entries, %d fields of %d characters each%n",
                entries,
                FIELDS,
                VALUE_LENGTH);
        HashScanBenchmark.printEnvironment(server);
        load(client, entries);

        MiniCluster cluster = HashScanBenchmark.startMiniCluster(2);
        try {
            StreamTableEnvironment tableEnv = HashScanBenchmark.tableEnvironment(cluster, 1);
            StringBuilder columns = new StringBuilder();
            for (int f = 0; f < FIELDS; f++) {
                columns.append(f == 0 ? "" : ", ").append("f").append(f).append(" STRING");
            }
            String common =
                    "'connector' = 'redis', 'url' = '"
                            + server.url()
                            + "', 'data-type' = 'stream', 'key.pattern' = '"
                            + KEY
                            + "', 'scan.member-page-size' = '"
                            + COUNT
                            + "', 'scan.bounded.mode' = 'latest'";
            tableEnv.executeSql(
                    "CREATE TABLE tail ("
                            + columns
                            + ") WITH ("
                            + common
                            + ", 'scan.startup.mode' = 'timestamp',"
                            + " 'scan.startup.timestamp-millis' = '0')");
            tableEnv.executeSql("CREATE TABLE scan (" + columns + ") WITH (" + common + ")");
            tableEnv.executeSql(
                    "CREATE TABLE discard (" + columns + ") WITH ('connector' = 'blackhole')");

            Series xread =
                    HashScanBenchmark.jobSeries(
                            "(x) connector XREAD source",
                            settings,
                            cluster,
                            tableEnv,
                            "INSERT INTO discard SELECT * FROM tail");
            Series xrange =
                    HashScanBenchmark.jobSeries(
                            "(r) connector bounded XRANGE scan",
                            settings,
                            cluster,
                            tableEnv,
                            "INSERT INTO discard SELECT * FROM scan");
            Series baseline =
                    new Series(
                            "(b) Lettuce baseline (XREAD loop)",
                            settings,
                            HashScanBenchmark.BASELINE_THREADS,
                            () -> baseline(client, entries));
            List<Series> all = List.of(xread, xrange, baseline);
            HashScanBenchmark.runInterleaved(settings, all, List.of(client));
            System.out.println();
            System.out.printf(
                    Locale.ROOT,
                    "Results: %,d entries, median of %d runs%n",
                    entries,
                    settings.runs());
            HashScanBenchmark.printTable(all);
            double ratio = xread.medianRowsPerSecond() / baseline.medianRowsPerSecond();
            System.out.printf(
                    Locale.ROOT,
                    "(x)/(b) connector vs. Lettuce XREAD loop  %5.2f   target >= 0.90   %s%n",
                    ratio,
                    ratio >= 0.9 ? "met" : "NOT MET");

            latency(cluster, server, client);
            HashScanBenchmark.printLoadAverage();
        } finally {
            cluster.close();
        }
    }

    /** XADD of {@code entries} entries, pipelined in batches of 1,000. */
    private static void load(RedisClient client, long entries) throws Exception {
        try (StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE)) {
            c.sync().del(bytes(KEY));
            RedisAsyncCommands<byte[], byte[]> async = c.async();
            c.setAutoFlushCommands(false);
            byte[] key = bytes(KEY);
            List<RedisFuture<?>> batch = new ArrayList<>();
            for (long i = 0; i < entries; i++) {
                Map<byte[], byte[]> body = new LinkedHashMap<>();
                for (int f = 0; f < FIELDS; f++) {
                    body.put(bytes("f" + f), bytes(String.format("%0" + VALUE_LENGTH + "d", i)));
                }
                batch.add(async.xadd(key, body));
                if (batch.size() == 1000 || i == entries - 1) {
                    c.flushCommands();
                    for (RedisFuture<?> f : batch) {
                        f.get(60, TimeUnit.SECONDS);
                    }
                    batch.clear();
                }
            }
            c.setAutoFlushCommands(true);
            System.out.printf(Locale.ROOT, "  loaded     XLEN %s = %,d%n", KEY, c.sync().xlen(key));
        }
    }

    private static Run baseline(RedisClient client, long entries) throws Exception {
        long t0 = System.nanoTime();
        long read = 0;
        long valueBytes = 0;
        try (StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE)) {
            byte[] key = bytes(KEY);
            String last = "0-0";
            while (true) {
                List<StreamMessage<byte[], byte[]>> reply =
                        c.sync()
                                .xread(
                                        XReadArgs.Builder.count(COUNT),
                                        XReadArgs.StreamOffset.from(key, last));
                if (reply == null || reply.isEmpty()) {
                    break;
                }
                for (StreamMessage<byte[], byte[]> m : reply) {
                    for (byte[] v : m.getBody().values()) {
                        valueBytes += v.length;
                    }
                    last = m.getId();
                    read++;
                }
            }
        }
        long wall = System.nanoTime() - t0;
        if (read != entries || valueBytes != entries * FIELDS * VALUE_LENGTH) {
            throw new IllegalStateException(
                    "The baseline read " + read + " entries, " + valueBytes + " value bytes");
        }
        return new Run(wall / 1e9, Double.NaN);
    }

    /** Emits the microseconds from the entry's XADD (field {@code t}, nanoTime) to now. */
    static final class Latency implements RedisRecordDeserializer<Long> {
        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(RedisRecord record, Collector<Long> out) {
            long now = System.nanoTime();
            for (int i = 0; i < record.fieldNames().length; i++) {
                if (record.fieldNames()[i].length == 1 && record.fieldNames()[i][0] == 't') {
                    long sent =
                            Long.parseLong(
                                    new String(record.values()[i], StandardCharsets.US_ASCII));
                    int n = RECORDED.getAndIncrement();
                    long[] l = latencies;
                    if (n < l.length) {
                        l[n] = (now - sent) / 1000;
                    }
                    out.collect(sent);
                }
            }
        }

        @Override
        public TypeInformation<Long> getProducedType() {
            return Types.LONG;
        }
    }

    /** A reader under test of the latency measurement: started, then stopped. */
    interface LatencyReader {
        AutoCloseable start(String key) throws Exception;
    }

    private static void latency(MiniCluster cluster, RedisServer server, RedisClient client)
            throws Exception {
        int rate = Integer.parseInt(System.getProperty("bench.latency-rate", "10000"));
        int seconds = Integer.parseInt(System.getProperty("bench.latency-seconds", "10"));
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "Latency, XADD to the reader's output: %,d entries/s for %d s; after the first"
                        + " second:%n",
                rate,
                seconds);
        double connector =
                latency(
                        "(x) connector XREAD source",
                        client,
                        rate,
                        seconds,
                        "bench:latency:x",
                        key -> {
                            URI rest = cluster.getRestAddress().get();
                            StreamExecutionEnvironment env =
                                    StreamExecutionEnvironment.createRemoteEnvironment(
                                            rest.getHost(), rest.getPort(), new Configuration());
                            env.setParallelism(1);
                            env.fromSource(
                                            RedisStreamSource.<Long>builder()
                                                    .setConnectionConfig(
                                                            RedisConnectionConfig.fromUrl(
                                                                            server.url())
                                                                    .build())
                                                    .setKeyPattern(key)
                                                    .setPositions(
                                                            RedisStreamPositions
                                                                    .earliestUnbounded())
                                                    .setDeserializer(new Latency())
                                                    .build(),
                                            WatermarkStrategy.noWatermarks(),
                                            "latency")
                                    .sinkTo(new DiscardingSink<>());
                            JobID id = env.executeAsync("stream latency").getJobID();
                            return () -> cluster.cancelJob(id).get();
                        });
        double baseline =
                latency(
                        "(b) Lettuce XREAD BLOCK loop",
                        client,
                        rate,
                        seconds,
                        "bench:latency:b",
                        key -> {
                            AtomicBoolean stop = new AtomicBoolean();
                            Thread t = new Thread(() -> readLoop(client, key, stop), "baseline");
                            t.start();
                            return () -> {
                                stop.set(true);
                                t.join();
                            };
                        });
        System.out.printf(
                Locale.ROOT,
                "(x) p99 %.2f ms   target < 20 ms   %s   (baseline p99 %.2f ms on this machine)%n",
                connector,
                connector < 20 ? "met" : "NOT MET",
                baseline);
    }

    /** The baseline reader: XREAD COUNT 1000 BLOCK 1000 after the last entry, in a loop. */
    private static void readLoop(RedisClient client, String key, AtomicBoolean stop) {
        try (StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE)) {
            String last = "0-0";
            byte[] k = bytes(key);
            Latency latency = new Latency();
            Collector<Long> ignore =
                    new Collector<>() {
                        @Override
                        public void collect(Long record) {}

                        @Override
                        public void close() {}
                    };
            while (!stop.get()) {
                List<StreamMessage<byte[], byte[]>> reply =
                        c.sync()
                                .xread(
                                        XReadArgs.Builder.count(COUNT).block(1000),
                                        XReadArgs.StreamOffset.from(k, last));
                if (reply == null) {
                    continue;
                }
                for (StreamMessage<byte[], byte[]> m : reply) {
                    latency.deserialize(
                            io.github.flinkredis.connector.types.stream.RedisStreamEntries.record(
                                    k, RedisRecord.TTL_NOT_FETCHED, m, null),
                            ignore);
                    last = m.getId();
                }
            }
        }
    }

    /** Runs the paced producer against one reader; prints and returns p99 in ms. */
    private static double latency(
            String label,
            RedisClient client,
            int rate,
            int seconds,
            String key,
            LatencyReader reader)
            throws Exception {
        int total = rate * seconds;
        latencies = new long[total];
        RECORDED.set(0);
        AutoCloseable running = reader.start(key);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            // one entry first, to wait until the reader runs
            c.sync().xadd(key, Map.of("t", Long.toString(System.nanoTime())));
            long started = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (RECORDED.get() < 1 && System.nanoTime() < started) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            RECORDED.set(0);
            long intervalNanos = 1_000_000_000L / rate;
            long next = System.nanoTime();
            for (int i = 0; i < total; i++) {
                long now;
                while ((now = System.nanoTime()) < next) {
                    LockSupport.parkNanos(next - now);
                }
                c.async().xadd(key, Map.of("t", Long.toString(System.nanoTime())));
                next += intervalNanos;
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (RECORDED.get() < total && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        } finally {
            running.close();
        }
        int n = Math.min(RECORDED.get(), total);
        long[] measured = Arrays.copyOfRange(latencies, Math.min(rate, n), n);
        Arrays.sort(measured);
        if (measured.length == 0) {
            System.out.printf(Locale.ROOT, "  %-32s no entries measured%n", label);
            return Double.NaN;
        }
        double p99 = measured[(int) (measured.length * 0.99)] / 1000.0;
        System.out.printf(
                Locale.ROOT,
                "  %-32s %,7d received   p50 %6.2f ms   p99 %6.2f ms   max %6.2f ms%n",
                label,
                n,
                measured[measured.length / 2] / 1000.0,
                p99,
                measured[measured.length - 1] / 1000.0);
        return p99;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
