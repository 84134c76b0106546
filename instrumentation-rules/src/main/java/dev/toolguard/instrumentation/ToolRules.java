package dev.toolguard.instrumentation;

import dev.toolguard.instrumentation.rule.ToolRule;
import dev.toolguard.instrumentation.rule.AnnotatedToolRule;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every rule in force, in order (built-in sets first, then {@code rules.yaml}); the first rule that makes a
 * method a tool names it, so a method is guarded once however many rules match it.
 */
public final class ToolRules {

    private final List<ToolRule> rules;
    /** The annotations of every annotation rule, looked up in one pass over a type's methods. */
    private final Set<String> annotations;
    private final List<ToolRule> others;

    public ToolRules(List<ToolRule> rules) {
        this.rules = List.copyOf(rules);
        Set<String> names = new HashSet<>();
        List<ToolRule> rest = new ArrayList<>();
        for (ToolRule r : this.rules) {
            if (r instanceof AnnotatedToolRule a) {
                names.add(a.annotation());
            } else {
                rest.add(r);
            }
        }
        this.annotations = Set.copyOf(names);
        this.others = List.copyOf(rest);
    }

    public List<ToolRule> rules() {
        return rules;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /**
     * A type some rule may find tools in. Runs for every class the application loads, so the annotation
     * rules share one pass over the type's methods instead of one pass each.
     */
    public ElementMatcher<TypeDescription> types() {
        return type -> {
            if (!annotations.isEmpty() && declaresAnnotatedMethod(type)) {
                return true;
            }
            for (ToolRule r : others) {
                if (r.types().matches(type)) {
                    return true;
                }
            }
            return false;
        };
    }

    private boolean declaresAnnotatedMethod(TypeDescription type) {
        for (MethodDescription.InDefinedShape m : type.getDeclaredMethods()) {
            for (AnnotationDescription a : m.getDeclaredAnnotations()) {
                if (annotations.contains(a.getAnnotationType().getName())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The tools among the methods a type declares. */
    public List<Match> toolsOf(TypeDescription type) {
        List<ToolRule> candidates = new ArrayList<>();
        for (ToolRule r : rules) {
            if (r.types().matches(type)) {
                candidates.add(r);
            }
        }
        List<Match> out = new ArrayList<>();
        if (candidates.isEmpty()) {
            return out;
        }
        for (MethodDescription.InDefinedShape m : type.getDeclaredMethods()) {
            for (ToolRule r : candidates) {
                ToolMethod tool = r.toolFor(type, m);
                if (tool != null) {
                    out.add(new Match(m, tool));
                    break;
                }
            }
        }
        return out;
    }

    /** A declared method and the tool it is. */
    public record Match(MethodDescription.InDefinedShape method, ToolMethod tool) {
    }
}
