package dev.toolguard.policy.audit;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Call ids for the audit log, the one generator of them: a random prefix per process and a counter, unique across
 * restarts and replicas. Each thread takes numbers in blocks, so that concurrent calls do not contend on one counter.
 */
public final class CallIds {

    private static final int BLOCK = 256;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final byte[] prefix;
    private final AtomicLong sequence = new AtomicLong();
    private final ThreadLocal<Block> blocks = ThreadLocal.withInitial(this::newBlock);

    /** A thread's numbers [next, end), and its id text: the prefix once, then the digits of each id written over. */
    private static final class Block {
        long next;
        long end;
        final byte[] text;

        Block(byte[] prefix) {
            text = new byte[prefix.length + 16];
            System.arraycopy(prefix, 0, text, 0, prefix.length);
        }
    }

    public CallIds() {
        byte[] random = new byte[6];
        new SecureRandom().nextBytes(random);
        prefix = (HexFormat.of().formatHex(random) + "-").getBytes(StandardCharsets.US_ASCII);
    }

    private Block newBlock() {
        return new Block(prefix);
    }

    /** A new id; pass it to both the decision and the outcome record of a call. */
    public String next() {
        Block block = blocks.get();
        if (block.next == block.end) {
            block.end = sequence.addAndGet(BLOCK) + 1;
            block.next = block.end - BLOCK;
        }
        long n = block.next++;
        // the counter's hex digits written after the prefix, so that an id is one string, not three (prefix + digits)
        int digits = Math.max(1, (67 - Long.numberOfLeadingZeros(n)) / 4);
        byte[] text = block.text;
        int end = prefix.length + digits;
        for (int i = end - 1; i >= prefix.length; i--) {
            text[i] = HEX[(int) (n & 0xF)];
            n >>>= 4;
        }
        return new String(text, 0, end, StandardCharsets.ISO_8859_1);
    }
}
