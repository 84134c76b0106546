package dev.toolguard.instrumentation.rule;

import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.annotation.AnnotationValue;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterDescription;
import net.bytebuddy.description.method.ParameterList;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Argument names of a tool method (SPEC §7), in order: the rule's {@code parameters}, the framework's
 * parameter annotation ({@code @P}, {@code @ToolParam}, {@code @KernelFunctionParameter}) when it carries a
 * name, the compiled names ({@code -parameters}), else {@code arg0, arg1, ...}.
 *
 * <p>Parameters that are framework plumbing rather than arguments of the model (a Spring AI
 * {@code ToolContext}, a LangChain4j memory id) get no name: they are left out of {@code args}.
 */
public final class ParameterNaming {

    /** Annotations whose {@code name} attribute names a parameter. */
    private static final Set<String> NAMING_ANNOTATIONS = Set.of(
            "dev.langchain4j.agent.tool.P",
            "org.springframework.ai.tool.annotation.ToolParam",
            "org.springframework.ai.mcp.annotation.McpToolParam",
            "com.microsoft.semantickernel.semanticfunctions.annotations.KernelFunctionParameter");

    /** Parameter types the frameworks fill in themselves; the model never supplies them. */
    private static final Set<String> PLUMBING_TYPES = Set.of(
            "org.springframework.ai.chat.model.ToolContext",
            "dev.langchain4j.invocation.InvocationParameters",
            "dev.langchain4j.invocation.InvocationContext",
            "io.modelcontextprotocol.server.McpSyncServerExchange",
            "io.modelcontextprotocol.server.McpAsyncServerExchange",
            "org.springaicommunity.mcp.context.McpSyncRequestContext",
            "org.springaicommunity.mcp.context.McpAsyncRequestContext");

    /** Parameter annotations marking plumbing. */
    private static final Set<String> PLUMBING_ANNOTATIONS = Set.of("dev.langchain4j.agent.tool.ToolMemoryId",
            "dev.langchain4j.service.MemoryId");

    private ParameterNaming() {
    }

    /**
     * @param given the rule's {@code parameters}, or an empty list
     * @return one entry per parameter; null for a plumbing parameter
     */
    public static List<String> of(MethodDescription method, List<String> given) {
        ParameterList<?> params = method.getParameters();
        List<String> names = new ArrayList<>(params.size());
        for (ParameterDescription p : params) {
            int i = p.getIndex();
            if (isPlumbing(p)) {
                names.add(null);
            } else if (i < given.size()) {
                names.add(given.get(i));
            } else {
                String annotated = annotatedName(p);
                names.add(annotated != null ? annotated : p.isNamed() ? p.getName() : "arg" + i);
            }
        }
        return Collections.unmodifiableList(names);
    }

    private static boolean isPlumbing(ParameterDescription p) {
        if (PLUMBING_TYPES.contains(p.getType().asErasure().getName())) {
            return true;
        }
        for (AnnotationDescription a : p.getDeclaredAnnotations()) {
            if (PLUMBING_ANNOTATIONS.contains(a.getAnnotationType().getName())) {
                return true;
            }
        }
        return false;
    }

    private static String annotatedName(ParameterDescription p) {
        for (AnnotationDescription a : p.getDeclaredAnnotations()) {
            if (NAMING_ANNOTATIONS.contains(a.getAnnotationType().getName())) {
                String name = stringAttribute(a, "name");
                if (name != null && !name.isBlank()) {
                    return name;
                }
            }
        }
        return null;
    }

    /** An annotation's String attribute, or null when it has none of that name. */
    static String stringAttribute(AnnotationDescription a, String attribute) {
        if (a.getAnnotationType().getDeclaredMethods().filter(m -> m.getName().equals(attribute)).isEmpty()) {
            return null;
        }
        try {
            AnnotationValue<?, ?> v = a.getValue(attribute);
            Object resolved = v.resolve();
            if (resolved instanceof String s) {
                return s;
            }
            if (resolved instanceof String[] arr && arr.length > 0) {
                return arr[0];
            }
            return null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
