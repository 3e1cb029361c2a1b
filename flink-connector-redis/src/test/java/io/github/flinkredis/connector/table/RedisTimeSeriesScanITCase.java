package io.github.flinkredis.connector.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkredis.connector.RedisStackITCaseBase;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.model.RedisMemberRange;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.source.reader.RedisKeySplitReader;
import io.github.flinkredis.connector.source.reader.RedisScanRecord;
import io.github.flinkredis.connector.source.split.RedisScanSplit;
import io.github.flinkredis.connector.types.RedisTypes;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongToDoubleFunction;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scans of RedisTimeSeries tables: one row per sample, read with {@code TS.RANGE} in pages; time
 * and value filters pushed into its bounds and {@code FILTER_BY_VALUE}, each compared with the same
 * query without pushdown; server-side aggregation checked against values computed here. Needs a
 * server with RedisTimeSeries ({@code REDIS_STACK_URL}, or module files in {@code REDIS_MODULES});
 * the cluster runs need {@code REDIS_MODULES}.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"standalone", "cluster"})
class RedisTimeSeriesScanITCase extends RedisStackITCaseBase {

    /** Samples of series big: at 1..BIG ms, value t % 100. */
    private static final int BIG = 2_500;

    @Parameter String deployment;

    @Override
    protected String deployment() {
        return deployment;
    }

    @BeforeEach
    void load() {
        assumeCommand("TS.RANGE", "RedisTimeSeries");
        // s1: 1000, 2000, ..., 10000 ms, values 1.5, 3.0, ..., 15.0
        madd("temp:s1", 10, i -> 1000L * i, i -> 1.5 * i, "area", "eu", "kind", "temp");
        // s2: 500, 1500, 2500 ms, values -1, 0, 1
        madd("temp:s2", 3, i -> 1000L * i - 500, i -> i - 2.0, "area", "us");
        madd("temp:big", BIG, i -> i, i -> i % 100);
        client.set("temp:str", "not a series");
        for (String suffix : List.of("", "_scanned")) {
            String pushdown = suffix.isEmpty() ? "true" : "false";
            tEnv.executeSql(
                    "CREATE TABLE temps"
                            + suffix
                            + " (sensor STRING, ts TIMESTAMP_LTZ(3), val DOUBLE,"
                            + " PRIMARY KEY (sensor, ts) NOT ENFORCED) WITH ("
                            + with(
                                    "data-type",
                                    "timeseries",
                                    "key.prefix",
                                    "temp:",
                                    "scan.member-page-size",
                                    "500",
                                    "scan.filter-push-down.enabled",
                                    pushdown)
                            + ")");
            tEnv.executeSql(
                    "CREATE TABLE temps_ms"
                            + suffix
                            + " (sensor STRING, ts BIGINT, val DOUBLE,"
                            + " PRIMARY KEY (sensor, ts) NOT ENFORCED) WITH ("
                            + with(
                                    "data-type",
                                    "timeseries",
                                    "key.prefix",
                                    "temp:",
                                    "scan.filter-push-down.enabled",
                                    pushdown)
                            + ")");
            tEnv.executeSql(
                    "CREATE TABLE temps_avg"
                            + suffix
                            + " (sensor STRING, ts BIGINT, val DOUBLE,"
                            + " PRIMARY KEY (sensor, ts) NOT ENFORCED) WITH ("
                            + with(
                                    "data-type",
                                    "timeseries",
                                    "key.prefix",
                                    "temp:",
                                    "scan.member-page-size",
                                    "50",
                                    "scan.timeseries.aggregation",
                                    "avg",
                                    "scan.timeseries.bucket-duration",
                                    "2 s",
                                    "scan.filter-push-down.enabled",
                                    pushdown)
                            + ")");
        }
        client.resetStats();
    }

