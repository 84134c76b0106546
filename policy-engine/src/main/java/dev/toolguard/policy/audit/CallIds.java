package dev.toolguard.policy.audit;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Call ids for the audit log, the one generator of them: a random prefix per process and a counter, unique across
 * restarts and replicas. Each thread takes numbers in blocks, so that concurrent calls do not contend on one counter.
 */
public final class CallIds {

    private static final int BLOCK = 256;

    private final String prefix;
    private final AtomicLong sequence = new AtomicLong();
    private final ThreadLocal<long[]> blocks = ThreadLocal.withInitial(() -> new long[2]);

    public CallIds() {
        byte[] random = new byte[6];
        new SecureRandom().nextBytes(random);
        prefix = HexFormat.of().formatHex(random) + "-";
    }

    /** A new id; pass it to both the decision and the outcome record of a call. */
    public String next() {
        long[] block = blocks.get();
        if (block[0] == block[1]) {
            block[1] = sequence.addAndGet(BLOCK) + 1;
            block[0] = block[1] - BLOCK;
        }
        return prefix + Long.toHexString(block[0]++);
    }
}
