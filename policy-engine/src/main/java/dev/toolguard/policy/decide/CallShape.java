package dev.toolguard.policy.decide;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.function.BiConsumer;

/**
 * Checks that a call holds only JSON-like values of sane size before any step reads it, so that hostile
 * input (values nested without end, a map that contains itself, objects of unknown types, NaN) becomes
 * a denial with a reason instead of a stack overflow or a wrong answer. Allocates nothing for a good
 * call: the path to a bad value is built only on the way back out.
 */
final class CallShape implements BiConsumer<Object, Object> {

    static final int MAX_DEPTH = 100;
    /** Above the agent's own argument bounds (arguments.max_items, default 100,000), which deny first, by pointer. */
    static final int MAX_VALUES = 1_000_000;

    /**
     * Each thread's shape, used again call after call: the walk hands the shape to {@code Map.forEach}, so the JIT
     * cannot leave a new one unallocated. A check that starts while this thread's shape is still walking (a map
     * whose {@code forEach} decides a call of its own) gets a new shape instead.
     */
    private static final ThreadLocal<CallShape> OWN = ThreadLocal.withInitial(CallShape::new);

    private int values;
    /** Built only on the way out of a bad value. */
    private Deque<String> badPath;
    private boolean walking;

    private CallShape() {
    }

    /** A shape with nothing counted: this thread's own when it is free, else a new one; give it back with done(). */
    private static CallShape take() {
        CallShape own = OWN.get();
        CallShape shape = own.walking ? new CallShape() : own;
        shape.walking = true;
        shape.values = 0;
        shape.badPath = null;
        shape.problem = null;
        shape.walkDepth = 0;
        return shape;
    }

    private void done() {
        walking = false;
    }

    /** Null when the call can be decided; otherwise why not. */
    static String problem(ToolCall call) {
        if (call == null) {
            return "there is no call";
        }
        if (call.tool() == null || call.tool().isEmpty()) {
            return "the call names no tool";
        }
        CallShape shape = take();
        try {
            String p = shape.check(call.args(), 0);
            if (p != null) {
                return shape.where("args") + p;
            }
            p = shape.check(call.ctx(), 0);
            return p == null ? null : shape.where("ctx") + p;
        } finally {
            shape.done();
        }
    }

    /** Null when the context can be read; otherwise why not. */
    static String contextProblem(Map<String, Object> ctx) {
        CallShape shape = take();
        try {
            String p = shape.check(ctx, 0);
            return p == null ? null : shape.where("ctx") + p;
        } finally {
            shape.done();
        }
    }

    private String where(String root) {
        StringBuilder out = new StringBuilder(root);
        if (badPath != null) {
            badPath.forEach(out::append);
        }
        return out.append(' ').toString();
    }

    /** The problem met while walking a map, which ends the walk; null while there is none. */
    private String problem;
    private int walkDepth;
    /** One entry of the map being walked: the shape is its own visitor, so that a walk allocates no method reference. */
    @Override
    public void accept(Object key, Object value) {
        if (problem != null) {
            return;
        }
        if (!(key instanceof String name)) {
            problem = "has a key that is not a string";
            return;
        }
        String p = check(value, walkDepth + 1);
        if (p != null) {
            under("." + name);
            problem = p;
        }
    }

    private void under(String step) {
        path().addFirst(step);
        if (badPath.size() > 8) {
            badPath.removeLast(); // keep the outermost steps of a very deep path
        }
    }

    private Deque<String> path() {
        if (badPath == null) {
            badPath = new ArrayDeque<>();
        }
        return badPath;
    }

    private String check(Object value, int depth) {
        if (++values > MAX_VALUES) {
            return "holds more than " + MAX_VALUES + " values";
        }
        if (depth > MAX_DEPTH) {
            return "is nested deeper than " + MAX_DEPTH + " levels (or contains itself)";
        }
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long
                || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return null;
        }
        if (value instanceof java.math.BigDecimal || value instanceof java.math.BigInteger) {
            return null; // exact numbers, compared exactly (SPEC §13.9)
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isFinite(d) ? null : "is " + d + ", which is not a number a policy can compare";
        }
        if (value instanceof Map<?, ?> map) {
            // forEach walks an (unmodifiable) map without an iterator or a wrapper per entry
            int savedDepth = walkDepth;
            walkDepth = depth;
            try {
                map.forEach(this);
            } finally {
                walkDepth = savedDepth;
            }
            return problem;
        }
        if (value instanceof List<?> list && list instanceof RandomAccess) {
            for (int i = 0, n = list.size(); i < n; i++) {
                String p = check(list.get(i), depth + 1);
                if (p != null) {
                    under("[" + i + "]");
                    return p;
                }
            }
            return null;
        }
        if (value instanceof List<?> list) {
            int i = 0;
            for (Object item : list) {
                String p = check(item, depth + 1);
                if (p != null) {
                    path().addFirst("[" + i + "]");
                    if (badPath.size() > 8) {
                        badPath.removeLast(); // keep the outermost steps of a very deep path
                    }
                    return p;
                }
                i++;
            }
            return null;
        }
        return "is a " + value.getClass().getName() + ", which is not a JSON-like value";
    }
}
