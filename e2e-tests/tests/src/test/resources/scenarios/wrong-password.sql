-- Failure scenario: the table's 'password' option is wrong for a server that requires one.
-- The query must fail with an authentication error, and nothing the client prints or logs may
-- contain the password (apart from the echo of this statement itself).
SET 'execution.runtime-mode' = 'batch';
SET 'sql-client.execution.result-mode' = 'tableau';

CREATE TABLE users (
  id BIGINT,
  name STRING,
  PRIMARY KEY (id) NOT ENFORCED
) WITH (
  'connector' = 'redis',
  'url' = '{{REDIS_URL}}',
  'password' = '{{WRONG_PASSWORD}}',
  'data-type' = 'hash',
  'key.prefix' = 'example:user:'
);

SELECT id, name FROM users;
