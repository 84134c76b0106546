package dev.toolguard.instrumentation;

import dev.toolguard.instrumentation.rule.ToolRule;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.ArrayList;
import java.util.List;

/**
 * Every rule in force, in order (built-in sets first, then {@code rules.yaml}); the first rule that makes a
 * method a tool names it, so a method is guarded once however many rules match it.
 */
public final class ToolRules {

    private final List<ToolRule> rules;

    public ToolRules(List<ToolRule> rules) {
        this.rules = List.copyOf(rules);
    }

    public List<ToolRule> rules() {
        return rules;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** A type some rule may find tools in. */
    public ElementMatcher<TypeDescription> types() {
        return type -> {
            for (ToolRule r : rules) {
                if (r.types().matches(type)) {
                    return true;
                }
            }
            return false;
        };
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
