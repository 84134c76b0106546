package dev.toolguard.policy.decide;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Checks that a call holds only JSON-like values of sane size before any step reads it, so that hostile
 * input (values nested without end, a map that contains itself, objects of unknown types, NaN) becomes
 * a denial with a reason instead of a stack overflow or a wrong answer. Allocates nothing for a good
 * call: the path to a bad value is built only on the way back out.
 */
final class CallShape {

    static final int MAX_DEPTH = 100;
    static final int MAX_VALUES = 100_000;

    private int values;
    private final Deque<String> badPath = new ArrayDeque<>(0);

    private CallShape() {
    }

    /** Null when the call can be decided; otherwise why not. */
    static String problem(ToolCall call) {
        if (call == null) {
            return "there is no call";
        }
        if (call.tool() == null || call.tool().isEmpty()) {
            return "the call names no tool";
        }
        CallShape shape = new CallShape();
        String p = shape.check(call.args(), 0);
        if (p != null) {
            return shape.where("args") + p;
        }
        p = shape.check(call.ctx(), 0);
        return p == null ? null : shape.where("ctx") + p;
    }

    /** Null when the context can be read; otherwise why not. */
    static String contextProblem(Map<String, Object> ctx) {
        CallShape shape = new CallShape();
        String p = shape.check(ctx, 0);
        return p == null ? null : shape.where("ctx") + p;
    }

    private String where(String root) {
        StringBuilder out = new StringBuilder(root);
        badPath.forEach(out::append);
        return out.append(' ').toString();
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
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isFinite(d) ? null : "is " + d + ", which is not a number a policy can compare";
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    return "has a key that is not a string";
                }
                String p = check(e.getValue(), depth + 1);
                if (p != null) {
                    badPath.addFirst("." + key);
                    if (badPath.size() > 8) {
                        badPath.removeLast(); // keep the outermost steps of a very deep path
                    }
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
                    badPath.addFirst("[" + i + "]");
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
