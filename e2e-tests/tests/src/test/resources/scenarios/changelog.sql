-- Streaming INSERTs into redis tables with a PRIMARY KEY (the SQL client's default mode): an
-- insert-only query (INSERT ... VALUES, which Flink 2.3 accepts without an ON CONFLICT clause)
-- and an aggregation filtered on its count, whose changelog holds UPDATE_BEFORE rows (the sink
-- deletes the keys the filter drops). The test checks what Redis holds afterwards.
SET 'execution.runtime-mode' = 'streaming';
SET 'table.dml-sync' = 'true';

CREATE TABLE users (
  id BIGINT,
  name STRING,
  age INT,
  PRIMARY KEY (id) NOT ENFORCED
) WITH (
  'connector' = 'redis',
  'url' = '{{REDIS_URL}}',
  'data-type' = 'hash',
  'key.prefix' = 'e2e:user:'
);

INSERT INTO users
SELECT * FROM (VALUES (CAST(1 AS BIGINT), 'ann', 31), (CAST(2 AS BIGINT), 'bob', 25),
  (CAST(3 AS BIGINT), 'cy', 47), (CAST(1 AS BIGINT), 'ann', 32));

CREATE TABLE singles (
  city STRING,
  n BIGINT,
  PRIMARY KEY (city) NOT ENFORCED
) WITH (
  'connector' = 'redis',
  'url' = '{{REDIS_URL}}',
  'data-type' = 'hash',
  'key.prefix' = 'e2e:single:'
);

INSERT INTO singles
SELECT city, n
FROM (SELECT city, COUNT(*) AS n
      FROM (VALUES ('oslo'), ('lima'), ('oslo'), ('pune'), ('pune'), ('kyiv')) AS t(city)
      GROUP BY city)
WHERE n < 2;
