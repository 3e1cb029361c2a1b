-- Filters answered by a RediSearch index: FT.AGGREGATE selects the keys of the user hashes
-- instead of a SCAN of them all, and only those are read (HMGET); a COUNT(*) per city is counted
-- by the index itself, without reading a key.
-- Needs a server with the RediSearch module (Redis Stack, Redis 8): set REDIS_URL to one, or
-- REDIS_MODULES to the module file for the launcher to load. After loading the sample data the
-- launcher (and the e2e test) create the index, as one would in redis-cli:
--   FT.CREATE example-users ON HASH PREFIX 1 example:user: SCHEMA city TAG age NUMERIC
-- The launcher (and the e2e test) put the server's URL in place of the 'url' placeholder.
SET 'execution.runtime-mode' = 'batch';
SET 'sql-client.execution.result-mode' = 'tableau';

-- 'search.index' = 'auto' (the default) would find the index too; a name makes the planning fail
-- where it cannot serve the table.
CREATE TABLE users (
  id BIGINT,
  name STRING,
  age INT,
  city STRING,
  PRIMARY KEY (id) NOT ENFORCED
) WITH (
  'connector' = 'redis',
  'url' = '{{REDIS_URL}}',
  'data-type' = 'hash',
  'key.prefix' = 'example:user:',
  'search.index' = 'example-users'
);

-- A NUMERIC range and a TAG: FT.AGGREGATE example-users "(@age:[78 +inf]) (@city:{Oslo})" ...
SELECT id, name, age
FROM users
WHERE age >= 78 AND city = 'Oslo'
ORDER BY id;

-- Flink aggregates the users the index selects (ages 30 to 39 of every city).
SELECT city, COUNT(*) AS users, MIN(age) AS youngest, MAX(age) AS oldest
FROM users
WHERE age BETWEEN 30 AND 39
GROUP BY city
ORDER BY city;

-- Counted by RediSearch: FT.AGGREGATE example-users * LOAD 1 @city GROUPBY 1 @city REDUCE COUNT 0
SELECT city, COUNT(*) AS users
FROM users
GROUP BY city
ORDER BY city;
