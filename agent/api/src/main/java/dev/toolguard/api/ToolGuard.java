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
        /** The tree of {@link #values}, built on the first guarded call after a change, then reused. */
        private Map<String, Object> tree;

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
            tree = null;
            return this;
        }

        public Context remove(String path) {
            values.remove(path);
            tree = null;
            return this;
        }

        Context copy() {
            Context c = new Context();
            c.values.putAll(values);
            return c;
        }

        /** The nested tree, unmodifiable at every level, so that it can be handed out again until a change. */
        Map<String, Object> tree() {
            Map<String, Object> t = tree;
            if (t == null) {
                t = freeze(build());
                tree = t;
            }
            return t;
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object> freeze(Map<String, Object> node) {
            for (Map.Entry<String, Object> e : node.entrySet()) {
                if (e.getValue() instanceof LinkedHashMap<?, ?> child) {
                    e.setValue(freeze((Map<String, Object>) child));
                }
            }
            return Collections.unmodifiableMap(node);
        }

        @SuppressWarnings("unchecked")
        private Map<String, Object> build() {
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
                Object value = e.getValue();
                // a map value is copied, so that freezing the tree never touches the application's own map
                node.put(parts[parts.length - 1], value instanceof Map<?, ?> m ? copyOf(m) : value);
            }
            return root;
        }

        private static Map<String, Object> copyOf(Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put(String.valueOf(k), v instanceof Map<?, ?> inner ? copyOf(inner) : v));
            return copy;
        }
    }
}
