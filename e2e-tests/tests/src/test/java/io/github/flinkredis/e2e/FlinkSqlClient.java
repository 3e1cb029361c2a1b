package io.github.flinkredis.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Flink's SQL client of one Flink version, started as a separate JVM the way {@code
 * bin/sql-client.sh embedded -f script.sql -j connector.jar} starts it in a Flink distribution: the
 * distribution's classpath (here resolved by Maven, see the flink-X.Y modules), {@code
 * FLINK_CONF_DIR} holding {@code config.yaml} and {@code log4j-cli.properties}, the log in a file.
 */
final class FlinkSqlClient {

    /** System property: comma-separated classpath files, one per Flink version. */
    static final String CLASSPATHS_PROPERTY = "e2e.classpaths";

    private static final String MAIN_CLASS = "org.apache.flink.table.client.SqlClient";

    private static final Pattern CLIENT_JAR = Pattern.compile("flink-sql-client-([^/\\\\]+)\\.jar");

    private static final Pattern ANSI_ESCAPE = Pattern.compile("\u001B\\[[0-9;]*[A-Za-z]");

    /**
     * What the distribution's config.yaml passes to every Flink JVM ({@code env.java.opts.all}) on
     * Java 17.
     */
    private static final List<String> DISTRIBUTION_JVM_OPTIONS =
            List.of(
                    "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
                    "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
                    "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang=ALL-UNNAMED",
                    "--add-opens=java.base/java.net=ALL-UNNAMED",
                    "--add-opens=java.base/java.io=ALL-UNNAMED",
                    "--add-opens=java.base/java.nio=ALL-UNNAMED",
                    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                    "--add-opens=java.base/java.text=ALL-UNNAMED",
                    "--add-opens=java.base/java.time=ALL-UNNAMED",
                    "--add-opens=java.base/java.util=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    /**
     * Sized for a small CI machine: one short-lived JVM per script with the MiniCluster inside;
     * C1-only compilation and the serial collector halve the run time of these short runs on two
     * cores.
     */
    private static final List<String> SMALL_MACHINE_JVM_OPTIONS =
            List.of("-Xms128m", "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /**
     * Direct memory a job of a script may hold, in MB. Flink's local executor runs each job on a
     * MiniCluster of its own, whose TaskManager allocates direct ByteBuffers: its network buffers
     * (32 MB, config.yaml below) and, for a batch job's blocking exchange, the sort-shuffle read
     * buffer pool (64 MB, Flink's default), about 3,070 buffers per job (measured with native
     * memory tracking). They are freed only when a garbage collection finds them unreachable, which
     * the JDK forces once when the limit is reached; buffers still reachable then (finished jobs'
     * StreamTasks have finalizers, and the client keeps every finished query's MiniCluster) stay.
     * With the limit at its default (the heap size, 512 MB) a script of 14 jobs failed now and
     * then, on Flink 1.20.3 (in CI and in 1 of 4 runs here), with "Can't allocate enough direct
     * buffer for batch shuffle read buffer pool".
     */
    static final long DIRECT_MEMORY_PER_JOB_MB = 128;

    /** Direct memory of the client itself (its REST endpoint, Netty pools), in MB. */
    static final long DIRECT_MEMORY_BASE_MB = 256;

    /** A statement that runs a job: a query, an INSERT or a statement set. */
    private static final Pattern JOB_STATEMENT =
            Pattern.compile("(?im)^\\s*(SELECT|INSERT|WITH|EXECUTE|BEGIN\\s+STATEMENT)\\b");

    private final String version;
    private final String classpath;
    private final Path classpathFile;

    private FlinkSqlClient(String version, String classpath, Path classpathFile) {
        this.version = version;
        this.classpath = classpath;
        this.classpathFile = classpathFile;
    }

    /** The SQL clients named by the system property {@value #CLASSPATHS_PROPERTY}. */
    static List<FlinkSqlClient> fromSystemProperty() throws IOException {
        String files = System.getProperty(CLASSPATHS_PROPERTY);
        if (files == null || files.isBlank()) {
            throw new IllegalStateException(
                    "System property "
                            + CLASSPATHS_PROPERTY
                            + " is not set; run the e2e tests with Maven (mvn verify)");
        }
        List<FlinkSqlClient> clients = new ArrayList<>();
        for (String file : files.split(",")) {
            clients.add(fromClasspathFile(Path.of(file.trim())));
        }
        return clients;
    }

    /**
     * A SQL client whose classpath is in {@code file} (maven-dependency-plugin build-classpath).
     */
    static FlinkSqlClient fromClasspathFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(
                    "No classpath file "
                            + file
                            + "; build the e2e-tests/flink-X.Y modules first (mvn verify from the"
                            + " root, or with -am)");
        }
        String classpath = Files.readString(file, StandardCharsets.UTF_8).trim();
        Matcher m = CLIENT_JAR.matcher(classpath);
        if (!m.find()) {
            throw new IllegalStateException("No flink-sql-client jar in " + file);
        }
        return new FlinkSqlClient(m.group(1), classpath, file);
    }

    /** The Flink version, from the flink-sql-client jar on the classpath. */
    String version() {
        return version;
    }

    /**
     * Runs {@code script} with the SQL client in embedded mode with {@code jar} added ({@code -j}),
     * in {@code workDir} (configuration, log, temp files and the captured output stay there).
     *
     * @throws AssertionError if the client does not end within {@code timeout}
     */
    Run run(Path script, Path jar, Path workDir, Duration timeout)
            throws IOException, InterruptedException {
        Path conf = Files.createDirectories(workDir.resolve("conf"));
        Path tmp = Files.createDirectories(workDir.resolve("tmp"));
        Path log = workDir.resolve("sql-client.log");
        Path stdout = workDir.resolve("stdout.txt");
        Path stderr = workDir.resolve("stderr.txt");
        Files.writeString(conf.resolve("config.yaml"), configYaml(tmp));
        Files.writeString(conf.resolve("log4j-cli.properties"), LOG4J_CLI_PROPERTIES);

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(SMALL_MACHINE_JVM_OPTIONS);
        command.add("-XX:MaxDirectMemorySize=" + directMemoryMb(script) + "m");
        command.addAll(DISTRIBUTION_JVM_OPTIONS);
        command.add("-Dlog.file=" + log);
        command.add("-Dlog4j.configurationFile=" + conf.resolve("log4j-cli.properties").toUri());
        command.add("-Djava.io.tmpdir=" + tmp);
        command.addAll(List.of("-classpath", classpath, MAIN_CLASS, "embedded"));
        command.addAll(List.of("-hist", workDir.resolve("history").toString()));
        command.addAll(List.of("-f", script.toString(), "-j", jar.toString()));

        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .directory(workDir.toFile())
                        .redirectOutput(stdout.toFile())
                        .redirectError(stderr.toFile());
        builder.environment().put("FLINK_CONF_DIR", conf.toString());
        builder.environment().remove("FLINK_HOME");
        builder.environment().remove("HADOOP_CLASSPATH");

        long start = System.nanoTime();
        Process process = builder.start();
        process.getOutputStream().close();
        boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!ended) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        Run run =
                new Run(
                        this,
                        ended ? process.exitValue() : -1,
                        took,
                        readClean(stdout),
                        readClean(stderr),
                        log,
                        workDir);
        if (!ended) {
            throw new AssertionError(
                    "The SQL client did not end within " + timeout + "\n" + run.describe());
        }
        return run;
    }

