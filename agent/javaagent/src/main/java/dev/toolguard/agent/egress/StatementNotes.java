package dev.toolguard.agent.egress;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * The SQL text each prepared statement was made with, until the statement is collected: a prepared statement is
 * executed without its text, perhaps inside a guarded call other than the code that prepared it. Striped, so that
 * threads preparing statements at once seldom wait on each other; weak, so that a statement is never kept alive.
 */
final class StatementNotes {

    private static final int STRIPES = 16;

    @SuppressWarnings("unchecked")
    private final Map<Object, String>[] stripes = new Map[STRIPES];

    StatementNotes() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new WeakHashMap<>();
        }
    }

    void put(Object statement, String sql) {
        Map<Object, String> m = stripe(statement);
        synchronized (m) {
            m.put(statement, sql);
        }
    }

    /** The text {@code statement} was prepared with, or null when the agent did not see it prepared. */
    String get(Object statement) {
        Map<Object, String> m = stripe(statement);
        synchronized (m) {
            return m.get(statement);
        }
    }

    private Map<Object, String> stripe(Object statement) {
        // identity: a driver's statement may define equals (none should, but a wrong one must not mix two texts)
        return stripes[(System.identityHashCode(statement) & 0x7fffffff) % STRIPES];
    }
}
