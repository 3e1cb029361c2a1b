-- Enrichment with a lookup join: each order is joined with its user's hash when it comes by
-- (FOR SYSTEM_TIME AS OF the order's processing time): HMGET example:user:<id> name city per
-- order, asynchronously (many lookups in flight on one connection), with Flink's lookup cache in
-- front so that a returning user costs no Redis call. An order of an unknown user keeps NULLs.
-- The launcher (and the e2e test) put the server's URL in place of the 'url' placeholder.
SET 'execution.runtime-mode' = 'batch';
SET 'sql-client.execution.result-mode' = 'tableau';

CREATE TABLE users (
  id BIGINT,
  name STRING,
  city STRING,
  PRIMARY KEY (id) NOT ENFORCED
) WITH (
  'connector' = 'redis',
  'url' = '{{REDIS_URL}}',
  'data-type' = 'hash',
  'key.prefix' = 'example:user:',
  'lookup.async' = 'true',
  'lookup.cache' = 'PARTIAL',
  'lookup.partial-cache.max-rows' = '10000',
  'lookup.partial-cache.expire-after-write' = '10 min'
);

-- The orders: in a real job a Kafka topic or a Redis stream; here four literal rows, in a
-- subquery (Flink 2.0.0's planner fails on a lookup join whose orders come from a TEMPORARY VIEW).
SELECT o.order_id, o.user_id, u.name, u.city, o.amount
FROM (
  SELECT order_id, CAST(user_id AS BIGINT) AS user_id, amount, PROCTIME() AS proc_time
  FROM (VALUES (1001, 7, 19.99), (1002, 8, 5.00), (1003, 7, 42.50), (1004, 5000, 12.00))
    AS t(order_id, user_id, amount)
) AS o
LEFT JOIN users FOR SYSTEM_TIME AS OF o.proc_time AS u
  ON o.user_id = u.id
ORDER BY o.order_id;
