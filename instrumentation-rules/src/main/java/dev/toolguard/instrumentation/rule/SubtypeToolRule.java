package dev.toolguard.instrumentation.rule;

import net.bytebuddy.matcher.ElementMatchers;

import java.util.List;

/**
 * {@code implements:} entries of {@code rules.yaml}: the methods that implementations of an interface (or
 * subclasses of a class) declare themselves. Super types are resolved through the agent's type pool, which
 * caches them, and only for classes that already passed the agent's ignore list.
 */
public final class SubtypeToolRule extends MethodsByNameRule {

    private final String superType;

    public SubtypeToolRule(String superType, String methodGlob, String name, List<String> parameters) {
        this(superType, methodGlob, name, parameters, null);
    }

    /** @param origin where the entry stands in its rules file ({@code rules.yaml:3:5}) */
    public SubtypeToolRule(String superType, String methodGlob, String name, List<String> parameters, String origin) {
        super(methodGlob, name, parameters, ElementMatchers.<net.bytebuddy.description.type.TypeDescription>not(
                        ElementMatchers.isInterface())
                .and(ElementMatchers.not(ElementMatchers.named(superType)))
                .and(ElementMatchers.hasSuperType(ElementMatchers.named(superType))), origin, "implements " + superType);
        this.superType = superType;
    }

    /** The interface or class whose implementations' methods the entry names. */
    public String superType() {
        return superType;
    }
}
