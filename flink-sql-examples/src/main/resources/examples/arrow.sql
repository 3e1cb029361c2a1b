-- Staging a table in Redis between jobs: the user hashes copied into a columnar table, stored as
-- compressed Arrow IPC record batches (a few large values instead of a key per row), then read
-- back whole by a later query.
-- The launcher (and the e2e test) put the server's URL in place of the 'url' placeholder.
SET 'execution.runtime-mode' = 'batch';
SET 'sql-client.execution.result-mode' = 'tableau';
-- the INSERT finishes before the SELECT reads what it wrote
SET 'table.dml-sync' = 'true';

CREATE TABLE users (
  id BIGINT,
  name STRING,
  age INT,
  city STRING,
  balance DECIMAL(10, 2),
  PRIMARY KEY (id) NOT ENFORCED
) WITH (
  'connector' = 'redis',
  'url' = '{{REDIS_URL}}',
  'data-type' = 'hash',
  'key.prefix' = 'example:user:'
);

CREATE TABLE users_columnar (
  id BIGINT,
  name STRING,
  age INT,
  city STRING,
  balance DECIMAL(10, 2)
) WITH (
  'connector' = 'redis',
  'url' = '{{REDIS_URL}}',
  'data-type' = 'arrow',
  'key.prefix' = 'example:users_columnar',
  'sink.arrow.batch-rows' = '64'
);

-- One job writes the record batches (64 rows each) and publishes them at once.
INSERT OVERWRITE users_columnar SELECT id, name, age, city, balance FROM users;

-- Read back: only the batch keys the manifest lists, decoded column by column.
SELECT city, COUNT(*) AS users, MIN(age) AS youngest, SUM(balance) AS total_balance
FROM users_columnar
GROUP BY city
ORDER BY city;
