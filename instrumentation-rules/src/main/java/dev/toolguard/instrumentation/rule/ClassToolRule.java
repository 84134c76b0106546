package dev.toolguard.instrumentation.rule;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;

import java.util.List;
import java.util.regex.Pattern;

/** {@code class:} entries of {@code rules.yaml}: methods of classes named by a name or glob. */
public final class ClassToolRule extends MethodsByNameRule {

    private final java.util.function.Predicate<String> names;
    private final boolean oneClass;

    /** @param name the tool name, or null for the method name */
    public ClassToolRule(String classGlob, String methodGlob, String name, List<String> parameters) {
        this(classGlob, methodGlob, name, parameters, null);
    }

    /** @param origin where the entry stands in its rules file ({@code rules.yaml:3:5}) */
    public ClassToolRule(String classGlob, String methodGlob, String name, List<String> parameters, String origin) {
        super(methodGlob, name, parameters, classes(classGlob), origin, "class " + classGlob);
        Pattern classes = Globs.className(classGlob);
        this.names = Globs.exact(classGlob) ? classGlob::equals : n -> classes.matcher(n).matches();
        this.oneClass = Globs.exact(classGlob);
    }

    /**
     * Whether the entry names one class, not a glob: when that class has no method the entry matches, the entry is
     * mistyped (a glob's classes may rightly lack the method).
     */
    public boolean namesOneClass() {
        return oneClass;
    }

    /** Whether the entry names a class of this binary name (interfaces aside): the prefilter's test, by name alone. */
    public boolean namesClass(String binaryName) {
        return names.test(binaryName);
    }

    private static ElementMatcher<TypeDescription> classes(String classGlob) {
        Pattern classes = Globs.className(classGlob);
        // the literal prefix is a cheap string test that rules out nearly every class before the pattern runs
        ElementMatcher.Junction<TypeDescription> byName = Globs.exact(classGlob)
                ? ElementMatchers.named(classGlob)
                : ElementMatchers.<TypeDescription>nameStartsWith(Globs.literalPrefix(classGlob))
                        .and(t -> classes.matcher(t.getName()).matches());
        return byName.and(ElementMatchers.not(ElementMatchers.isInterface()));
    }
}
