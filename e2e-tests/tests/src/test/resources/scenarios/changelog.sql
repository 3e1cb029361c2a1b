-- Streaming INSERTs into redis tables with a PRIMARY KEY (the SQL client's default mode): an
-- insert-only query (INSERT ... VALUES, which Flink 2.3 accepts without an ON CONFLICT clause)
-- and an aggregation filtered on its count, whose changelog holds UPDATE_BEFORE rows (the sink
-- deletes the keys the filter drops); then lookup joins, sync and async, in streaming mode. The
-- test checks what Redis holds afterwards.
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

-- Lookup joins in streaming mode, sync (the users table above) and async (the same hashes through
-- a table with 'lookup.async'), against the users just written: each order
-- gets its user's name and age (HMGET e2e:user:<id> name age); the unknown user 9 gets NULLs,
-- which the sink leaves out of the order's hash.
CREATE TABLE users_async (
  id BIGINT,
  name STRING,
  age INT,
  PRIMARY KEY (id) NOT ENFORCED
) WITH (
  'connector' = 'redis',
  'url' = '{{REDIS_URL}}',
  'data-type' = 'hash',
  'key.prefix' = 'e2e:user:',
  'lookup.async' = 'true'
);

CREATE TABLE enriched (
  order_id BIGINT,
  sync_name STRING,
  sync_age INT,
  async_name STRING,
  async_age INT,
  PRIMARY KEY (order_id) NOT ENFORCED
) WITH (
  'connector' = 'redis',
  'url' = '{{REDIS_URL}}',
  'data-type' = 'hash',
  'key.prefix' = 'e2e:order:'
);

INSERT INTO enriched
SELECT o.order_id, s.name, s.age, a.name, a.age
FROM (
  SELECT order_id, user_id, PROCTIME() AS proc_time
  FROM (VALUES (CAST(101 AS BIGINT), CAST(1 AS BIGINT)), (CAST(102 AS BIGINT), CAST(3 AS BIGINT)),
    (CAST(103 AS BIGINT), CAST(9 AS BIGINT)), (CAST(104 AS BIGINT), CAST(1 AS BIGINT)))
    AS t(order_id, user_id)) AS o
LEFT JOIN users FOR SYSTEM_TIME AS OF o.proc_time AS s ON o.user_id = s.id
LEFT JOIN users_async FOR SYSTEM_TIME AS OF o.proc_time AS a ON o.user_id = a.id;
