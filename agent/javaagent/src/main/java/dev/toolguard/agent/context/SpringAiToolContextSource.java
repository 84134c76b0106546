package dev.toolguard.agent.context;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Source {@code spring-ai-tool-context}: the entries of the Spring AI {@code ToolContext} passed to the tool (an
 * argument of a {@code @Tool} method, or what a function tool was called with). With no mapping every entry is
 * written at its key read as a dotted path ({@code session.id} becomes {@code ctx.session.id}); a mapping
 * {@code {ctx.path: key}} writes only the keys it names.
 *
 * <p>Values are converted by the values toolkit ({@link ContextTree#putConverted}): strings, numbers, booleans,
 * enums (as names), records and beans (as maps of their properties), lists and maps of them. A value that cannot
 * be converted denies the call, naming its path. The conversation history Spring AI 1.x adds under
 * {@code TOOL_CALL_HISTORY} is framework plumbing, never read.
 */
public final class SpringAiToolContextSource implements ContextSource {

    public static final String NAME = "spring-ai-tool-context";

    private static final String TOOL_CONTEXT = "org.springframework.ai.chat.model.ToolContext";
    /** Spring AI's own entry holding the messages before the tool call: framework plumbing, not context. */
    private static final String TOOL_CALL_HISTORY = "TOOL_CALL_HISTORY";

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
                        ctx.putConverted(path, value);
                    }
                });
            } else {
                pathToKey.forEach((path, key) -> ctx.putConverted(path, entries.get(key)));
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
