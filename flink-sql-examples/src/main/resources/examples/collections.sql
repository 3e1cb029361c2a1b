-- Sets, lists and sorted sets as tables: one row per member or element, read in pages.
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

-- One sorted set (ZADD example:leaderboard <points> user-<id>): one row per member.
CREATE TABLE leaderboard (
  player STRING,
  points DOUBLE,
  place BIGINT,
  PRIMARY KEY (player) NOT ENFORCED
) WITH (
  'connector' = 'redis',
  'url' = '{{REDIS_URL}}',
  'data-type' = 'zset',
  'key.pattern' = 'example:leaderboard',
  'member.column' = 'player',
  'score.column' = 'points',
  'rank.column' = 'place'
);

-- Set members across all users: SSCAN per key.
SELECT tag, COUNT(*) AS users
FROM tags
GROUP BY tag
ORDER BY tag;

-- The first page each user viewed: the index filter is the LRANGE bounds (LRANGE key 0 0).
SELECT page, COUNT(*) AS users
FROM page_views
WHERE pos = 0
GROUP BY page
ORDER BY page;

-- A score range: ZRANGE example:leaderboard (990 +inf BYSCORE, ranks from ZCOUNT.
SELECT player, points, place
FROM leaderboard
WHERE points > 990
ORDER BY points DESC, player;
