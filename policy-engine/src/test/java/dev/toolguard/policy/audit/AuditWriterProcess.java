package dev.toolguard.policy.audit;

import java.util.Map;

/** Run in a separate JVM by {@link AuditCrashTest}: appends records forever, acknowledging each on stdout. */
public final class AuditWriterProcess {

    private AuditWriterProcess() {
    }

    /**
     * {@code <file> [threads] [records] [layout]}: each thread appends outcomes {@code call-<thread>-<n>} (one thread:
     * {@code call-<n>}), forever, or {@code records} of them before the process exits without closing the log.
     */
    public static void main(String[] args) throws Exception {
        AuditLayout layout = args.length > 3 ? AuditLayout.fromConfig(args[3]) : AuditLayout.APPEND;
        AuditLog log = AuditLog.open(AuditConfig.toFile(args[0]).withLayout(layout), Map.of("process", "writer"));
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        long records = args.length > 2 ? Long.parseLong(args[2]) : Long.MAX_VALUE;
        if (threads == 1 && records == Long.MAX_VALUE) {
            append(log, "call-", records);
        }
        Thread[] writers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            String prefix = "call-" + t + "-";
            writers[t] = new Thread(() -> append(log, prefix, records));
            writers[t].start();
        }
        for (Thread w : writers) {
            w.join();
        }
        System.exit(0);
    }

    private static void append(AuditLog log, String prefix, long records) {
        try {
            for (long i = 0; i < records; i++) {
                log.outcome(prefix + i, null, i);
                synchronized (System.out) {
                    System.out.println(prefix + i);
                    System.out.flush();
                }
            }
        } catch (AuditWriteException e) {
            throw new IllegalStateException(e);
        }
    }
}
