-- The workbench story: data already lives in Redis hashes; explore it with SQL.
-- The launcher (and the e2e test) put the server's URL in place of the 'url' placeholder.
SET 'execution.runtime-mode' = 'batch';
SET 'sql-client.execution.result-mode' = 'tableau';

CREATE TABLE users (
  id BIGINT,
  name STRING,
  age INT,
  city STRING,
  active BOOLEAN,
  balance DECIMAL(10, 2),
  signup DATE,
  redis_key STRING METADATA FROM 'key' VIRTUAL,
  PRIMARY KEY (id) NOT ENFORCED
) WITH (
  'connector' = 'redis',
  'url' = '{{REDIS_URL}}',
  'data-type' = 'hash',
  'key.prefix' = 'example:user:'
);

-- Scan and aggregate: users per city.
SELECT city, COUNT(*) AS users, MIN(age) AS youngest, MAX(age) AS oldest, SUM(balance) AS total_balance
FROM users
GROUP BY city
ORDER BY city;

-- Filter and projection: only name, age and active are fetched (HMGET), id comes from the key.
SELECT id, name, age
FROM users
WHERE age >= 78 AND active
ORDER BY id
LIMIT 5;

-- Metadata: the Redis key of each row. The filter on the primary key is a point read of three
-- keys: no SCAN.
SELECT redis_key, name, signup
FROM users
WHERE id IN (1, 2, 3)
ORDER BY id;
