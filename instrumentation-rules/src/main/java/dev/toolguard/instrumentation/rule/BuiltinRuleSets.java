package dev.toolguard.instrumentation.rule;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The built-in rule sets of SPEC §7 that are plain annotations. The {@code mcp} set has no annotation (its
 * tools are handlers), and frameworks also need hooks beyond their annotations; the agent adds those.
 */
public final class BuiltinRuleSets {

    /** Rule set name to its annotation rules. */
    private static final Map<String, List<ToolRule>> ANNOTATIONS = Map.of(
            "guarded-tool", List.of(annotated("guarded-tool", "dev.toolguard.api.GuardedTool")),
            "langchain4j", List.of(annotated("langchain4j", "dev.langchain4j.agent.tool.Tool")),
            "spring-ai", List.of(annotated("spring-ai", "org.springframework.ai.tool.annotation.Tool"),
                    annotated("spring-ai", "org.springframework.ai.mcp.annotation.McpTool"),
                    annotated("spring-ai", "org.springaicommunity.mcp.annotation.McpTool")),
            "mcp", List.of(),
            "semantic-kernel", List.of(annotated("semantic-kernel",
                    "com.microsoft.semantickernel.semanticfunctions.annotations.DefineKernelFunction")));

    public static final List<String> NAMES = List.of("guarded-tool", "langchain4j", "spring-ai", "mcp", "semantic-kernel");

    private BuiltinRuleSets() {
    }

    /** The annotation rules of the named sets; unknown names are the config reader's to report. */
    public static List<ToolRule> rules(List<String> enabled) {
        List<ToolRule> out = new ArrayList<>();
        for (String name : enabled) {
            out.addAll(ANNOTATIONS.getOrDefault(name, List.of()));
        }
        return out;
    }

    private static ToolRule annotated(String ruleSet, String annotation) {
        return new AnnotatedToolRule(ruleSet, annotation, "name", null, null, List.of());
    }
}
