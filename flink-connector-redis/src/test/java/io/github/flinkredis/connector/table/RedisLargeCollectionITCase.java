package io.github.flinkredis.connector.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.RedisITCaseBase;
import io.lettuce.core.ScoredValue;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A set and a sorted set of 1,000,000 members of 100 bytes each (about 100 MB of members per key)
 * are read through SQL by a job in a JVM with a 256 MB heap: members are read in pages, so memory
 * stays bounded however large the key. The child JVM exits on OutOfMemoryError.
 */
class RedisLargeCollectionITCase extends RedisITCaseBase {

    private static final int MEMBERS = 1_000_000;
    private static final int PER_COMMAND = 1_000;

    /** Member i: its number in 7 digits, padded to 100 bytes. */
    private static String member(int i) {
        return String.format("%07d", i) + "x".repeat(93);
    }

    @Test
    void aMillionMemberSetIsReadWithin256MbOfHeap(@TempDir Path dir) throws Exception {
        client.load(
                MEMBERS / PER_COMMAND,
                (c, n) -> {
                    String[] members = new String[PER_COMMAND];
                    for (int j = 0; j < PER_COMMAND; j++) {
                        members[j] = member(n * PER_COMMAND + j);
                    }
                    return c.sadd("big:set", members);
                });

        assertThat(runWithSmallHeap(dir, "set", "big:set")).isEqualTo(expected());
    }

    @Test
    void aMillionMemberSortedSetIsReadWithin256MbOfHeap(@TempDir Path dir) throws Exception {
        client.load(
                MEMBERS / PER_COMMAND,
                (c, n) -> {
                    List<ScoredValue<String>> members = new ArrayList<>(PER_COMMAND);
                    for (int j = 0; j < PER_COMMAND; j++) {
                        int i = n * PER_COMMAND + j;
                        members.add(ScoredValue.just(i, member(i)));
                    }
                    @SuppressWarnings("unchecked")
                    ScoredValue<String>[] array = members.toArray(new ScoredValue[0]);
                    return c.zadd("big:zset", array);
                });

        assertThat(runWithSmallHeap(dir, "zset", "big:zset")).isEqualTo(expected());
    }

    private static String expected() {
        return "RESULT " + MEMBERS + " " + ((long) MEMBERS * (MEMBERS - 1) / 2);
    }

    /** Runs {@link LargeCollectionScan} in a JVM with -Xmx256m; returns its RESULT line. */
    private String runWithSmallHeap(Path dir, String type, String key) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        File log = dir.resolve("child.log").toFile();
        Process child =
                new ProcessBuilder(
                                java,
                                "-Xmx256m",
                                "-XX:+ExitOnOutOfMemoryError",
                                "-cp",
                                System.getProperty("java.class.path"),
                                LargeCollectionScan.class.getName(),
                                redisUrl(),
                                type,
                                key)
                        .redirectErrorStream(true)
                        .redirectOutput(log)
                        .start();
        boolean done = child.waitFor(5, TimeUnit.MINUTES);
        if (!done) {
            child.destroyForcibly();
        }
        String output = Files.readString(log.toPath(), StandardCharsets.UTF_8);
        assertThat(done).as("the child JVM finished; its output:%n%s", output).isTrue();
        assertThat(child.exitValue()).as("exit code; output:%n%s", output).isZero();
        return output.lines()
                .filter(l -> l.startsWith("RESULT "))
                .findFirst()
                .orElse("no RESULT line in:\n" + output);
    }
}
