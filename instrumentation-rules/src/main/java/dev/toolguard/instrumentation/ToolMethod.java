package dev.toolguard.instrumentation;

import java.util.List;

/**
 * A method that is a tool: what the agent knows about it before any call, computed once when its class
 * is instrumented and referred to by a small integer id from the inlined advice.
 *
 * @param toolName       the name policies use (SPEC §7: annotation name attribute, rule's name, else method name)
 * @param className      the declaring class, binary name
 * @param methodName     the Java method name
 * @param signature      for audit records: {@code com.acme.RefundTools#issueRefund(String,double,String)}
 * @param parameterNames argument names in parameter order (rule's parameters, framework annotation,
 *                       compiled names, else arg0, arg1, ...)
 * @param ruleSet        which rule set matched: guarded-tool, langchain4j, spring-ai, mcp, semantic-kernel, rules
 */
public record ToolMethod(
        String toolName,
        String className,
        String methodName,
        String signature,
        List<String> parameterNames,
        String ruleSet) {
}
