package dev.toolguard.instrumentation.rule;

import dev.toolguard.instrumentation.ToolMethod;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A {@code rules.yaml} entry that picks classes somehow and, in them, methods by name or glob: what
 * {@code class:} and {@code implements:} entries share. The tool is named by the rule, else by the method.
 */
abstract class MethodsByNameRule implements ToolRule {

    private final Pattern methods;
    private final String methodGlob;
    private final String origin;
    private final String entry;
    private final String name;
    private final List<String> parameters;
    private final ElementMatcher<TypeDescription> types;

    /**
     * @param name   the tool name, or null for the method name
     * @param origin where the entry stands in its rules file, or null
     */
    MethodsByNameRule(String methodGlob, String name, List<String> parameters, ElementMatcher<TypeDescription> types,
                      String origin, String entry) {
        this.entry = entry;
        this.methods = Globs.methodName(methodGlob);
        this.methodGlob = methodGlob;
        this.origin = origin;
        this.name = name;
        this.parameters = List.copyOf(parameters);
        this.types = types;
    }

    @Override
    public final String ruleSet() {
        return "rules";
    }

    @Override
    public final String origin() {
        return origin;
    }

    @Override
    public final String entry() {
        return entry;
    }

    @Override
    public final String methodGlob() {
        return methodGlob;
    }

    @Override
    public final ElementMatcher<TypeDescription> types() {
        return types;
    }

    /** Whether the entry's method name or glob matches a method of this name. */
    public final boolean namesMethod(String methodName) {
        return methods.matcher(methodName).matches();
    }

    @Override
    public final ToolMethod toolFor(TypeDescription type, MethodDescription method, ParameterNaming naming) {
        if (!ToolMethods.guardable(method) || !namesMethod(method.getName())) {
            return null;
        }
        return ToolMethods.of(name != null ? name : method.getName(), type, method, parameters, ruleSet(), naming, null);
    }
}
