package io.github.flinkredis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQL client's direct memory limit: room for every job a script may run. */
class FlinkSqlClientTest {

    @Test
    void directMemoryHoldsEveryJobOfTheScriptAtOnce(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("script.sql");
        Files.writeString(
                script,
                String.join(
                        "\n",
                        "-- SELECT in a comment runs nothing",
                        "SET 'execution.runtime-mode' = 'batch';",
                        "CREATE TABLE t (id BIGINT) WITH ('connector' = 'redis');",
                        "INSERT INTO t SELECT 1;",
                        "SELECT * FROM t;",
                        "  select COUNT(*)",
                        "  FROM t;",
                        "WITH x AS (SELECT 1) SELECT * FROM x;",
                        "EXECUTE STATEMENT SET BEGIN INSERT INTO t SELECT 2; END;",
                        "SHOW TABLES;"));

        // INSERT, SELECT, select, WITH, EXECUTE (its INSERT starts no line): five jobs at most
        assertThat(FlinkSqlClient.directMemoryMb(script))
                .isEqualTo(
                        FlinkSqlClient.DIRECT_MEMORY_BASE_MB
                                + 5 * FlinkSqlClient.DIRECT_MEMORY_PER_JOB_MB);
    }

    @Test
    void aScriptWithoutJobsGetsTheClientsOwnShare(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("script.sql");
        Files.writeString(script, "CREATE DATABASE d;\nSHOW DATABASES;\n");
        assertThat(FlinkSqlClient.directMemoryMb(script))
                .isEqualTo(FlinkSqlClient.DIRECT_MEMORY_BASE_MB);
    }
}
