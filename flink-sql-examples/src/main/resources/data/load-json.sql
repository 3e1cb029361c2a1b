-- Loads the JSON profiles of the sample data: JSON.SET example:profile:<id> $ {"name": ...,
-- "age": ..., "address": {"city": ..., "zip": ...}, "interests": [...]}. Needs the RedisJSON
-- module (Redis Stack, Redis 8); the launcher (and the e2e test) run it only on such a server,
-- after load.sql and in the same session: it reads that script's users_csv table.
CREATE TEMPORARY TABLE profile_documents (
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

INSERT INTO profile_documents
SELECT id, name, age, ROW(city, zip), tags
FROM users_csv;
