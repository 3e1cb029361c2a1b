-- RedisTimeSeries as a table: one row per sample (TS.RANGE in pages), or one per bucket of a
-- downsampling done by Redis. Needs a server with the RedisTimeSeries module (Redis Stack,
-- Redis 8): set REDIS_URL to one, or REDIS_MODULES to the module file for the launcher to load.
-- The launcher (and the e2e test) put the server's URL in place of the 'url' placeholder.
SET 'execution.runtime-mode' = 'batch';
SET 'table.dml-sync' = 'true';
SET 'sql-client.execution.result-mode' = 'tableau';

-- One series per sensor: example:sensor:<name>, written with TS.ADD and read with TS.RANGE.
CREATE TABLE readings (
  sensor STRING,
  ts TIMESTAMP_LTZ(3),
  val DOUBLE,
  PRIMARY KEY (sensor, ts) NOT ENFORCED
) WITH (
  'connector' = 'redis',
  'url' = '{{REDIS_URL}}',
  'data-type' = 'timeseries',
  'key.prefix' = 'example:sensor:'
);

-- A day of readings of two sensors, one every 5 s: 17,280 samples per series.
CREATE TEMPORARY TABLE ticks (n BIGINT) WITH (
  'connector' = 'datagen',
  'number-of-rows' = '17280',
  'fields.n.kind' = 'sequence',
  'fields.n.start' = '0',
  'fields.n.end' = '17279'
);
INSERT INTO readings
SELECT sensor, TO_TIMESTAMP_LTZ(1700000100000 + n * 5000, 3), CAST(base + MOD(n, 60) AS DOUBLE)
FROM ticks CROSS JOIN (VALUES ('temp', 20), ('humidity', 40)) AS s(sensor, base);

-- Time and value filters become TS.RANGE bounds and FILTER_BY_VALUE: one minute of one sensor,
-- the readings of 30 or more.
SELECT sensor, val
FROM readings
WHERE sensor = 'temp'
  AND ts >= TO_TIMESTAMP_LTZ(1700000100000, 3) AND ts < TO_TIMESTAMP_LTZ(1700000160000, 3)
  AND val >= 30
ORDER BY val;

-- The dashboard: 5-minute averages computed by Redis (TS.RANGE ... AGGREGATION avg 300000),
-- 288 buckets per sensor instead of 17,280 samples.
CREATE TABLE readings_5min (
  sensor STRING,
  ts TIMESTAMP_LTZ(3),
  avg_val DOUBLE,
  PRIMARY KEY (sensor, ts) NOT ENFORCED
) WITH (
  'connector' = 'redis',
  'url' = '{{REDIS_URL}}',
  'data-type' = 'timeseries',
  'key.prefix' = 'example:sensor:',
  'value.column' = 'avg_val',
  'scan.timeseries.aggregation' = 'avg',
  'scan.timeseries.bucket-duration' = '5 min'
);
SELECT sensor, COUNT(*) AS bucket_count, MIN(avg_val) AS low, MAX(avg_val) AS high
FROM readings_5min
GROUP BY sensor
ORDER BY sensor;
