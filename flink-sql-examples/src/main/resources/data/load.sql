-- Loads the examples' sample data into Redis: the 1,000 users of users.csv, read with Flink's
-- filesystem connector, written with INSERT INTO redis tables of each data type in one job.
-- The launcher (and the e2e test) put the server's URL in place of the 'url' placeholder and the
-- directory holding users.csv in place of the 'path' one, and delete the keys of an earlier load
-- first (SADD and RPUSH add to what a key holds). The JSON profiles are loaded by load-json.sql.
SET 'execution.runtime-mode' = 'batch';
-- each INSERT ends before the next statement runs
SET 'table.dml-sync' = 'true';
-- one reader of the file and one writer per table: each list gets its elements in file order
SET 'table.exec.resource.default-parallelism' = '1';

-- users.csv: a comment line naming the columns, then one line per user; tags and pages (the
-- user's page views, oldest first) are arrays, their elements separated by ';' (flink-csv's array
-- element delimiter).
CREATE TEMPORARY TABLE users_csv (
  id BIGINT,
  name STRING,
  age INT,
  city STRING,
  active BOOLEAN,
  balance DECIMAL(10, 2),
  signup DATE,
  visits INT,
  tags ARRAY<STRING>,
  pages ARRAY<STRING>,
  points DOUBLE,
  zip STRING
) WITH (
  'connector' = 'filesystem',
  'path' = '{{DATA_DIR}}/users.csv',
  'format' = 'csv',
  'csv.allow-comments' = 'true'
);

-- HSET example:user:<id> name ... age ... city ... active ... balance ... signup ...
CREATE TEMPORARY TABLE user_hashes (
  id BIGINT,
  name STRING,
  age INT,
  city STRING,
  active BOOLEAN,
  balance DECIMAL(10, 2),
  signup DATE,
  PRIMARY KEY (id) NOT ENFORCED
) WITH (
  'connector' = 'redis',
  'url' = '{{REDIS_URL}}',
  'data-type' = 'hash',
  'key.prefix' = 'example:user:'
);

-- SET example:visits:<id> <visits>
CREATE TEMPORARY TABLE visit_strings (
  id BIGINT,
  visits INT,
  PRIMARY KEY (id) NOT ENFORCED
) WITH (
  'connector' = 'redis',
  'url' = '{{REDIS_URL}}',
  'data-type' = 'string',
  'key.prefix' = 'example:visits:'
);

-- SADD example:tags:<id> <tag>: one row per member
CREATE TEMPORARY TABLE tag_sets (
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

-- RPUSH example:views:<id> <page>: one row per element, appended in input order (the index
-- column tells the rows of a list apart; the sink does not write it)
CREATE TEMPORARY TABLE view_lists (
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

-- ZADD example:leaderboard <points> user-<id>: one sorted set
CREATE TEMPORARY TABLE leaderboard_zset (
  player STRING,
  points DOUBLE,
  PRIMARY KEY (player) NOT ENFORCED
) WITH (
  'connector' = 'redis',
  'url' = '{{REDIS_URL}}',
  'data-type' = 'zset',
  'key.pattern' = 'example:leaderboard',
  'member.column' = 'player',
  'score.column' = 'points'
);

-- One job writes all five tables; an array becomes one row per element with CROSS JOIN UNNEST.
EXECUTE STATEMENT SET
BEGIN
INSERT INTO user_hashes
SELECT id, name, age, city, active, balance, signup
FROM users_csv;
INSERT INTO visit_strings
SELECT id, visits
FROM users_csv;
INSERT INTO tag_sets
SELECT u.id, t.tag
FROM users_csv AS u CROSS JOIN UNNEST(u.tags) AS t (tag);
-- a list's index: the element's position in its array (no user views a page twice in users.csv;
-- UNNEST ... WITH ORDINALITY gives it from Flink 2.1 on). The list is written in row order
-- (RPUSH), the order UNNEST emits the elements in.
INSERT INTO view_lists
SELECT u.id, CAST(ARRAY_POSITION(u.pages, v.page) - 1 AS BIGINT), v.page
FROM users_csv AS u CROSS JOIN UNNEST(u.pages) AS v (page);
INSERT INTO leaderboard_zset
SELECT name, points
FROM users_csv;
END;
