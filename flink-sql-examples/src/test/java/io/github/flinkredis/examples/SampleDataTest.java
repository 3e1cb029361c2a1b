package io.github.flinkredis.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.examples.SampleData.User;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled CSV file of the sample data holds exactly what {@link SampleData#users()} computes,
 * so the expected results of the examples stay a pure function of the id.
 */
class SampleDataTest {

    /** The comment line that heads the CSV file: its columns. */
    static final String HEADER =
            "# id,name,age,city,active,balance,signup,visits,tags,pages,points,zip";

    /**
     * The CSV file's lines as computed from {@link SampleData#users()}: {@link #HEADER}, then one
     * line per user, tags and page views separated by {@code ;} (flink-csv's array element
     * delimiter).
     */
    static List<String> expectedLines() {
        List<String> lines = new ArrayList<>();
        lines.add(HEADER);
        for (User u : SampleData.users()) {
            lines.add(
                    String.join(
                            ",",
                            Long.toString(u.id),
                            u.name,
                            Integer.toString(u.age),
                            u.city,
                            Boolean.toString(u.active),
                            u.balance.toPlainString(),
                            u.signup.toString(),
                            Integer.toString(u.visits()),
                            String.join(";", u.tags()),
                            String.join(";", u.views()),
                            Double.toString(u.points()),
                            u.zip()));
        }
        return lines;
    }

    @Test
    void theBundledCsvHoldsTheComputedUsers() throws IOException {
        String csv;
        try (InputStream in = SampleData.class.getResourceAsStream(SampleData.CSV_RESOURCE)) {
            assertThat(in).as(SampleData.CSV_RESOURCE).isNotNull();
            csv = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(csv).endsWith("\n").doesNotContain("\r");
        assertThat(csv.split("\n"))
                .hasSize(SampleData.USERS + 1)
                .containsExactlyElementsOf(expectedLines());
    }

    @Test
    void noUserViewsAPageTwice() {
        // load.sql takes a list element's index from ARRAY_POSITION (WITH ORDINALITY needs Flink
        // 2.1): exact only where each page stands once in a user's views
        for (User u : SampleData.users()) {
            assertThat(u.views()).as("user %d", u.id).doesNotHaveDuplicates();
        }
    }

    @Test
    void writeCsvCopiesTheBundledFile(@TempDir Path dir) throws IOException {
        Path file = SampleData.writeCsv(dir);

        assertThat(file).isEqualTo(dir.resolve(SampleData.CSV_FILE));
        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8))
                .containsExactlyElementsOf(expectedLines());
    }

    @Test
    void theLoadScriptNamesTheServerAndTheFile(@TempDir Path dir) throws IOException {
        String withoutJson = SampleData.loadScript("redis://127.0.0.1:1234", dir, false);
        String withJson = SampleData.loadScript("redis://127.0.0.1:1234", dir, true);

        for (String sql : List.of(withoutJson, withJson)) {
            assertThat(sql)
                    .doesNotContain(SampleData.URL_PLACEHOLDER)
                    .doesNotContain(SampleData.DATA_DIR_PLACEHOLDER)
                    .contains("'url' = 'redis://127.0.0.1:1234'")
                    .contains("'path' = '" + dir.toAbsolutePath() + "/" + SampleData.CSV_FILE + "'")
                    .contains("'format' = 'csv'");
        }
        assertThat(withoutJson).doesNotContain("'data-type' = 'json'");
        assertThat(withJson).startsWith(withoutJson.strip()).contains("'data-type' = 'json'");
    }
}
