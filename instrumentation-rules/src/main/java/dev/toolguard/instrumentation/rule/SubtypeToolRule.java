package dev.toolguard.instrumentation.rule;

import dev.toolguard.instrumentation.ToolMethod;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;

import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code implements:} entries of {@code rules.yaml}: the methods that implementations of an interface (or
 * subclasses of a class) declare themselves. Super types are resolved through the agent's type pool, which
 * caches them, and only for classes that already passed the agent's ignore list.
 */
public final class SubtypeToolRule implements ToolRule {

    private final String superType;
    private final Pattern methods;
    private final String name;
    private final List<String> parameters;
    private final ElementMatcher<TypeDescription> types;

    public SubtypeToolRule(String superType, String methodGlob, String name, List<String> parameters) {
        this.superType = superType;
        this.methods = Globs.methodName(methodGlob);
        this.name = name;
        this.parameters = List.copyOf(parameters);
        this.types = ElementMatchers.<TypeDescription>not(ElementMatchers.isInterface())
                .and(ElementMatchers.not(ElementMatchers.named(superType)))
                .and(ElementMatchers.hasSuperType(ElementMatchers.named(superType)));
    }

    @Override
    public String ruleSet() {
        return "rules";
    }

    @Override
    public ElementMatcher<TypeDescription> types() {
        return types;
    }

    @Override
    public ToolMethod toolFor(TypeDescription type, MethodDescription method) {
        if (!ToolMethods.guardable(method) || !methods.matcher(method.getName()).matches()) {
            return null;
        }
        return ToolMethods.of(name != null ? name : method.getName(), type, method, parameters, ruleSet());
    }

    public String superType() {
        return superType;
    }
}
