package dev.toolguard.agent.runtime;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/** Call ids for the audit log: a random prefix per process and a counter, unique across restarts and replicas. */
final class CallIds {

    private final String prefix;
    private final AtomicLong next = new AtomicLong();

    CallIds() {
        byte[] b = new byte[6];
        new SecureRandom().nextBytes(b);
        prefix = HexFormat.of().formatHex(b) + "-";
    }

    String next() {
        return prefix + Long.toHexString(next.incrementAndGet());
    }
}
