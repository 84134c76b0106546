package dev.toolguard.policy.audit;

import java.util.Map;

/** Run in a separate JVM by {@link AuditCrashTest}: appends records forever, acknowledging each on stdout. */
public final class AuditWriterProcess {

    private AuditWriterProcess() {
    }

    public static void main(String[] args) throws Exception {
        AuditLog log = AuditLog.open(AuditConfig.toFile(args[0]), Map.of("process", "writer"));
        for (long i = 0; ; i++) {
            log.outcome("call-" + i, null, i);
            System.out.println(i);
            System.out.flush();
        }
    }
}
