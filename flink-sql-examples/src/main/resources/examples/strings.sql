-- Redis strings as a table: one row per key, the value in one column, read with MGET.
-- The launcher (and the e2e test) put the server's URL in place of the 'url' placeholder.
SET 'execution.runtime-mode' = 'batch';
SET 'sql-client.execution.result-mode' = 'tableau';

CREATE TABLE visits (
  id BIGINT,
  visits INT,
  PRIMARY KEY (id) NOT ENFORCED
) WITH (
  'connector' = 'redis',
  'url' = '{{REDIS_URL}}',
  'data-type' = 'string',
  'key.prefix' = 'example:visits:'
);

-- Scan: every string under the prefix.
SELECT COUNT(*) AS users, SUM(visits) AS total_visits
FROM visits;

-- Point read: the filter on the primary key reads two keys, with no SCAN.
SELECT id, visits
FROM visits
WHERE id IN (7, 8)
ORDER BY id;
