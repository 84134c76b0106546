package dev.toolguard.instrumentation.rule;

import dev.toolguard.instrumentation.ToolMethod;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterDescription;
import net.bytebuddy.description.type.TypeDescription;

import java.util.List;
import java.util.StringJoiner;

/** Builds {@link ToolMethod}s from class-file descriptions. */
public final class ToolMethods {

    private ToolMethods() {
    }

    /** Whether a method can be guarded at all: it has a body of its own and is not compiler-made. */
    public static boolean guardable(MethodDescription m) {
        return m.isMethod() && !m.isAbstract() && !m.isNative() && !m.isSynthetic() && !m.isBridge();
    }

    /**
     * @param declaredIn the method of a super type whose annotation makes {@code method} a tool, or null when the
     *                   method itself is named by the rule
     */
    public static ToolMethod of(String toolName, TypeDescription type, MethodDescription method,
                                List<String> givenParameters, String ruleSet, ParameterNaming naming,
                                MethodDescription declaredIn) {
        return new ToolMethod(toolName, type.getName(), method.getName(), signature(type, method),
                naming.of(method, givenParameters, declaredIn), ruleSet);
    }

    /** {@code com.acme.RefundTools#issueRefund(String,double,String)}, as the audit log's {@code method}. */
    public static String signature(TypeDescription type, MethodDescription method) {
        StringJoiner params = new StringJoiner(",", "(", ")");
        for (ParameterDescription p : method.getParameters()) {
            params.add(p.getType().asErasure().getSimpleName());
        }
        return type.getName() + "#" + method.getName() + params;
    }
}
