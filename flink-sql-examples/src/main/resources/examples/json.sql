-- RedisJSON documents as a table: columns are top-level members, nested ones included.
-- Needs a server with the RedisJSON module (Redis Stack, Redis 8): set REDIS_URL to one, or
-- REDIS_MODULES to the module file for the launcher to load.
-- The launcher (and the e2e test) put the server's URL in place of the 'url' placeholder.
SET 'execution.runtime-mode' = 'batch';
SET 'sql-client.execution.result-mode' = 'tableau';

CREATE TABLE profiles (
  id BIGINT,
  name STRING,
  age INT,
  address ROW<city STRING, zip STRING>,
  interests ARRAY<STRING>,
  PRIMARY KEY (id) NOT ENFORCED
) WITH (
  'connector' = 'redis',
  'url' = '{{REDIS_URL}}',
  'data-type' = 'json',
  'key.prefix' = 'example:profile:'
);

-- Nested members: JSON.GET key $.address per document, only the selected member.
SELECT address.city AS city, COUNT(*) AS users
FROM profiles
GROUP BY address.city
ORDER BY city;

-- A point read of two documents, arrays included.
SELECT id, name, age, interests
FROM profiles
WHERE id IN (7, 8)
ORDER BY id;
