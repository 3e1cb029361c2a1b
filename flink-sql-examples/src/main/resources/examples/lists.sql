-- Redis lists as a table: one row per element with its index, read with LRANGE in pages.
-- The launcher (and the e2e test) put the server's URL in place of the 'url' placeholder.
SET 'execution.runtime-mode' = 'batch';
SET 'sql-client.execution.result-mode' = 'tableau';

-- A list per user (RPUSH example:views:<id> ...): one row per element, with its index.
CREATE TABLE page_views (
  id BIGINT,
  pos BIGINT,
  page STRING,
  PRIMARY KEY (id, pos) NOT ENFORCED
) WITH (
  'connector' = 'redis',
  'url' = '{{REDIS_URL}}',
  'data-type' = 'list',
  'key.prefix' = 'example:views:',
  'index.column' = 'pos',
  'element.column' = 'page'
);

-- The first page each user viewed: the index filter is the LRANGE bounds (LRANGE key 0 0).
SELECT page, COUNT(*) AS users
FROM page_views
WHERE pos = 0
GROUP BY page
ORDER BY page;
