package dev.toolguard.instrumentation.rule;

import dev.toolguard.instrumentation.ToolMethod;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Methods carrying an annotation, known by its name only so that the framework need not be on any class path
 * of ours: the frameworks' tool annotations, and {@code annotation:} entries of {@code rules.yaml}. The tool name is
 * the annotation's {@code nameAttribute} when set and not blank, else the method name (or the rule's name).
 *
 * <p>The annotation also counts where it sits on a method that {@code method} implements or overrides (SPEC §13.3):
 * see {@link #toolForInherited}.
 */
public final class AnnotatedToolRule implements ToolRule {

    private final String ruleSet;
    private final String annotation;
    private final String nameAttribute;
    private final String fixedName;
    private final Pattern methods;
    private final List<String> parameters;
    private final ElementMatcher<TypeDescription> types;

    /**
     * @param nameAttribute the attribute holding the tool name, or null
     * @param fixedName     the rule's {@code name}, used when the attribute gives none; null for the method name
     * @param methodGlob    further limits the methods, or null for all annotated methods
     */
    public AnnotatedToolRule(String ruleSet, String annotation, String nameAttribute, String fixedName,
                             String methodGlob, List<String> parameters) {
        this.ruleSet = ruleSet;
        this.annotation = annotation;
        this.nameAttribute = nameAttribute;
        this.fixedName = fixedName;
        this.methods = methodGlob == null ? null : Globs.methodName(methodGlob);
        this.parameters = List.copyOf(parameters);
        this.types = ElementMatchers.declaresMethod(ElementMatchers.isAnnotatedWith(ElementMatchers.named(annotation)));
    }

    /** The annotation rule of a framework's tool annotation: the tool is named by its {@code name} attribute. */
    public static AnnotatedToolRule of(String ruleSet, String annotation) {
        return new AnnotatedToolRule(ruleSet, annotation, "name", null, null, List.of());
    }

    public String annotation() {
        return annotation;
    }

    @Override
    public String ruleSet() {
        return ruleSet;
    }

    @Override
    public ElementMatcher<TypeDescription> types() {
        return types;
    }

    @Override
    public ToolMethod toolFor(TypeDescription type, MethodDescription method, ParameterNaming naming) {
        return toolForInherited(type, method, method, naming);
    }

    /**
     * The tool {@code method} of {@code type} is when {@code annotated} (the method itself, or one of a super type
     * that it implements or overrides) carries this rule's annotation; null otherwise.
     */
    public ToolMethod toolForInherited(TypeDescription type, MethodDescription method, MethodDescription annotated,
                                       ParameterNaming naming) {
        if (!ToolMethods.guardable(method) || (methods != null && !methods.matcher(method.getName()).matches())) {
            return null;
        }
        AnnotationDescription found = annotationOn(annotated);
        if (found == null) {
            return null;
        }
        String name = nameAttribute == null ? null : ParameterNaming.stringAttribute(found, nameAttribute);
        if (name == null || name.isBlank()) {
            name = fixedName != null ? fixedName : method.getName();
        }
        return ToolMethods.of(name, type, method, parameters, ruleSet, naming, annotated == method ? null : annotated);
    }

    /** This rule's annotation on {@code m}, or null. */
    AnnotationDescription annotationOn(MethodDescription m) {
        for (AnnotationDescription a : m.getDeclaredAnnotations()) {
            if (a.getAnnotationType().getName().equals(annotation)) {
                return a;
            }
        }
        return null;
    }
}
