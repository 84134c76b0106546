package dev.toolguard.instrumentation;

import dev.toolguard.instrumentation.rule.AnnotatedToolRule;
import dev.toolguard.policy.load.Nearest;
import dev.toolguard.instrumentation.rule.ParameterNaming;
import dev.toolguard.instrumentation.rule.ToolMethods;
import dev.toolguard.instrumentation.rule.ToolRule;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every rule in force, in order (the frameworks' annotation rules first, then {@code rules.yaml}); the first rule
 * that makes a method a tool names it, so a method is guarded once however many rules match it.
 *
 * <p>Annotation rules are inherited (SPEC §13.3): a method is a tool also when a method it implements or overrides,
 * in any super class or interface outside the JDK, carries a tool annotation. Super types are read from class files
 * (the agent's type pool), never loaded.
 */
public final class ToolRules {

    private final List<ToolRule> rules;
    private final ParameterNaming naming;
    /** The annotation rules by annotation name, looked up in one pass over a type's methods. */
    private final Map<String, AnnotatedToolRule> annotations;
    private final List<ToolRule> others;
    /** The rules.yaml entries that matched some class, whether or not a method of it. */
    private final Set<ToolRule> matchedAClass = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public ToolRules(List<ToolRule> rules, ParameterNaming naming) {
        this.rules = List.copyOf(rules);
        this.naming = naming;
        Map<String, AnnotatedToolRule> byName = new HashMap<>();
        List<ToolRule> rest = new ArrayList<>();
        for (ToolRule r : this.rules) {
            if (r instanceof AnnotatedToolRule a) {
                byName.putIfAbsent(a.annotation(), a);
            } else {
                rest.add(r);
            }
        }
        this.annotations = Map.copyOf(byName);
        this.others = List.copyOf(rest);
    }

    public List<ToolRule> rules() {
        return rules;
    }

    /** The names of the annotations that make a method a tool, on it or on a method it implements or overrides. */
    public java.util.Set<String> annotationNames() {
        return annotations.keySet();
    }

    /** The tool annotations as a class file's constant pool holds them: {@code Lcom/acme/Tool;}. */
    public java.util.Set<String> annotationDescriptors() {
        java.util.Set<String> descriptors = new java.util.HashSet<>();
        annotations.keySet().forEach(a -> descriptors.add("L" + a.replace('.', '/') + ";"));
        return descriptors;
    }

    /**
     * The JDK's types: no tool annotation lives there, so their methods are never searched for one that a method
     * implements or overrides.
     */
    public static boolean isJdkType(String binaryName) {
        return binaryName.startsWith("java.") || binaryName.startsWith("javax.") || binaryName.startsWith("jdk.");
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /**
     * A type some rule may find tools in. Runs for every class the application loads, so the annotation
     * rules share one pass over the type's methods (and its super types') instead of one pass each.
     */
    public ElementMatcher<TypeDescription> types() {
        return type -> {
            // an interface counts too: its default methods have bodies of their own
            if (!annotations.isEmpty() && (declaresAnnotatedMethod(type) || inheritsAnnotatedMethod(type))) {
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

    private boolean declaresAnnotatedMethod(TypeDefinition type) {
        for (MethodDescription m : type.getDeclaredMethods()) {
            if (annotationRuleOf(m) != null) {
                return true;
            }
        }
        return false;
    }

    private boolean inheritsAnnotatedMethod(TypeDescription type) {
        for (TypeDefinition s : superTypes(type)) {
            if (declaresAnnotatedMethod(s)) {
                return true;
            }
        }
        return false;
    }

    private AnnotatedToolRule annotationRuleOf(MethodDescription m) {
        for (AnnotationDescription a : m.getDeclaredAnnotations()) {
            AnnotatedToolRule r = annotations.get(a.getAnnotationType().getName());
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    /** The tools among the methods a type declares. */
    public List<Match> toolsOf(TypeDescription type) {
        return find(type).tools();
    }

    /**
     * The tools among the methods a type declares, and the {@code rules.yaml} entries that matched the type but
     * none of its methods (a mistyped method name: SPEC §7, unmatched intent is loud).
     */
    public Found find(TypeDescription type) {
        List<ToolRule> candidates = new ArrayList<>();
        for (ToolRule r : rules) {
            if (r.types().matches(type)) {
                candidates.add(r);
                if (r.origin() != null) {
                    matchedAClass.add(r);
                }
            }
        }
        List<TypeDefinition> supers = annotations.isEmpty() ? List.of() : superTypes(type);
        List<Match> out = new ArrayList<>();
        for (MethodDescription.InDefinedShape m : type.getDeclaredMethods()) {
            if (!ToolMethods.guardable(m)) {
                continue;
            }
            ToolMethod tool = null;
            for (ToolRule r : candidates) {
                tool = r.toolFor(type, m, naming);
                if (tool != null) {
                    break;
                }
            }
            if (tool == null && !m.isStatic() && !m.isPrivate()) {
                tool = inherited(type, m, supers);
            }
            if (tool != null) {
                out.add(new Match(m, tool));
            }
        }
        List<Miss> misses = List.of();
        for (ToolRule r : candidates) {
            if (r.origin() != null && r.methodGlob() != null && out.stream().noneMatch(t -> producedBy(r, type, t))) {
                if (misses.isEmpty()) {
                    misses = new ArrayList<>();
                }
                misses.add(new Miss(r, type.getName(), Nearest.names(r.methodGlob(),
                        type.getDeclaredMethods().filter(md -> md.isMethod() && !md.isSynthetic())
                                .stream().map(MethodDescription::getName).distinct().toList())));
            }
        }
        return new Found(out, misses);
    }

    private boolean producedBy(ToolRule r, TypeDescription type, Match m) {
        return r.toolFor(type, m.method(), naming) != null;
    }

    /** The {@code rules.yaml} entries that have matched no class so far. */
    public List<ToolRule> entriesMatchingNoClass() {
        List<ToolRule> out = new ArrayList<>();
        for (ToolRule r : rules) {
            if (r.origin() != null && !matchedAClass.contains(r)) {
                out.add(r);
            }
        }
        return out;
    }

    /** What {@link #find} found in one type. */
    public record Found(List<Match> tools, List<Miss> misses) {
    }

    /**
     * A {@code rules.yaml} entry that matched a class but none of its methods.
     *
     * @param nearest the class's method names closest to the entry's, for "did you mean"
     */
    public record Miss(ToolRule rule, String className, List<String> nearest) {

        /**
         * Whether the entry names this one class ({@code class:} without a glob), so it is mistyped, and the class's
         * public methods are refused for it: the tool it meant is one of them, and which is not known. A glob's or an
         * {@code implements:} entry's classes may rightly lack the method.
         */
        public boolean refusesTheClass() {
            return rule instanceof dev.toolguard.instrumentation.rule.ClassToolRule c && c.namesOneClass();
        }
    }

    /** The tool {@code m} is by an annotation on a method of a super type that it implements or overrides. */
    private ToolMethod inherited(TypeDescription type, MethodDescription.InDefinedShape m, List<TypeDefinition> supers) {
        MethodDescription.SignatureToken own = m.asSignatureToken();
        for (TypeDefinition s : supers) {
            for (MethodDescription sm : s.getDeclaredMethods()) {
                if (sm.isStatic() || sm.isPrivate() || !sm.getName().equals(m.getName())
                        || sm.getParameters().size() != m.getParameters().size()) {
                    continue;
                }
                AnnotatedToolRule r = annotationRuleOf(sm);
                // generic super types are seen with their type arguments, so Tool<String>.run(T) reads run(String)
                if (r != null && (own.equals(sm.asSignatureToken()) || own.equals(sm.asDefined().asSignatureToken()))) {
                    return r.toolForInherited(type, m, sm, naming);
                }
            }
        }
        return null;
    }

    /**
     * The super classes and interfaces of a type, nearest first, outside the JDK (no tool annotation lives there).
     * A super type whose class file cannot be read is left out: it cannot be seen, so nothing can be inherited from it.
     */
    private static List<TypeDefinition> superTypes(TypeDescription type) {
        List<TypeDefinition> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Deque<TypeDefinition> todo = new ArrayDeque<>();
        addSupers(type, todo);
        while (!todo.isEmpty()) {
            TypeDefinition t = todo.removeFirst();
            try {
                String name = t.asErasure().getName();
                if (isJdkType(name) || !seen.add(name)) {
                    continue;
                }
                out.add(t);
                addSupers(t, todo);
            } catch (RuntimeException unreadable) {
                // not on this class loader's path as a class file
            }
        }
        return out;
    }

    private static void addSupers(TypeDefinition t, Deque<TypeDefinition> todo) {
        try {
            TypeDefinition superClass = t.getSuperClass();
            if (superClass != null) {
                todo.addLast(superClass);
            }
        } catch (RuntimeException unreadable) {
            // as above
        }
        try {
            for (TypeDefinition i : t.getInterfaces()) {
                todo.addLast(i);
            }
        } catch (RuntimeException unreadable) {
            // as above
        }
    }

    /** A declared method and the tool it is. */
    public record Match(MethodDescription.InDefinedShape method, ToolMethod tool) {
    }
}
