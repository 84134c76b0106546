package dev.toolguard.instrumentation.rule;

import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.annotation.AnnotationValue;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterDescription;
import net.bytebuddy.description.method.ParameterList;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Argument names of a tool method (SPEC §7), in order: the rule's {@code parameters}, a framework's parameter
 * annotation ({@code @P}, {@code @ToolParam}, ...) when it carries a name, the compiled names ({@code -parameters}),
 * else {@code arg0, arg1, ...}.
 *
 * <p>Parameters that are framework plumbing rather than arguments of the model (a Spring AI {@code ToolContext},
 * a LangChain4j memory id) get no name: they are left out of {@code args}. Which annotations name parameters and
 * which types are plumbing is declared by each framework's module in the agent, not here.
 */
public final class ParameterNaming {

    /** Compiled names only: no framework conventions. */
    public static final ParameterNaming COMPILED_NAMES = new ParameterNaming(Set.of(), Set.of(), Set.of());

    private final Set<String> namingAnnotations;
    private final Set<String> plumbingTypes;
    private final Set<String> plumbingAnnotations;

    /**
     * @param namingAnnotations   annotations whose {@code name} attribute names a parameter
     * @param plumbingTypes       parameter types a framework fills in itself; the model never supplies them
     * @param plumbingAnnotations parameter annotations marking such plumbing
     */
    public ParameterNaming(Collection<String> namingAnnotations, Collection<String> plumbingTypes,
                           Collection<String> plumbingAnnotations) {
        this.namingAnnotations = Set.copyOf(namingAnnotations);
        this.plumbingTypes = Set.copyOf(plumbingTypes);
        this.plumbingAnnotations = Set.copyOf(plumbingAnnotations);
    }

    /**
     * @param given the rule's {@code parameters}, or an empty list
     * @return one entry per parameter; null for a plumbing parameter
     */
    public List<String> of(MethodDescription method, List<String> given) {
        return of(method, given, null);
    }

    /**
     * As {@link #of(MethodDescription, List)}, for a method that is a tool because the method it implements or
     * overrides ({@code declaredIn}) carries the tool annotation: that method's parameter annotations count too.
     */
    public List<String> of(MethodDescription method, List<String> given, MethodDescription declaredIn) {
        ParameterList<?> params = method.getParameters();
        ParameterList<?> declared = declaredIn == null ? null : declaredIn.getParameters();
        List<String> names = new ArrayList<>(params.size());
        for (ParameterDescription p : params) {
            int i = p.getIndex();
            ParameterDescription alsoP = declared != null && i < declared.size() ? declared.get(i) : null;
            if (isPlumbing(p) || (alsoP != null && isPlumbing(alsoP))) {
                names.add(null);
            } else if (i < given.size()) {
                names.add(given.get(i));
            } else {
                String annotated = annotatedName(p);
                if (annotated == null && alsoP != null) {
                    annotated = annotatedName(alsoP);
                }
                names.add(annotated != null ? annotated : p.isNamed() ? p.getName()
                        : alsoP != null && alsoP.isNamed() ? alsoP.getName() : "arg" + i);
            }
        }
        return Collections.unmodifiableList(names);
    }

    private boolean isPlumbing(ParameterDescription p) {
        if (plumbingTypes.contains(p.getType().asErasure().getName())) {
            return true;
        }
        for (AnnotationDescription a : p.getDeclaredAnnotations()) {
            if (plumbingAnnotations.contains(a.getAnnotationType().getName())) {
                return true;
            }
        }
        return false;
    }

    private String annotatedName(ParameterDescription p) {
        for (AnnotationDescription a : p.getDeclaredAnnotations()) {
            if (namingAnnotations.contains(a.getAnnotationType().getName())) {
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
