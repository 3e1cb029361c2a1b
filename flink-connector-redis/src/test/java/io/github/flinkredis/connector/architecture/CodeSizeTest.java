package io.github.flinkredis.connector.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.LineMap;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The size rules of docs/architecture.md for src/main: no source file over {@value #MAX_FILE_LINES}
 * lines, no method or constructor over {@value #MAX_METHOD_LINES} lines (from its first modifier to
 * its closing brace, Javadoc not counted). The sources are parsed with the JDK's own compiler API.
 *
 * <p>Files of option declarations only ({@link #OPTION_DECLARATIONS}) are excepted from the
 * file-size rule.
 *
 * <p>{@link #STILL_TOO_LONG} lists what exceeds the rules today, with its size: an entry may only
 * shrink, and an entry that fits the rules must be removed, so that the list only ever gets
 * shorter.
 */
class CodeSizeTest {

    static final int MAX_FILE_LINES = 600;
    static final int MAX_METHOD_LINES = 80;

    /** File (relative to the package root) or Class#method, and its size today in lines. */
    private static final Map<String, Integer> STILL_TOO_LONG = new TreeMap<>();

    /**
     * Files (relative to the package root) that hold only option declarations: issue 19 excepts
     * option declarations from the file-size rule, as one list of every {@code ConfigOption} of the
     * connector reads best in one place. Such a file may be longer than {@value #MAX_FILE_LINES}
     * lines, but may declare nothing but {@code static final ConfigOption} fields and a private
     * constructor ({@link #optionDeclarationFilesHoldOnlyOptionDeclarations}).
     */
    private static final Set<String> OPTION_DECLARATIONS =
            Set.of("io/github/flinkredis/connector/config/RedisConnectorOptions.java");

    /** Members of {@link #OPTION_DECLARATIONS} files other than options: File#member. */
    private static List<String> notOptionDeclarations;

    private static Map<String, Integer> tooLong;

    @BeforeAll
    static void measure() throws IOException {
        Path root = Paths.get("src/main/java");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        tooLong = new TreeMap<>();
        notOptionDeclarations = new ArrayList<>();
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        try (StandardJavaFileManager fm = compiler.getStandardFileManager(null, null, null)) {
            Iterable<? extends JavaFileObject> units = fm.getJavaFileObjectsFromPaths(files);
            JavacTask task =
                    (JavacTask)
                            compiler.getTask(null, fm, null, List.of("-proc:none"), null, units);
            SourcePositions positions = Trees.instance(task).getSourcePositions();
            for (CompilationUnitTree unit : task.parse()) {
                Path file = Paths.get(unit.getSourceFile().toUri());
                String name = root.toAbsolutePath().relativize(file.toAbsolutePath()).toString();
                long lines = Files.readAllLines(file).size();
                if (OPTION_DECLARATIONS.contains(name)) {
                    findOtherThanOptions(unit, name, notOptionDeclarations);
                } else if (lines > MAX_FILE_LINES) {
                    tooLong.put(name, (int) lines);
                }
                measureMethods(unit, positions, tooLong);
            }
        }
    }

    private static void measureMethods(
            CompilationUnitTree unit, SourcePositions positions, Map<String, Integer> out) {
        LineMap lines = unit.getLineMap();
        new TreePathScanner<Void, String>() {
            @Override
            public Void visitClass(ClassTree tree, String outer) {
                String name =
                        outer == null
                                ? tree.getSimpleName().toString()
                                : outer + "." + tree.getSimpleName();
                return super.visitClass(tree, name);
            }

            @Override
            public Void visitMethod(MethodTree tree, String owner) {
                int length = length(tree);
                if (length > MAX_METHOD_LINES) {
                    out.merge(owner + "#" + tree.getName(), length, Math::max);
                }
                return super.visitMethod(tree, owner);
            }

            private int length(Tree tree) {
                long start = positions.getStartPosition(unit, tree);
                long end = positions.getEndPosition(unit, tree);
                return (int) (lines.getLineNumber(end) - lines.getLineNumber(start) + 1);
            }
        }.scan(unit, null);
    }

    /** Adds every member of the file's classes but ConfigOption constants and constructors. */
    private static void findOtherThanOptions(
            CompilationUnitTree unit, String file, List<String> out) {
        for (Tree type : unit.getTypeDecls()) {
            for (Tree member : ((ClassTree) type).getMembers()) {
                if (member instanceof VariableTree) {
                    VariableTree field = (VariableTree) member;
                    Set<Modifier> flags = field.getModifiers().getFlags();
                    if (flags.contains(Modifier.STATIC)
                            && flags.contains(Modifier.FINAL)
                            && field.getType().toString().startsWith("ConfigOption<")) {
                        continue;
                    }
                    out.add(file + "#" + field.getName());
                } else if (member instanceof MethodTree) {
                    MethodTree method = (MethodTree) member;
                    if (!method.getName().contentEquals("<init>")
                            || !method.getModifiers().getFlags().contains(Modifier.PRIVATE)) {
                        out.add(file + "#" + method.getName());
                    }
                } else {
                    out.add(file + "#" + member.getKind());
                }
            }
        }
    }

    @Test
    void optionDeclarationFilesHoldOnlyOptionDeclarations() {
        assertThat(notOptionDeclarations)
                .as(
                        "members of %s other than static final ConfigOption fields and a private"
                                + " constructor (move them out, or the file falls under the"
                                + " size rule)",
                        OPTION_DECLARATIONS)
                .isEmpty();
    }

    @Test
    void noFileOrMethodIsLongerThanTheRulesAllow() {
        List<String> violations = new ArrayList<>();
        tooLong.forEach(
                (what, size) -> {
                    Integer allowed = STILL_TOO_LONG.get(what);
                    if (allowed == null || size > allowed) {
                        violations.add(what + ": " + size + " lines");
                    }
                });
        assertThat(violations)
                .as(
                        "files over %d lines or methods over %d lines (split them)",
                        MAX_FILE_LINES, MAX_METHOD_LINES)
                .isEmpty();
    }

    @Test
    void theListOfWhatIsStillTooLongOnlyShrinks() {
        List<String> stale = new ArrayList<>();
        STILL_TOO_LONG.forEach(
                (what, size) -> {
                    Integer now = tooLong.get(what);
                    if (now == null) {
                        stale.add(what + ": fits the rules now (remove the entry)");
                    } else if (now < size) {
                        stale.add(
                                what
                                        + ": "
                                        + now
                                        + " lines now (lower the entry from "
                                        + size
                                        + ")");
                    }
                });
        assertThat(stale).as("entries of STILL_TOO_LONG to update").isEmpty();
    }
}
