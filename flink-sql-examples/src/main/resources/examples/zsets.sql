-- A Redis sorted set as a table: one row per member with its score and rank, read with ZRANGE.
-- The launcher (and the e2e test) put the server's URL in place of the 'url' placeholder.
SET 'execution.runtime-mode' = 'batch';
SET 'sql-client.execution.result-mode' = 'tableau';

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

-- A score range: ZRANGE example:leaderboard (990 +inf BYSCORE, ranks from ZCOUNT.
SELECT player, points, place
FROM leaderboard
WHERE points > 990
ORDER BY points DESC, player;

