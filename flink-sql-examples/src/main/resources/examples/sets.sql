-- Redis sets as a table: one row per member, read with SSCAN in pages.
-- The launcher (and the e2e test) put the server's URL in place of the 'url' placeholder.
SET 'execution.runtime-mode' = 'batch';
SET 'sql-client.execution.result-mode' = 'tableau';

-- A set per user (SADD example:tags:<id> ...): one row per member.
CREATE TABLE tags (
  id BIGINT,
  tag STRING,
  PRIMARY KEY (id, tag) NOT ENFORCED
) WITH (
  'connector' = 'redis',
  'url' = '{{REDIS_URL}}',
  'data-type' = 'set',
  'key.prefix' = 'example:tags:',
  'member.column' = 'tag'
);

-- Set members across all users: SSCAN per key.
SELECT tag, COUNT(*) AS users
FROM tags
GROUP BY tag
ORDER BY tag;
