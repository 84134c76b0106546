package dev.toolguard.policy.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The values of one recorded call that the log does not hold as they were (redacted, cut), and which of them the
 * decision read. A read counts wherever it happens, except inside the two walks that do not decide anything: the
 * engine's check of the call's shape (types and sizes, which a hidden leaf passes as the original did, or the
 * record would say {@code invalid call}) and its search for secrets to hide in messages. Those two are known by
 * class name; if they are ever renamed, their reads count too, which makes replay say "undecidable" more often,
 * never less: the mistake can only be on the safe side.
 */
final class HiddenReads {

    /** Why a recorded value is not the original: {@code redacted} or {@code truncated}. */
    record Hidden(String pointer, String why) {
        /** {@code redacted: /args/password}. */
        String describe() {
            return why + ": " + pointer;
        }
    }

    private static final Set<String> WALKS_THAT_DO_NOT_DECIDE = Set.of(
            "dev.toolguard.policy.decide.CallShape",
            "dev.toolguard.policy.values.Redaction",
            "dev.toolguard.policy.values.CallSecrets");

    private static final StackWalker STACK = StackWalker.getInstance();

    private final List<Hidden> read = new ArrayList<>(2);

    void read(Hidden hidden) {
        if (hidden == null || read.contains(hidden) || insideAWalkThatDoesNotDecide()) {
            return;
        }
        read.add(hidden);
    }

    /** The hidden values the decision read, in the order it read them. */
    List<Hidden> read() {
        return List.copyOf(read);
    }

    void clear() {
        read.clear();
    }

    private static boolean insideAWalkThatDoesNotDecide() {
        return STACK.walk(frames -> frames.anyMatch(f -> WALKS_THAT_DO_NOT_DECIDE.contains(f.getClassName())));
    }
}
