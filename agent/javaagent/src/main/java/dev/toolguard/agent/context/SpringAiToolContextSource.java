package dev.toolguard.agent.context;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Source {@code spring-ai-tool-context}: the entries of the Spring AI {@code ToolContext} passed to the tool (an
 * argument of a {@code @Tool} method, or what a function tool was called with). With no mapping every entry is
 * written at its key read as a dotted path ({@code session.id} becomes {@code ctx.session.id}); a mapping
 * {@code {ctx.path: key}} writes only the keys it names.
 *
 * <p>Only plain values are context: strings, numbers, booleans, enums (as names), and lists and maps of them.
 * Anything else, such as the conversation history Spring AI 1.x adds under {@code TOOL_CALL_HISTORY}, is absent.
 */
public final class SpringAiToolContextSource implements ContextSource {

    public static final String NAME = "spring-ai-tool-context";

    private static final String TOOL_CONTEXT = "org.springframework.ai.chat.model.ToolContext";
    /** Spring AI's own entry holding the messages before the tool call: framework plumbing, not context. */
    private static final String TOOL_CALL_HISTORY = "TOOL_CALL_HISTORY";
    private static final int MAX_DEPTH = 16;

    private static final ClassValue<Optional<MethodHandle>> GET_CONTEXT = new ClassValue<>() {
        @Override
        protected Optional<MethodHandle> computeValue(Class<?> type) {
            if (!type.getName().equals(TOOL_CONTEXT)) {
                return Optional.empty();
            }
            try {
                return Optional.of(MethodHandles.publicLookup()
                        .findVirtual(type, "getContext", MethodType.methodType(Map.class))
                        .asType(MethodType.methodType(Map.class, Object.class)));
            } catch (ReflectiveOperationException | RuntimeException e) {
                return Optional.empty();
            }
        }
    };

    private final Map<String, String> pathToKey;

    SpringAiToolContextSource(Map<String, String> pathToKey) {
        this.pathToKey = Map.copyOf(pathToKey);
    }

    @Override
    public void contribute(CallSite call, ContextTree ctx) {
        for (Object arg : call.args()) {
            Map<?, ?> entries = arg == null ? null : entriesOf(arg);
            if (entries == null) {
                continue;
            }
            if (pathToKey.isEmpty()) {
                entries.forEach((key, value) -> {
                    if (key instanceof String path && !TOOL_CALL_HISTORY.equals(path) && ContextPaths.valid(path)) {
                        ctx.put(path, plain(value, 0));
                    }
                });
            } else {
                pathToKey.forEach((path, key) -> ctx.put(path, plain(entries.get(key), 0)));
            }
        }
    }

    private static Map<?, ?> entriesOf(Object arg) {
        Optional<MethodHandle> getContext = GET_CONTEXT.get(arg.getClass());
        if (getContext.isEmpty()) {
            return null;
        }
        try {
            return (Map<?, ?>) getContext.get().invokeExact(arg);
        } catch (Throwable t) {
            return null;
        }
    }

    /** The value as a JSON-like value, or null when it is not plain (then it is absent). */
    private static Object plain(Object v, int depth) {
        if (v == null || depth > MAX_DEPTH) {
            return null;
        }
        if (v instanceof String || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float || v instanceof Double || v instanceof java.math.BigDecimal) {
            return ((Number) v).doubleValue();
        }
        if (v instanceof java.math.BigInteger b) {
            return b.bitLength() < 64 ? (Object) b.longValue() : null;
        }
        if (v instanceof CharSequence || v instanceof Character || v instanceof java.util.UUID) {
            return v.toString();
        }
        if (v instanceof Enum<?> e) {
            return e.name();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                Object x = plain(e.getValue(), depth + 1);
                if (!(e.getKey() instanceof String k) || (x == null && e.getValue() != null)) {
                    return null;
                }
                out.put(k, x);
            }
            return out;
        }
        if (v instanceof Collection<?> c) {
            return plainList(c.toArray(), depth);
        }
        if (v.getClass().isArray() && !v.getClass().getComponentType().isPrimitive()) {
            return plainList((Object[]) v, depth);
        }
        if (v.getClass().isArray()) {
            Object[] boxed = new Object[Array.getLength(v)];
            for (int i = 0; i < boxed.length; i++) {
                boxed[i] = Array.get(v, i);
            }
            return plainList(boxed, depth);
        }
        return null;
    }

    /** A list whose elements are all plain, else null: half a list would mislead a policy. */
    private static List<Object> plainList(Object[] elements, int depth) {
        List<Object> out = new ArrayList<>(elements.length);
        for (Object element : elements) {
            Object x = plain(element, depth + 1);
            if (x == null) {
                return null;
            }
            out.add(x);
        }
        return out;
    }

    public static final class Factory implements ContextSourceFactory {

        public Factory() {
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public ContextSource create(Map<String, String> mapping, Consumer<String> problem) {
            boolean ok = true;
            for (Map.Entry<String, String> e : mapping.entrySet()) {
                if (!ContextPaths.valid(e.getKey())) {
                    problem.accept("'" + e.getKey() + "' is not a context path");
                    ok = false;
                }
                if (e.getValue() == null || e.getValue().isEmpty()) {
                    problem.accept("the tool context key for " + e.getKey() + " is empty");
                    ok = false;
                }
            }
            return ok ? new SpringAiToolContextSource(mapping) : null;
        }
    }
}
