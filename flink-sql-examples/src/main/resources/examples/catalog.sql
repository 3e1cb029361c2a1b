-- The redis catalog: the keys of the sample data as tables, with schemas inferred from their
-- values. No CREATE TABLE: the catalog groups the keys by data type and prefix (example:user:1,
-- example:user:2, ... are the hashes of the table `example:user`), and types each field by the
-- narrowest type that reads every sampled value. The launcher (and the e2e test) put the server's
-- URL in place of the 'url' placeholder.
SET 'execution.runtime-mode' = 'batch';
SET 'sql-client.execution.result-mode' = 'tableau';

CREATE CATALOG redis_catalog WITH (
  'type' = 'redis',
  'url' = '{{REDIS_URL}}'
);

-- The inferred columns of the user hashes; each comment says how sure the inference is.
DESCRIBE redis_catalog.db0.`example:user`;

-- A query through the inferred table: read by the redis connector, with its pushdowns.
SELECT city, COUNT(*) AS users, MIN(age) AS youngest
FROM redis_catalog.db0.`example:user`
GROUP BY city
ORDER BY city;
