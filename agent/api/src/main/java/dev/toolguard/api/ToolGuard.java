package dev.toolguard.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The context an application gives ToolGuard for the calls its current thread makes (SPEC §6, source
 * {@code api}). Paths are dotted: {@code user.id}, {@code user.roles}, {@code tenant}, {@code session.id}.
 *
 * <pre>{@code
 * ToolGuard.context().put("user.id", "u1").put("user.roles", List.of("support_l1")).put("tenant", "acme");
 * // ... the agent's tool calls on this thread now see ctx.user.id == "u1"
 * ToolGuard.clear();
 *
 * String answer = ToolGuard.runAs(Map.of("user.id", "u2", "session.id", "s-42"), () -> agent.chat(question));
 * }</pre>
 */
public final class ToolGuard {

    private static final ThreadLocal<Context> CURRENT = new ThreadLocal<>();

    private ToolGuard() {
    }

    /** The calling thread's context, created empty on first use. */
    public static Context context() {
        Context c = CURRENT.get();
        if (c == null) {
            c = new Context();
            CURRENT.set(c);
        }
        return c;
    }

    /** Forgets the calling thread's context. */
    public static void clear() {
        CURRENT.remove();
    }

    /**
     * Runs {@code work} with the given dotted-path values added to the calling thread's context, then puts
     * the previous context back, also when {@code work} throws.
     */
    public static <T> T runAs(Map<String, ?> values, Callable<T> work) throws Exception {
        Context previous = CURRENT.get();
        Context next = previous == null ? new Context() : previous.copy();
        values.forEach(next::put);
        CURRENT.set(next);
        try {
            return work.call();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** Same as {@link #runAs(Map, Callable)} for work that returns nothing and throws nothing checked. */
    public static void runAs(Map<String, ?> values, Runnable work) {
        try {
            runAs(values, () -> {
                work.run();
                return null;
            });
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The calling thread's context as a nested, unmodifiable tree ({@code {"user": {"id": "u1"}}}), or an empty
     * map. Read by the agent for each guarded call.
     */
    public static Map<String, Object> snapshot() {
        Context c = CURRENT.get();
        return c == null ? Map.of() : c.tree();
    }

    /** A thread's context: dotted paths to values (strings, numbers, booleans, lists of them). */
    public static final class Context {
        private final Map<String, Object> values = new LinkedHashMap<>();

        Context() {
        }

        /** Sets a dotted path; a null value removes it. */
        public Context put(String path, Object value) {
            if (path == null || path.isEmpty()) {
                throw new IllegalArgumentException("context path must not be empty");
            }
            if (value == null) {
                values.remove(path);
            } else {
                values.put(path, value instanceof List<?> l ? List.copyOf(l) : value);
            }
            return this;
        }

        public Context remove(String path) {
            values.remove(path);
            return this;
        }

        Context copy() {
            Context c = new Context();
            c.values.putAll(values);
            return c;
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> tree() {
            Map<String, Object> root = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : values.entrySet()) {
                String[] parts = e.getKey().split("\\.");
                Map<String, Object> node = root;
                for (int i = 0; i < parts.length - 1; i++) {
                    Object child = node.get(parts[i]);
                    if (!(child instanceof Map)) {
                        child = new LinkedHashMap<String, Object>();
                        node.put(parts[i], child);
                    }
                    node = (Map<String, Object>) child;
                }
                node.put(parts[parts.length - 1], e.getValue());
            }
            return Collections.unmodifiableMap(root);
        }
    }
}
