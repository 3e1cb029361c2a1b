package io.github.flinkredis.e2e;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The result tables in the output of Flink's SQL client in {@code tableau} result mode, in the
 * order they were printed, as cell text (padding removed):
 *
 * <pre>
 * +------+-------+
 * | city | users |
 * +------+-------+
 * | Oslo |   200 |
 * +------+-------+
 * 1 row in set (0.5 seconds)
 * </pre>
 *
 * <p>An {@code Empty set} is a table without header and rows. The client echoes each statement
 * without a line break before its result, so a table's first border may follow echoed text on the
 * same line.
 */
final class TableauResults {

    /** A border line, possibly preceded by the echo of the statement. */
    private static final Pattern BORDER = Pattern.compile("\\+(?:-+\\+)+$");

    private static final Pattern ROW_COUNT = Pattern.compile("^(\\d+) rows? in set\\b.*");

    private static final Pattern EMPTY_SET = Pattern.compile("Empty set(?: \\(.*\\))?$");

    private TableauResults() {}

    /** One printed result. */
    static final class Table {
        final List<String> header;
        final List<List<String>> rows;

        Table(List<String> header, List<List<String>> rows) {
            this.header = header;
            this.rows = rows;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Table
                    && header.equals(((Table) o).header)
                    && rows.equals(((Table) o).rows);
        }

        @Override
        public int hashCode() {
            return Objects.hash(header, rows);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder().append(header);
            rows.forEach(r -> sb.append("\n  ").append(r));
            return sb.toString();
        }
    }

    /** Parses every result table in {@code output}. */
    static List<Table> parse(String output) {
        List<String> lines = Arrays.asList(output.split("\n", -1));
        List<Table> tables = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            Matcher border = BORDER.matcher(line);
            if (border.find() && i + 2 < lines.size() && isRow(lines.get(i + 1))) {
                List<String> header = cells(lines.get(i + 1));
                int j = i + 3; // past the border under the header
                List<List<String>> rows = new ArrayList<>();
                while (j < lines.size() && isRow(lines.get(j))) {
                    rows.add(cells(lines.get(j)));
                    j++;
                }
                // j is the closing border; the next line counts the rows
                if (j + 1 < lines.size()) {
                    Matcher count = ROW_COUNT.matcher(lines.get(j + 1).trim());
                    if (count.matches() && Integer.parseInt(count.group(1)) != rows.size()) {
                        throw new IllegalStateException(
                                "Table with "
                                        + rows.size()
                                        + " rows says: "
                                        + lines.get(j + 1)
                                        + "\n"
                                        + output);
                    }
                }
                tables.add(new Table(header, rows));
                i = j + 1;
            } else {
                if (EMPTY_SET.matcher(line).find()) {
                    tables.add(new Table(List.of(), List.of()));
                }
                i++;
            }
        }
        return tables;
    }

    private static boolean isRow(String line) {
        return line.length() >= 2 && line.startsWith("|") && line.endsWith("|");
    }

    private static List<String> cells(String row) {
        List<String> cells = new ArrayList<>();
        for (String cell : row.substring(1, row.length() - 1).split("\\|", -1)) {
            cells.add(cell.trim());
        }
        return cells;
    }
}
