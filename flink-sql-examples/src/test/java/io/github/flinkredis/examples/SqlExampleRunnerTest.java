package io.github.flinkredis.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How the launcher splits a script into statements. */
class SqlExampleRunnerTest {

    @Test
    void statementsEndWithASemicolonAtTheEndOfALine() {
        assertThat(
                        SqlExampleRunner.statements(
                                "-- a comment\n"
                                        + "SET 'a' = 'b';\n"
                                        + "\n"
                                        + "SELECT 1\n"
                                        + "FROM t;\n"
                                        + "SELECT 2"))
                .containsExactly("SET 'a' = 'b'", "SELECT 1\nFROM t", "SELECT 2");
    }

    @Test
    void aStatementSetIsOneStatementEndedByEnd() {
        assertThat(
                        SqlExampleRunner.statements(
                                "EXECUTE STATEMENT SET\n"
                                        + "BEGIN\n"
                                        + "INSERT INTO a SELECT * FROM t;\n"
                                        + "-- the second one\n"
                                        + "INSERT INTO b SELECT * FROM t;\n"
                                        + "END;\n"
                                        + "SELECT 1;"))
                .containsExactly(
                        "EXECUTE STATEMENT SET\nBEGIN\nINSERT INTO a SELECT * FROM t;\n"
                                + "INSERT INTO b SELECT * FROM t;\nEND",
                        "SELECT 1");
    }

    @Test
    void theBundledLoadScriptHasOneStatementSet() throws Exception {
        String sql = SampleData.loadScript("redis://h:1", java.nio.file.Path.of("/data"), true);

        assertThat(SqlExampleRunner.statements(sql))
                .filteredOn(s -> s.startsWith("EXECUTE STATEMENT SET"))
                .singleElement()
                .satisfies(s -> assertThat(s.split("INSERT INTO", -1)).hasSize(6));
    }
}
