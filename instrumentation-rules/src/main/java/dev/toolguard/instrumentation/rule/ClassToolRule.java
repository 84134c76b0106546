package dev.toolguard.instrumentation.rule;

import dev.toolguard.instrumentation.ToolMethod;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;

import java.util.List;
import java.util.regex.Pattern;

/** {@code class:} entries of {@code rules.yaml}: methods of classes named by a name or glob. */
public final class ClassToolRule implements ToolRule {

    private final Pattern classes;
    private final Pattern methods;
    private final String name;
    private final List<String> parameters;
    private final ElementMatcher<TypeDescription> types;

    /** @param name the tool name, or null for the method name */
    public ClassToolRule(String classGlob, String methodGlob, String name, List<String> parameters) {
        this.classes = Globs.className(classGlob);
        this.methods = Globs.methodName(methodGlob);
        this.name = name;
        this.parameters = List.copyOf(parameters);
        // the literal prefix is a cheap string test that rules out nearly every class before the pattern runs
        ElementMatcher.Junction<TypeDescription> byName = Globs.exact(classGlob)
                ? ElementMatchers.named(classGlob)
                : ElementMatchers.<TypeDescription>nameStartsWith(Globs.literalPrefix(classGlob))
                        .and(t -> classes.matcher(t.getName()).matches());
        this.types = byName.and(ElementMatchers.not(ElementMatchers.isInterface()));
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
        if (!ToolMethods.guardable(method) || !classes.matcher(type.getName()).matches()
                || !methods.matcher(method.getName()).matches()) {
            return null;
        }
        return ToolMethods.of(name != null ? name : method.getName(), type, method, parameters, ruleSet());
    }
}