    /**
     * The client JVM's direct memory limit for {@code script}: room for the buffers of every job of
     * the script at once (an upper bound: each statement that may run a job counts, comments
     * excluded), so that no timing of the garbage collector can fail a run for want of direct
     * memory.
     */
    static long directMemoryMb(Path script) throws IOException {
        String text = Files.readString(script, StandardCharsets.UTF_8).replaceAll("(?m)--.*$", "");
        long jobs = JOB_STATEMENT.matcher(text).results().count();
        return DIRECT_MEMORY_BASE_MB + jobs * DIRECT_MEMORY_PER_JOB_MB;
    }

    private static String configYaml(Path tmp) {
        return String.join(
                "\n",
                "# FLINK_CONF_DIR/config.yaml of an e2e run: jobs run on a local MiniCluster inside",
                "# the SQL client's JVM, sized for a small machine, listening on loopback only.",
                "execution.target: local",
                "parallelism.default: 1",
                "taskmanager.numberOfTaskSlots: 1",
                "taskmanager.memory.managed.size: 64m",
                "taskmanager.memory.network.min: 32m",
                "taskmanager.memory.network.max: 32m",
                "rest.address: 127.0.0.1",
                "rest.bind-address: 127.0.0.1",
                "rest.port: 0",
                "io.tmp.dirs: " + tmp,
                "");
    }

    /** Flink's conf/log4j-cli.properties: everything to the file named by -Dlog.file. */
    private static final String LOG4J_CLI_PROPERTIES =
            String.join(
                    "\n",
                    "monitorInterval = 0",
                    "rootLogger.level = INFO",
                    "rootLogger.appenderRef.file.ref = FileAppender",
                    "appender.file.name = FileAppender",
                    "appender.file.type = FILE",
                    "appender.file.append = false",
                    "appender.file.fileName = ${sys:log.file}",
                    "appender.file.layout.type = PatternLayout",
                    "appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-60c %x - %m%n",
                    "");

    private static String readClean(Path file) throws IOException {
        if (!Files.exists(file)) {
            return "";
        }
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        return ANSI_ESCAPE.matcher(text).replaceAll("").replace("\r", "");
    }

    @Override
    public String toString() {
        return version;
    }

    /** One finished run of the SQL client. */
    static final class Run {
        final FlinkSqlClient client;
        final int exitCode;
        final Duration took;

        /** Standard output, without ANSI colours. */
        final String stdout;

        /** Standard error, without ANSI colours. */
        final String stderr;

        final Path logFile;
        final Path workDir;

        Run(
                FlinkSqlClient client,
                int exitCode,
                Duration took,
                String stdout,
                String stderr,
                Path logFile,
                Path workDir) {
            this.client = client;
            this.exitCode = exitCode;
            this.took = took;
            this.stdout = stdout;
            this.stderr = stderr;
            this.logFile = logFile;
            this.workDir = workDir;
        }

        /** The client's log file (log4j-cli.properties), empty if none was written. */
        String log() throws IOException {
            return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
        }

        /** The {@code [ERROR]} lines the client printed, each with the two lines after it. */
        List<String> errors() {
            List<String> errors = new ArrayList<>();
            for (String text : List.of(stdout, stderr)) {
                List<String> lines = Arrays.asList(text.split("\n", -1));
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).contains("[ERROR]")) {
                        errors.add(
                                lines.subList(i, Math.min(lines.size(), i + 3)).stream()
                                        .collect(Collectors.joining("\n")));
                    }
                }
            }
            return errors;
        }

        /** Everything needed to understand a failed assertion. */
        String describe() {
            return String.format(
                    "SQL client of Flink %s (classpath %s), exit code %d after %d s, files in %s%n"
                            + "--- stdout ---%n%s%n--- stderr ---%n%s%n--- end ---",
                    client.version,
                    client.classpathFile,
                    exitCode,
                    took.toSeconds(),
                    workDir,
                    stdout,
                    stderr);
        }
    }
}
