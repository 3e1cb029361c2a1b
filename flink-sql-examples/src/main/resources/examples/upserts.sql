-- An updating query written to Redis: the sink is an upsert sink (by PRIMARY KEY), so each change
-- of a result row is an HSET of its key, and Redis holds the final result.
-- The launcher (and the e2e test) put the server's URL in place of the 'url' placeholder.
SET 'execution.runtime-mode' = 'streaming';
SET 'table.dml-sync' = 'true';
SET 'sql-client.execution.result-mode' = 'tableau';

CREATE TABLE users (
  id BIGINT,
  age INT,
  city STRING,
  PRIMARY KEY (id) NOT ENFORCED
) WITH (
  'connector' = 'redis',
  'url' = '{{REDIS_URL}}',
  'data-type' = 'hash',
  'key.prefix' = 'example:user:'
);

-- One hash per city: example:city:<city> with the fields users and avg_age.
CREATE TABLE city_stats (
  city STRING,
  users BIGINT,
  avg_age INT,
  PRIMARY KEY (city) NOT ENFORCED
) WITH (
  'connector' = 'redis',
  'url' = '{{REDIS_URL}}',
  'data-type' = 'hash',
  'key.prefix' = 'example:city:'
);

-- A streaming aggregation: every user updates its city's row (an upsert changelog).
INSERT INTO city_stats
SELECT city, COUNT(*), AVG(age)
FROM users
GROUP BY city;

-- Read back what Redis holds now.
SET 'execution.runtime-mode' = 'batch';
SELECT city, users, avg_age
FROM city_stats
ORDER BY city;
