package dev.toolguard.bench;

import dev.toolguard.policy.audit.AuditConfig;
import dev.toolguard.policy.audit.AuditLayout;
import dev.toolguard.policy.audit.AuditLog;
import dev.toolguard.policy.audit.StartRecord;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The CPU time the audit log's append path costs per pair of records (one decision-sized, one outcome), on the appending
 * threads and in the whole process (which includes, in the mapped layout, the thread that maps the log ahead of its
 * records), in either layout. CPU time rather than JMH's wall time, because on a shared machine wall time measures the
 * load: see docs/performance.md.
 *
 * <pre>java -cp benchmarks.jar dev.toolguard.bench.AuditAppendCpu [threads] [append|mapped]</pre>
 */
public final class AuditAppendCpu {

    private static final int PAIRS_PER_ROUND = 50_000;
    private static final int WARM_ROUNDS = 5;
    private static final int ROUNDS = 25;

    private AuditAppendCpu() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        AuditLayout layout = args.length > 1 ? AuditLayout.fromConfig(args[1]) : AuditLayout.APPEND;
        Path dir = Files.createTempDirectory("toolguard-append-cpu");
        Path file = dir.resolve("audit.jsonl");
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        // a start record padded to about the size of the G1 call's decision record (AuditFloorBenchmark.DECISION_BYTES)
        StartRecord decisionSized = new StartRecord(Map.of("pad", "x".repeat(AuditFloorBenchmark.DECISION_BYTES - 160)),
                null);
        List<Double> appending = new ArrayList<>();
        List<Double> process = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (AuditLog log = AuditLog.open(AuditConfig.toFile(file.toString()).withLayout(layout), Map.of())) {
            for (int round = 0; round < ROUNDS; round++) {
                long process0 = os.getProcessCpuTime();
                List<Future<Long>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    done.add(pool.submit(() -> {
                        long cpu0 = mx.getCurrentThreadCpuTime();
                        for (int i = 0; i < PAIRS_PER_ROUND; i++) {
                            log.append(decisionSized);
                            log.outcome("call-" + (i & 1023), null, 1);
                        }
                        return mx.getCurrentThreadCpuTime() - cpu0;
                    }));
                }
                long cpu = 0;
                for (Future<Long> f : done) {
                    cpu += f.get();
                }
                long processCpu = os.getProcessCpuTime() - process0;
                if (round >= WARM_ROUNDS) {
                    appending.add(cpu / (double) (threads * PAIRS_PER_ROUND));
                    process.add(processCpu / (double) (threads * PAIRS_PER_ROUND));
                }
            }
        } finally {
            pool.shutdown();
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
        System.out.printf("layout %s, threads %d, CPU ns per pair of records, median of %d rounds: appending threads"
                + " %.0f, whole process %.0f%n", layout.wireName(), threads, ROUNDS - WARM_ROUNDS, median(appending),
                median(process));
    }

    static double median(List<Double> values) {
        Collections.sort(values);
        return values.get(values.size() / 2);
    }
}
