package io.github.flinkredis.benchmarks;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A coarse sampling profiler from periodic thread dumps of this JVM: where the threads of interest
 * (Flink's source fetcher and task threads, Lettuce's I/O threads) spend their time.
 *
 * <p>Each sample classifies a thread as <em>busy</em> (running Java code) or <em>waiting</em>
 * (parked, in {@code Object.wait}, blocked, or in an epoll wait) and counts, per thread group, the
 * innermost frame and the innermost frame outside the JDK. Thread dumps are taken at safepoints, so
 * the frames are biased towards safepoint polls; the busy/waiting split is the robust part.
 */
public final class StackSampler implements AutoCloseable {

    private static final int MAX_DEPTH = 64;
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final Set<String> IDLE_LEAVES =
            Set.of(
                    "jdk.internal.misc.Unsafe.park",
                    "java.lang.Object.wait",
                    "java.lang.Thread.sleep",
                    "sun.nio.ch.EPoll.wait",
                    "io.netty.channel.epoll.Native.epollWait",
                    "io.netty.channel.epoll.Native.epollWait0",
                    "io.netty.channel.epoll.Native.epollBusyWait0");

    private final Pattern threadNames;
    private final long intervalMillis;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<String, Group> groups = new TreeMap<>();
    private final Thread sampler;
    private volatile boolean running = true;
    private volatile boolean active;

    /**
     * A sampler of the threads whose name matches {@code threadNames}, every {@code intervalMillis}
     * while it is {@link #resume() resumed}; it starts paused.
     */
    public StackSampler(Pattern threadNames, long intervalMillis) {
        this.threadNames = threadNames;
        this.intervalMillis = intervalMillis;
        this.sampler = new Thread(this::loop, "stack-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void loop() {
        while (running) {
            if (active) {
                sample();
            }
            try {
                Thread.sleep(intervalMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample() {
        ThreadInfo[] infos = threads.dumpAllThreads(false, false, MAX_DEPTH);
        synchronized (groups) {
            for (ThreadInfo info : infos) {
                if (info == null || !threadNames.matcher(info.getThreadName()).find()) {
                    continue;
                }
                StackTraceElement[] stack = info.getStackTrace();
                if (stack.length == 0) {
                    continue;
                }
                String group = DIGITS.matcher(info.getThreadName()).replaceAll("N");
                groups.computeIfAbsent(group, g -> new Group()).add(info, stack);
            }
        }
    }

    /** Starts or continues sampling. */
    public void resume() {
        active = true;
    }

    /** Stops sampling until {@link #resume()}; a sample being taken is still counted. */
    public void pause() {
        active = false;
    }

    /** Stops sampling for good. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        sampler.interrupt();
        sampler.join();
    }

    /** Prints, per thread group, the busy share and the {@code top} most frequent frames. */
    public void print(PrintStream out, int top) {
        synchronized (groups) {
            for (Map.Entry<String, Group> e : groups.entrySet()) {
                Group g = e.getValue();
                out.printf(
                        Locale.ROOT,
                        "  thread %s: %d samples, busy %.0f%%, waiting %.0f%%%n",
                        e.getKey(),
                        g.samples,
                        100.0 * g.busy / g.samples,
                        100.0 * (g.samples - g.busy) / g.samples);
                printTop(out, "busy, innermost frame", g.busyLeaf, g.samples, top);
                printTop(out, "busy, innermost non-JDK frame", g.busyOwn, g.samples, top);
                printTop(out, "waiting in", g.waitingOwn, g.samples, top);
            }
        }
    }

    private static void printTop(
            PrintStream out, String title, Map<String, Integer> counts, int samples, int top) {
        if (counts.isEmpty()) {
            return;
        }
        out.println("    " + title + ":");
        List<Map.Entry<String, Integer>> sorted =
                counts.entrySet().stream()
                        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                        .limit(top)
                        .toList();
        for (Map.Entry<String, Integer> c : sorted) {
            out.printf(
                    Locale.ROOT, "      %5.1f%%  %s%n", 100.0 * c.getValue() / samples, c.getKey());
        }
    }

    private static String frame(StackTraceElement e) {
        return e.getClassName() + "." + e.getMethodName();
    }

    private static boolean isJdk(StackTraceElement e) {
        String c = e.getClassName();
        return c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.");
    }

    /** Counts of one thread group. */
    private static final class Group {
        int samples;
        int busy;
        final Map<String, Integer> busyLeaf = new HashMap<>();
        final Map<String, Integer> busyOwn = new HashMap<>();
        final Map<String, Integer> waitingOwn = new HashMap<>();

        void add(ThreadInfo info, StackTraceElement[] stack) {
            samples++;
            String leaf = frame(stack[0]);
            String own = leaf;
            for (StackTraceElement e : stack) {
                if (!isJdk(e)) {
                    own = frame(e);
                    break;
                }
            }
            boolean waiting =
                    info.getThreadState() != Thread.State.RUNNABLE || IDLE_LEAVES.contains(leaf);
            if (waiting) {
                waitingOwn.merge(own, 1, Integer::sum);
            } else {
                busy++;
                busyLeaf.merge(leaf, 1, Integer::sum);
                busyOwn.merge(own, 1, Integer::sum);
            }
        }
    }
}
