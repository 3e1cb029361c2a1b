package io.github.flinkredis.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkredis.e2e.TableauResults.Table;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parser of the SQL client's tableau output, on output as the client prints it. */
class TableauResultsTest {

    private static final String OUTPUT =
            String.join(
                    "\n",
                    "Flink SQL> +-----------------------+",
                    "| current database name |",
                    "+-----------------------+",
                    "|         e2e_workbench |",
                    "+-----------------------+",
                    "1 row in set",
                    "",
                    "Flink SQL> ",
                    "> SELECT city, COUNT(*) AS users+--------+-------+",
                    "|   city | users |",
                    "+--------+-------+",
                    "| Berlin |   200 |",
                    "|   Oslo | <NULL> |",
                    "+--------+-------+",
                    "2 rows in set (7.33 seconds)",
                    "",
                    "Flink SQL> ",
                    "> -- only name, age and active are fetched (HMGET)Empty set (8.66 seconds)",
                    "",
                    "Flink SQL> ",
                    "Shutting down the session...",
                    "done.");

    @Test
    void parsesTablesInOrderIncludingEmptySets() {
        assertThat(TableauResults.parse(OUTPUT))
                .containsExactly(
                        new Table(
                                List.of("current database name"),
                                List.of(List.of("e2e_workbench"))),
                        new Table(
                                List.of("city", "users"),
                                List.of(List.of("Berlin", "200"), List.of("Oslo", "<NULL>"))),
                        new Table(List.of(), List.of()));
    }

    @Test
    void rejectsARowCountThatDoesNotMatchTheRows() {
        String wrong = OUTPUT.replace("2 rows in set", "3 rows in set");
        assertThatThrownBy(() -> TableauResults.parse(wrong))
                .hasMessageContaining("Table with 2 rows says: 3 rows in set");
    }

    @Test
    void findsNothingWithoutTables() {
        assertThat(TableauResults.parse("[INFO] Execute statement succeeded.\n")).isEmpty();
    }
}
