package dev.toolguard.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The CPU time a whole guarded call ({@code G1}: advice, deciding, both audit records) costs, on the calling threads and
 * in the whole process (which includes, in the mapped layout, the thread that makes the log's pages ahead of its
 * records), with the agent attached as the user attaches it. CPU time rather than JMH's wall time, because on a shared
 * machine wall time measures the load (docs/performance.md); the process's CPU per call also bounds how well calls can
 * scale: with {@code c} on the calling thread and {@code p} in the process, two threads on two free cores do at most
 * {@code 2c/p} times one thread's calls.
 *
 * <pre>java -javaagent:agent/javaagent/target/toolguard-agent.jar=config=benchmarks/config/audit-mapped.yaml \
 *   -cp benchmarks/target/benchmarks.jar dev.toolguard.bench.GuardedCallCpu [threads]</pre>
 */
public final class GuardedCallCpu {

    private static final int CALLS_PER_ROUND = 50_000;
    private static final int WARM_ROUNDS = 10;
    private static final int ROUNDS = 30;

    private GuardedCallCpu() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<Double> calling = new ArrayList<>();
        List<Double> process = new ArrayList<>();
        List<Double> wall = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                long process0 = os.getProcessCpuTime();
                long wall0 = System.nanoTime();
                List<Future<Long>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    done.add(pool.submit(() -> {
                        Contexts.actAsSupportL1();
                        SupportTools tools = new SupportTools();
                        long cpu0 = mx.getCurrentThreadCpuTime();
                        int sink = 0;
                        for (int i = 0; i < CALLS_PER_ROUND; i++) {
                            sink += tools.issueRefund("c-1", 150.0, "damaged in transit").length();
                        }
                        return mx.getCurrentThreadCpuTime() - cpu0 + (sink == 42 ? 1 : 0);
                    }));
                }
                long cpu = 0;
                for (Future<Long> f : done) {
                    cpu += f.get();
                }
                long processCpu = os.getProcessCpuTime() - process0;
                long elapsed = System.nanoTime() - wall0;
                if (round >= WARM_ROUNDS) {
                    calling.add(cpu / (double) (threads * CALLS_PER_ROUND));
                    process.add(processCpu / (double) (threads * CALLS_PER_ROUND));
                    wall.add(elapsed / (double) CALLS_PER_ROUND);
                }
            }
        } finally {
            pool.shutdown();
        }
        System.out.printf("threads %d, per call, median of %d rounds: calling thread CPU %.0f ns, whole process CPU %.0f ns,"
                + " wall %.0f ns per call per thread%n", threads, ROUNDS - WARM_ROUNDS, AuditAppendCpu.median(calling),
                AuditAppendCpu.median(process), AuditAppendCpu.median(wall));
        printThreadsCpu();
    }

    /** On Linux, the CPU each thread of the process used over the whole run (JIT, GC and the agent's threads too). */
    private static void printThreadsCpu() throws java.io.IOException {
        java.nio.file.Path tasks = java.nio.file.Path.of("/proc/self/task");
        if (!java.nio.file.Files.isDirectory(tasks)) {
            return;
        }
        long tick = 10_000_000L; // USER_HZ is 100 on Linux: a tick is 10 ms
        List<String> lines = new ArrayList<>();
        try (var dirs = java.nio.file.Files.list(tasks)) {
            for (java.nio.file.Path task : (Iterable<java.nio.file.Path>) dirs::iterator) {
                String stat = java.nio.file.Files.readString(task.resolve("stat"));
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ms = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * tick / 1_000_000;
                long sys = Long.parseLong(f[12]) * tick / 1_000_000;
                if (ms >= 50) {
                    lines.add(String.format("%8d ms (%d ms in the kernel)  %s", ms, sys, name));
                }
            }
        }
        lines.sort(Collections.reverseOrder());
        System.out.println("threads' CPU over the whole run (warm-up included):");
        lines.forEach(l -> System.out.println("  " + l));
    }

}
