package dev.toolguard.it.adversarial.apps;

import dev.toolguard.api.GuardedTool;
import dev.toolguard.api.ToolCallDeniedException;

import java.util.Arrays;

/**
 * Attack: call a guarded tool with almost no stack left, hoping the guard itself overflows and, failing, lets
 * the body run. Run with a small stack ({@code -Xss512k}): {@code probe} recurses until
 * {@code StackOverflowError}, then, on the way back up, calls the tool once at each of the deepest
 * {@code window} depths, so every depth near exhaustion is tried; this repeats for whole rounds until
 * {@code rounds} or {@code seconds} is reached (the JIT changes frame sizes between rounds, so the depths tried
 * shift). Arguments: the tool ({@code wipe} or {@code ping}), {@code warm} (one ordinary call first, as in a
 * running app) or {@code cold} (the guard's first call ever happens at exhaustion), window, rounds, seconds.
 *
 * <p>A body cannot print near exhaustion without overflowing itself, so it counts; the app prints the counts
 * at the end ({@code calls: N}, {@code body runs: N}, ...) and the first depths at which the body ran.
 */
public final class StackDepthApp {

    static final String POLICY_DENIAL = "tools.wipe.rules[0]";

    static boolean wipe;
    static int window;
    static long calls;
    static long returned;
    static long deniedByPolicy;
    static long deniedOnError;
    static long deniedOther;
    static long overflowed;
    static long otherThrown;
    static Throwable firstOther;
    static long bodyRuns;
    static final int[] firstBodyDepths = new int[10];
    static int deepest;

    @GuardedTool(name = "wipe")
    static String wipe(int depth) {
        ranAt(depth);
        return "wiped";
    }

    @GuardedTool(name = "ping")
    static String ping(int depth) {
        ranAt(depth);
        return "pong";
    }

    private static void ranAt(int depth) {
        if (bodyRuns < firstBodyDepths.length) {
            firstBodyDepths[(int) bodyRuns] = depth;
        }
        bodyRuns++;
    }

    /** Everything is inline: a helper's frame could overflow where the call itself would not. */
    static void probe(int depth) {
        try {
            probe(depth + 1);
        } catch (StackOverflowError bottom) {
            if (depth > deepest) {
                deepest = depth;
            }
        }
        if (window > 0) {
            window--;
            calls++;
            try {
                String ignored = wipe ? wipe(depth) : ping(depth);
                returned++;
            } catch (ToolCallDeniedException e) {
                if (POLICY_DENIAL.equals(e.rule())) {
                    deniedByPolicy++;
                } else if ("on_error".equals(e.rule())) {
                    deniedOnError++;
                } else {
                    deniedOther++;
                }
            } catch (StackOverflowError e) {
                overflowed++;
            } catch (Throwable t) {
                otherThrown++;
                if (firstOther == null) {
                    firstOther = t;
                }
            }
        }
    }

    public static void main(String[] args) {
        wipe = args[0].equals("wipe");
        boolean warm = args[1].equals("warm");
        int windowSize = Integer.parseInt(args[2]);
        int maxRounds = Integer.parseInt(args[3]);
        long deadline = System.nanoTime() + Long.parseLong(args[4]) * 1_000_000_000L;
        if (warm) {
            System.out.println("warm-up: " + Report.outcome(() -> wipe ? wipe(-1) : ping(-1)));
        }
        int rounds = 0;
        while (rounds < maxRounds && System.nanoTime() < deadline) {
            window = windowSize;
            probe(0);
            rounds++;
        }
        System.out.println("rounds: " + rounds);
        System.out.println("deepest: " + deepest);
        System.out.println("calls: " + calls);
        System.out.println("returned: " + returned);
        System.out.println("denied by policy: " + deniedByPolicy);
        System.out.println("denied on_error: " + deniedOnError);
        System.out.println("denied otherwise: " + deniedOther);
        System.out.println("stack overflow: " + overflowed);
        System.out.println("other throwable: " + otherThrown + (firstOther == null ? "" : " first " + firstOther));
        System.out.println("body runs: " + bodyRuns);
        System.out.println("first depths where the body ran: "
                + Arrays.toString(Arrays.copyOf(firstBodyDepths, (int) Math.min(bodyRuns, firstBodyDepths.length))));
        System.out.println("done");
    }
}
