package dev.toolguard.agent.egress;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * What the agent remembers about an object of the application's until that object is collected: the SQL text a
 * prepared statement was made with (it is executed without it, perhaps inside another guarded call), the guarded call
 * an HTTP client's redirect handling works for (its hops come later, perhaps on the client's own threads). Striped, so
 * that threads noting at once seldom wait on each other; weak, so that an object is never kept alive.
 *
 * @param <V> what is noted; it must not refer back to its object, or the object would never be collected
 */
final class WeakNotes<V> {

    private static final int STRIPES = 16;

    @SuppressWarnings("unchecked")
    private final Map<Object, V>[] stripes = new Map[STRIPES];

    WeakNotes() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new WeakHashMap<>();
        }
    }

    void put(Object object, V note) {
        Map<Object, V> m = stripe(object);
        synchronized (m) {
            m.put(object, note);
        }
    }

    /** What was noted of {@code object}, or null when the agent did not see it made. */
    V get(Object object) {
        Map<Object, V> m = stripe(object);
        synchronized (m) {
            return m.get(object);
        }
    }

    private Map<Object, V> stripe(Object object) {
        // identity: a driver's statement may define equals (none should, but a wrong one must not mix two texts)
        return stripes[(System.identityHashCode(object) & 0x7fffffff) % STRIPES];
    }
}