    /**
     * Creates series {@code key} with {@code labels} (name, value, ...) and adds {@code n} samples
     * (i = 1..n) with TS.MADD, in chunks.
     */
    private void madd(
            String key,
            int n,
            java.util.function.IntToLongFunction time,
            LongToDoubleFunction v,
            String... labels) {
        CommandArgs<String, String> create = new CommandArgs<>(StringCodec.UTF8).addKey(key);
        if (labels.length > 0) {
            create.add("LABELS");
            for (String label : labels) {
                create.add(label);
            }
        }
        client.sync().dispatch(Ts.CREATE, new StatusOutput<>(StringCodec.UTF8), create);
        for (int from = 1; from <= n; from += 10_000) {
            CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8);
            for (int i = from; i <= Math.min(n, from + 9_999); i++) {
                args.addKey(key).add(time.applyAsLong(i)).add(v.applyAsDouble(i));
            }
            client.sync().dispatch(Ts.MADD, new NestedMultiOutput<>(StringCodec.UTF8), args);
        }
    }

    private static Instant ms(long millis) {
        return Instant.ofEpochMilli(millis);
    }

    /** Runs {@code select} on {@code table} with and without pushdown; returns the pushed rows. */
    private List<Row> sameAsScan(String select, String table, String rest) throws Exception {
        List<Row> scanned = query(select + " FROM " + table + "_scanned " + rest);
        client.resetStats();
        List<Row> pushed = query(select + " FROM " + table + " " + rest);
        assertThat(new HashSet<>(pushed)).isEqualTo(new HashSet<>(scanned));
        assertThat(pushed).hasSameSizeAs(scanned);
        return pushed;
    }

    @Test
    void everySampleOfEverySeriesIsARow() throws Exception {
        List<Row> rows = query("SELECT sensor, ts, val FROM temps WHERE sensor <> 'big'");

        List<Row> expected = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            expected.add(Row.of("s1", ms(1000L * i), 1.5 * i));
        }
        expected.add(Row.of("s2", ms(500), -1.0));
        expected.add(Row.of("s2", ms(1500), 0.0));
        expected.add(Row.of("s2", ms(2500), 1.0));
        assertThat(rows).containsExactlyInAnyOrderElementsOf(expected);

        // the long series, in pages of 500 samples: every sample once
        List<Row> big = query("SELECT ts, val FROM temps_ms WHERE sensor = 'big'");
        assertThat(big).hasSize(BIG);
        assertThat(new HashSet<>(big)).hasSize(BIG);
        for (Row row : big) {
            assertThat(row.getField(1)).isEqualTo((double) ((Long) row.getField(0) % 100));
        }
        client.resetStats();
        assertThat(query("SELECT COUNT(*) FROM temps WHERE sensor = 'big'"))
                .containsExactly(Row.of((long) BIG));
        // pages of 500 from the second on; the first page of a key holds 128
        assertThat(client.calls("ts.range")).isEqualTo(1 + (BIG - 128 + 499) / 500);
    }

    @Test
    void timeAndValueFiltersBecomeTsRangeBounds() throws Exception {
        List<Row> rows =
                sameAsScan(
                        "SELECT sensor, ts, val",
                        "temps",
                        "WHERE ts >= TO_TIMESTAMP_LTZ(3000, 3) AND ts < TO_TIMESTAMP_LTZ(6000, 3)"
                                + " AND sensor = 's1'");
        assertThat(rows)
                .containsExactlyInAnyOrder(
                        Row.of("s1", ms(3000), 4.5),
                        Row.of("s1", ms(4000), 6.0),
                        Row.of("s1", ms(5000), 7.5));
        // a point read of one series: no SCAN, one TS.RANGE
        assertThat(client.calls("scan")).isZero();
        assertThat(client.calls("ts.range")).isEqualTo(1);

        assertThat(
                        sameAsScan(
                                "SELECT sensor, ts, val",
                                "temps",
                                "WHERE val BETWEEN 0 AND 4.5 AND sensor <> 'big'"))
                .containsExactlyInAnyOrder(
                        Row.of("s1", ms(1000), 1.5),
                        Row.of("s1", ms(2000), 3.0),
                        Row.of("s1", ms(3000), 4.5),
                        Row.of("s2", ms(1500), 0.0),
                        Row.of("s2", ms(2500), 1.0));
        // s2 at 2500, big at 2001..2500
        List<Row> ms =
                sameAsScan("SELECT sensor, ts, val", "temps_ms", "WHERE ts > 2000 AND ts <= 2500");
        assertThat(ms)
                .hasSize(1 + 500)
                .contains(Row.of("s2", 2500L, 1.0), Row.of("big", 2001L, 1.0));
        sameAsScan("SELECT sensor, ts", "temps", "WHERE val > 3 AND val < 99");
        sameAsScan("SELECT sensor, ts", "temps_ms", "WHERE ts = 1500 OR val = 15");
        sameAsScan("SELECT sensor, ts", "temps", "WHERE ts > TO_TIMESTAMP_LTZ(2499, 3)");
        assertThat(sameAsScan("SELECT sensor", "temps", "WHERE val >= 5 AND val <= 4")).isEmpty();
        assertThat(sameAsScan("SELECT sensor", "temps_ms", "WHERE ts < 0")).isEmpty();
    }

    @Test
    void theLabelsOfEachSeriesAreAMapMetadataColumn() throws Exception {
        tEnv.executeSql(
                "CREATE TABLE labelled (sensor STRING, ts BIGINT, val DOUBLE, labels MAP<STRING,"
                        + " STRING> METADATA, PRIMARY KEY (sensor, ts) NOT ENFORCED) WITH ("
                        + with(
                                "data-type",
                                "timeseries",
                                "key.prefix",
                                "temp:",
                                "scan.member-page-size",
                                "500")
                        + ")");

        List<Row> rows =
                query(
                        "SELECT sensor, labels['area'], COUNT(*) FROM labelled GROUP BY sensor,"
                                + " labels['area']");
        List<Row> s1 = query("SELECT labels FROM labelled WHERE sensor = 's1'");

        // big, read in pages of 500, has no labels
        assertThat(rows)
                .containsExactlyInAnyOrder(
                        Row.of("s1", "eu", 10L),
                        Row.of("s2", "us", 3L),
                        Row.of("big", null, 2500L));
        assertThat(s1).hasSize(10).containsOnly(Row.of(Map.of("area", "eu", "kind", "temp")));
        assertThat(client.calls("ts.info")).isEqualTo(1 + 1 + 6 + 1);
    }

    @Test
    void aLabelFilterChoosesTheSeriesWithTsQueryIndex() throws Exception {
        for (String name : List.of("eu_or_us", "us")) {
            tEnv.executeSql(
                    "CREATE TABLE "
                            + name
                            + " (sensor STRING, ts BIGINT, val DOUBLE, labels MAP<STRING, STRING>"
                            + " METADATA, PRIMARY KEY (sensor, ts) NOT ENFORCED) WITH ("
                            + with(
                                    "data-type",
                                    "timeseries",
                                    "key.prefix",
                                    "temp:",
                                    "scan.timeseries.label-filter",
                                    name.equals("us") ? "area=us" : "area=(eu,us) kind!=hum")
                            + ")");
        }
        long nodes = isCluster() ? 3 : 1;

        assertThat(query("SELECT sensor, COUNT(*) FROM eu_or_us GROUP BY sensor"))
                .containsExactlyInAnyOrder(Row.of("s1", 10L), Row.of("s2", 3L));
        // one TS.QUERYINDEX per primary instead of SCAN
        assertThat(client.calls("scan")).isZero();
        assertThat(client.calls("ts.queryindex")).isEqualTo(nodes);
        // with a key filter (point reads): the series both select
        assertThat(query("SELECT ts FROM us WHERE sensor = 's1'")).isEmpty();
        assertThat(query("SELECT sensor, ts, val FROM us WHERE sensor IN ('s1', 's2')"))
                .containsExactlyInAnyOrder(
                        Row.of("s2", 500L, -1.0),
                        Row.of("s2", 1500L, 0.0),
                        Row.of("s2", 2500L, 1.0));
        // a filter on the labels column is Flink's: the same rows either way
        assertThat(query("SELECT sensor FROM eu_or_us WHERE labels['area'] = 'us'")).hasSize(3);
    }

    @Test
    void labelColumnsReadLabelsAndTheirEqualitiesChooseTheSeries() throws Exception {
        for (String suffix : List.of("", "_scanned")) {
            tEnv.executeSql(
                    "CREATE TABLE by_area"
                            + suffix
                            + " (sensor STRING, ts BIGINT, val DOUBLE, area STRING, kind STRING,"
                            + " PRIMARY KEY (sensor, ts) NOT ENFORCED) WITH ("
                            + with(
                                    "data-type",
                                    "timeseries",
                                    "key.prefix",
                                    "temp:",
                                    "label.columns",
                                    "area;kind",
                                    "scan.filter-push-down.enabled",
                                    suffix.isEmpty() ? "true" : "false")
                            + ")");
        }
        long nodes = isCluster() ? 3 : 1;

        assertThat(
                        query(
                                "SELECT sensor, area, kind, COUNT(*) FROM by_area GROUP BY sensor, area, kind"))
                .containsExactlyInAnyOrder(
                        Row.of("s1", "eu", "temp", 10L),
                        Row.of("s2", "us", null, 3L),
                        Row.of("big", null, null, (long) BIG));
        client.resetStats();
        // area = 'us' becomes TS.QUERYINDEX area=us: no SCAN
        assertThat(sameAsScan("SELECT sensor, ts, area", "by_area", "WHERE area = 'us'"))
                .containsExactlyInAnyOrder(
                        Row.of("s2", 500L, "us"),
                        Row.of("s2", 1500L, "us"),
                        Row.of("s2", 2500L, "us"));
        assertThat(client.calls("scan")).isZero();
        assertThat(client.calls("ts.queryindex")).isEqualTo(nodes);
        assertThat(
                        sameAsScan(
                                "SELECT sensor, ts",
                                "by_area",
                                "WHERE 'temp' = kind AND area = 'eu' AND ts <= 2000"))
                .containsExactlyInAnyOrder(Row.of("s1", 1000L), Row.of("s1", 2000L));
        assertThat(sameAsScan("SELECT sensor", "by_area", "WHERE area = 'eu' AND sensor = 's2'"))
                .isEmpty();
        // an IN list (or a disjunction of equalities) becomes area=(us,eu)
        for (String filter : List.of("area IN ('us', 'eu', 'x')", "area = 'us' OR 'eu' = area")) {
            assertThat(
                            sameAsScan(
                                    "SELECT sensor, COUNT(*)",
                                    "by_area",
                                    "WHERE " + filter + " GROUP BY sensor"))
                    .as(filter)
                    .containsExactlyInAnyOrder(Row.of("s1", 10L), Row.of("s2", 3L));
            assertThat(client.calls("scan")).as(filter).isZero();
            assertThat(client.calls("ts.queryindex")).as(filter).isEqualTo(nodes);
        }
        // not a plain equality: evaluated by Flink, the same rows either way
        sameAsScan("SELECT sensor, ts", "by_area", "WHERE area <> 'us' OR kind IS NULL");
        sameAsScan("SELECT sensor, ts", "by_area", "WHERE area = 'us' OR kind = 'temp'");
    }

    @Test
    void limitStopsInsideASeries() throws Exception {
        tEnv.executeSql(
                "CREATE TABLE big (ts BIGINT, val DOUBLE) WITH ("
                        + with("data-type", "timeseries", "key.pattern", "temp:big")
                        + ")");

        List<Row> rows = query("SELECT ts, val FROM big LIMIT 3");

        assertThat(rows)
                .containsExactlyInAnyOrder(Row.of(1L, 1.0), Row.of(2L, 2.0), Row.of(3L, 3.0));
        // one TS.RANGE ... COUNT 3 of the one series
        assertThat(client.calls("ts.range")).isEqualTo(1);
    }

    /** Per 2-second bucket (aligned to 0) of the samples of {@code sensor}: their average. */
    private static Map<Long, Double> averages(Map<Long, Double> samples) {
        Map<Long, List<Double>> buckets = new TreeMap<>();
        samples.forEach(
                (t, v) -> buckets.computeIfAbsent(t - t % 2000, b -> new ArrayList<>()).add(v));
        Map<Long, Double> out = new TreeMap<>();
        buckets.forEach(
                (b, vs) ->
                        out.put(
                                b,
                                vs.stream()
                                        .mapToDouble(Double::doubleValue)
                                        .average()
                                        .orElseThrow()));
        return out;
    }

    @Test
    void aggregationDownsamplesOnTheServer() throws Exception {
        Map<Long, Double> s1 = new TreeMap<>();
        for (int i = 1; i <= 10; i++) {
            s1.put(1000L * i, 1.5 * i);
        }
        Map<Long, Double> big = new TreeMap<>();
        for (long t = 1; t <= BIG; t++) {
            big.put(t, (double) (t % 100));
        }

        List<Row> rows =
                query("SELECT sensor, ts, val FROM temps_avg WHERE sensor IN ('s1', 'big')");

        List<Row> expected = new ArrayList<>();
        averages(s1).forEach((b, v) -> expected.add(Row.of("s1", b, v)));
        averages(big).forEach((b, v) -> expected.add(Row.of("big", b, v)));
        assertThat(rows).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(expected).hasSize(6 + 2);

        // time filters on buckets: whole buckets read, the filter applied by Flink as well
        assertThat(
                        sameAsScan(
                                "SELECT sensor, ts, val",
                                "temps_avg",
                                "WHERE ts >= 3000 AND ts <= 8000 AND sensor = 's1'"))
                .containsExactlyInAnyOrder(
                        Row.of("s1", 4000L, (6.0 + 7.5) / 2),
                        Row.of("s1", 6000L, (9.0 + 10.5) / 2),
                        Row.of("s1", 8000L, (12.0 + 13.5) / 2));
        sameAsScan("SELECT sensor, ts, val", "temps_avg", "WHERE val > 5");
    }

    @Test
    void bucketTimestampEmptyBucketsAndOtherAggregators() throws Exception {
        tEnv.executeSql(
                "CREATE TABLE maxes (sensor STRING, ts BIGINT, val DOUBLE, PRIMARY KEY (sensor, ts)"
                        + " NOT ENFORCED) WITH ("
                        + with(
                                "data-type",
                                "timeseries",
                                "key.prefix",
                                "temp:",
                                "scan.member-page-size",
                                "2",
                                "scan.timeseries.aggregation",
                                "max",
                                "scan.timeseries.bucket-duration",
                                "750 ms",
                                "scan.timeseries.align",
                                "500",
                                "scan.timeseries.bucket-timestamp",
                                "end",
                                "scan.timeseries.empty",
                                "true")
                        + ")");

        // s2: 500, 1500, 2500 in buckets [500, 1250), [1250, 2000), [2000, 2750)
        assertThat(query("SELECT ts, val FROM maxes WHERE sensor = 's2'"))
                .containsExactly(Row.of(1250L, -1.0), Row.of(2000L, 0.0), Row.of(2750L, 1.0));
        tEnv.executeSql(
                "CREATE TABLE counts (sensor STRING, ts BIGINT, val DOUBLE, PRIMARY KEY (sensor, ts)"
                        + " NOT ENFORCED) WITH ("
                        + with(
                                "data-type",
                                "timeseries",
                                "key.prefix",
                                "temp:",
                                "scan.timeseries.aggregation",
                                "count",
                                "scan.timeseries.bucket-duration",
                                "500 ms",
                                "scan.timeseries.empty",
                                "true")
                        + ")");
        // s1 has one sample per second: with EMPTY, the half seconds between count 0
        List<Row> expected = new ArrayList<>();
        for (long t = 1000; t <= 10_000; t += 500) {
            expected.add(Row.of(t, t % 1000 == 0 ? 1.0 : 0.0));
        }
        assertThat(query("SELECT ts, val FROM counts WHERE sensor = 's1'"))
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void missingSeriesAndKeysOfOtherTypesYieldNoRows() throws Exception {
        assertThat(query("SELECT * FROM temps WHERE sensor = 'nope'")).isEmpty();
        assertThat(query("SELECT * FROM temps WHERE sensor = 'str'")).isEmpty();
        assertThat(query("SELECT DISTINCT sensor FROM temps"))
                .containsExactlyInAnyOrder(Row.of("s1"), Row.of("s2"), Row.of("big"));
    }

    @Test
    void aMillionSamplesOfOneSeries() throws Exception {
        Assumptions.assumeFalse(isCluster(), "one series lives on one shard: standalone only");
        int n = 1_000_000;
        madd("long:x", n, i -> 1_700_000_000_000L + i, i -> i % 1000);
        tEnv.executeSql(
                "CREATE TABLE longs (id STRING, ts BIGINT, val DOUBLE, PRIMARY KEY (id, ts) NOT"
                        + " ENFORCED) WITH ("
                        + with("data-type", "timeseries", "key.prefix", "long:")
                        + ")");

        List<Row> rows = query("SELECT COUNT(*), SUM(val), MIN(ts), MAX(ts) FROM longs");

        double sum = 0;
        for (long i = 1; i <= n; i++) {
            sum += i % 1000;
        }
        assertThat(rows)
                .containsExactly(Row.of((long) n, sum, 1_700_000_000_001L, 1_700_000_000_000L + n));
    }

    @Test
    void anUnevenSeriesIsReadInTimeWindowsExactly() throws Exception {
        // 3,000 samples one per ms, a gap of ten million ms, 3,000 more, one alone at the end:
        // windows planned from the average density are dense (read on from their last sample),
        // empty (in the gap) and sparse
        int n = 6_001;
        madd(
                "uneven:x",
                n,
                i -> i <= 3_000 ? i : i <= 6_000 ? 10_000_000L + i : 50_000_000L,
                i -> i,
                "kind",
                "uneven");
        tEnv.executeSql(
                "CREATE TABLE uneven (id STRING, ts BIGINT, val DOUBLE, labels MAP<STRING, STRING>"
                        + " METADATA, PRIMARY KEY (id, ts) NOT ENFORCED) WITH ("
                        + with(
                                "data-type",
                                "timeseries",
                                "key.prefix",
                                "uneven:",
                                "scan.member-page-size",
                                "100")
                        + ")");
        List<Row> expected = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            long t = i <= 3_000 ? i : i <= 6_000 ? 10_000_000L + i : 50_000_000L;
            expected.add(Row.of(t, (double) i));
        }

        client.resetStats();
        assertThat(query("SELECT ts, val FROM uneven")).containsExactlyElementsOf(expected);
        // pages of 128 and 100 (+ TS.INFO), then windows of 100 * 50,000,000 / 6,001 ms: about
        // as many windows as pages (61 at most), and the two dense ones read on in pages of 200
        // (30 more at most, + 1 for each dense window's last part)
        assertThat(client.calls("ts.info")).isEqualTo(1);
        assertThat(client.calls("ts.range")).isBetween(61L, 2 + 61 + 30 + 2L);

        // with the labels (TS.INFO with every page) and a value filter (FILTER_BY_VALUE)
        List<Row> filtered = new ArrayList<>();
        for (Row r : expected) {
            double v = (Double) r.getField(1);
            if (v >= 2_500 && v <= 3_500 || v == n) {
                filtered.add(Row.of(r.getField(0), v, "uneven"));
            }
        }
        assertThat(
                        query(
                                "SELECT ts, val, labels['kind'] FROM uneven WHERE val BETWEEN 2500"
                                        + " AND 3500 OR val = 6001"))
                .containsExactlyInAnyOrderElementsOf(filtered);
        assertThat(
                        query(
                                "SELECT ts, val, labels['kind'] FROM uneven WHERE val BETWEEN 2500"
                                        + " AND 3500"))
                .containsExactlyElementsOf(filtered.subList(0, filtered.size() - 1));
    }

    @Test
    void fullWindowsWhoseLastSampleEndsThemAreReadOn() throws Exception {
        // 2,000 samples one per ms, then 1,000 one per 4 ms up to 6,000: windows of 6,000 * 100 /
        // 3,000 = 200 ms after the first two pages (228 samples), each holding exactly 200
        // samples (a full reply) with its last sample on its last millisecond
        madd("exact:x", 3_000, i -> i <= 2_000 ? i : 2_000 + 4L * (i - 2_000), i -> i);
        tEnv.executeSql(
                "CREATE TABLE exact (id STRING, ts BIGINT, val DOUBLE, PRIMARY KEY (id, ts) NOT"
                        + " ENFORCED) WITH ("
                        + with(
                                "data-type",
                                "timeseries",
                                "key.prefix",
                                "exact:",
                                "scan.member-page-size",
                                "100")
                        + ")");
        List<Row> expected = new ArrayList<>();
        for (int i = 1; i <= 3_000; i++) {
            expected.add(Row.of(i <= 2_000 ? i : 2_000 + 4L * (i - 2_000), (double) i));
        }

        assertThat(query("SELECT ts, val FROM exact")).containsExactlyElementsOf(expected);
    }

    @Test
    void aSplitRestoredInsideAWindowGoesOnAfterItsLastSample() throws Exception {
        Assumptions.assumeFalse(isCluster(), "reads one server's split directly: standalone");
        madd("win:x", 5_000, i -> i, i -> i);
        RedisReadSpec spec =
                new RedisReadSpec(
                        RedisTypes.of(RedisDataType.TIMESERIES),
                        List.of(RedisReadSpec.TIMESTAMP, RedisReadSpec.VALUE),
                        false,
                        100,
                        RedisMemberRange.ALL);
        String node = redis.host() + ":" + redis.port();
        RedisScanSplit split =
                new RedisScanSplit(
                        "s", -1, node, "win:*", RedisScanSplit.INITIAL_CURSOR, List.of());
        List<RedisScanRecord> all = readSplit(spec, split);
        assertThat(all).hasSize(5_000);
        for (int i = 0; i < all.size(); i++) {
            assertThat(text(all.get(i), 0)).isEqualTo(Integer.toString(i + 1));
        }

        // positions of records inside windows (pages of 100 from the 3rd page on, 4 in flight)
        for (int at : new int[] {150, 2_345, 4_998}) {
            RedisScanRecord checkpointed = all.get(at);
            RedisScanSplit restored =
                    new RedisScanSplit(
                            "s",
                            -1,
                            node,
                            "win:*",
                            RedisScanSplit.INITIAL_CURSOR,
                            List.of(),
                            List.of("win:x".getBytes(StandardCharsets.UTF_8)),
                            "win:x".getBytes(StandardCharsets.UTF_8),
                            checkpointed.memberCursor(),
                            checkpointed.memberSkip());
            List<RedisScanRecord> rest = readSplit(spec, restored);
            assertThat(rest).hasSize(5_000 - at - 1);
            assertThat(text(rest.get(0), 0)).isEqualTo(Integer.toString(at + 2));
        }
    }

    private static String text(RedisScanRecord r, int field) {
        return new String(r.record().values()[field], StandardCharsets.UTF_8);
    }

    private List<RedisScanRecord> readSplit(RedisReadSpec spec, RedisScanSplit split)
            throws Exception {
        List<RedisScanRecord> out = new ArrayList<>();
        try (RedisKeySplitReader reader =
                new RedisKeySplitReader(
                        RedisConnectionConfig.fromUrl(redis.url()).build(),
                        spec,
                        1000,
                        10,
                        1,
                        -1,
                        null,
                        new SimpleCounter(),
                        new SimpleCounter())) {
            reader.handleSplitsChanges(new SplitsAddition<>(List.of(split)));
            while (true) {
                RecordsWithSplitIds<RedisScanRecord> batch = reader.fetch();
                while (batch.nextSplit() != null) {
                    RedisScanRecord r;
                    while ((r = batch.nextRecordFromSplit()) != null) {
                        out.add(r);
                    }
                }
                if (!batch.finishedSplits().isEmpty()) {
                    return out;
                }
            }
        }
    }

    @Test
    void thePageExampleRuns() throws Exception {
        Assumptions.assumeFalse(isCluster(), "the page's example runs on one server");

        List<Row> rows = runMarkdownSql("docs/timeseries.md");

        assertThat(rows)
                .containsExactlyInAnyOrder(
                        Row.of("humidity", 288L, 69.5, 69.5),
                        Row.of("temp", 288L, 49.5, 49.5),
                        Row.of("C", 17_280L),
                        Row.of("%", 17_280L));
    }

    @Test
    void valuesOfEveryShapeAreReadExactly() throws Exception {
        // series are read over RESP2, where RedisTimeSeries writes each value as its shortest
        // text: 1E-1, -0, 1E20, 17 significant digits, subnormals
        double[] values = {
            0.1,
            -0.0,
            1e20,
            123456789.12345679,
            -2.5e-7,
            0.30000000000000004,
            Double.MAX_VALUE,
            -Double.MIN_VALUE,
            1e-300,
            -42
        };
        madd("shape:v", values.length, i -> i, i -> values[(int) i - 1]);
        // avg buckets of 1 ms with EMPTY: NaN between samples 1 and 3
        madd("shape:gap", 2, i -> 2 * i - 1, i -> i);
        String[] options = {
            "data-type", "timeseries", "key.prefix", "shape:", "scan.member-page-size", "3"
        };
        tEnv.executeSql(
                "CREATE TABLE shapes (sensor STRING, ts BIGINT, val DOUBLE, PRIMARY KEY (sensor,"
                        + " ts) NOT ENFORCED) WITH ("
                        + with(options)
                        + ")");
        tEnv.executeSql(
                "CREATE TABLE shapes_avg (sensor STRING, ts BIGINT, val DOUBLE, PRIMARY KEY"
                        + " (sensor, ts) NOT ENFORCED) WITH ("
                        + with(
                                concat(
                                        options,
                                        "scan.timeseries.aggregation",
                                        "avg",
                                        "scan.timeseries.bucket-duration",
                                        "1 ms",
                                        "scan.timeseries.empty",
                                        "true"))
                        + ")");

        List<Row> expected = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            expected.add(Row.of((long) i + 1, values[i]));
        }
        assertThat(query("SELECT ts, val FROM shapes WHERE sensor = 'v'"))
                .containsExactlyInAnyOrderElementsOf(expected);
        // Row equality compares doubles with Double.equals: -0.0 is not 0.0, NaN is NaN
        assertThat(query("SELECT ts, val FROM shapes_avg WHERE sensor = 'gap'"))
                .containsExactlyInAnyOrder(
                        Row.of(1L, 1.0), Row.of(2L, Double.NaN), Row.of(3L, 2.0));
    }

    @Test
    void wholeNumberValuesFitIntegerColumns() throws Exception {
        tEnv.executeSql(
                "CREATE TABLE ints (sensor STRING, ts BIGINT, val INT, PRIMARY KEY (sensor, ts) NOT"
                        + " ENFORCED) WITH ("
                        + with("data-type", "timeseries", "key.prefix", "temp:")
                        + ")");

        assertThat(query("SELECT ts, val FROM ints WHERE sensor = 's2'"))
                .containsExactlyInAnyOrder(Row.of(500L, -1), Row.of(1500L, 0), Row.of(2500L, 1));
    }

    @Test
    void badOptionsFailNamingTheOption() {
        assertThatThrownBy(
                        () -> {
                            tEnv.executeSql(
                                    "CREATE TABLE a1 (sensor STRING, ts BIGINT, val DOUBLE, PRIMARY"
                                            + " KEY (sensor, ts) NOT ENFORCED) WITH ("
                                            + with(
                                                    "data-type",
                                                    "timeseries",
                                                    "scan.timeseries.aggregation",
                                                    "avg")
                                            + ")");
                            query("SELECT * FROM a1");
                        })
                .hasStackTraceContaining(
                        "Option 'scan.timeseries.aggregation' needs option"
                                + " 'scan.timeseries.bucket-duration', a duration of at least 1"
                                + " ms.");
        assertThatThrownBy(
                        () -> {
                            tEnv.executeSql(
                                    "CREATE TABLE a2 (sensor STRING, ts BIGINT, val DOUBLE, PRIMARY"
                                            + " KEY (sensor, ts) NOT ENFORCED) WITH ("
                                            + with(
                                                    "data-type",
                                                    "timeseries",
                                                    "scan.timeseries.empty",
                                                    "true")
                                            + ")");
                            query("SELECT * FROM a2");
                        })
                .hasStackTraceContaining(
                        "Option 'scan.timeseries.empty' needs option"
                                + " 'scan.timeseries.aggregation'.");
        assertThatThrownBy(
                        () -> {
                            tEnv.executeSql(
                                    "CREATE TABLE a3 (id STRING, f STRING) WITH ("
                                            + with("scan.timeseries.aggregation", "avg")
                                            + ")");
                            query("SELECT * FROM a3");
                        })
                .hasStackTraceContaining(
                        "Option 'scan.timeseries.aggregation' applies to 'data-type' ="
                                + " 'timeseries' only, not 'hash'");
        assertThatThrownBy(
                        () -> {
                            tEnv.executeSql(
                                    "CREATE TABLE a6 (sensor STRING, ts BIGINT, val DOUBLE, PRIMARY"
                                            + " KEY (sensor, ts) NOT ENFORCED) WITH ("
                                            + with(
                                                    "data-type",
                                                    "timeseries",
                                                    "scan.timeseries.label-filter",
                                                    "area!=eu")
                                            + ")");
                            query("SELECT * FROM a6");
                        })
                .hasStackTraceContaining(
                        "Invalid value 'area!=eu' for option 'scan.timeseries.label-filter':"
                                + " TS.QUERYINDEX needs at least one expression label=value");
        assertThatThrownBy(
                        () -> {
                            tEnv.executeSql(
                                    "CREATE TABLE a4 (sensor STRING, ts BIGINT, val DOUBLE, PRIMARY"
                                            + " KEY (sensor, ts) NOT ENFORCED) WITH ("
                                            + with(
                                                    "data-type",
                                                    "timeseries",
                                                    "scan.timeseries.aggregation",
                                                    "median")
                                            + ")");
                            query("SELECT * FROM a4");
                        })
                .hasStackTraceContaining("scan.timeseries.aggregation");
    }

    private enum Ts implements ProtocolKeyword {
        CREATE,
        MADD;

        @Override
        public byte[] getBytes() {
            return ("TS." + name()).getBytes(StandardCharsets.US_ASCII);
        }
    }
}
