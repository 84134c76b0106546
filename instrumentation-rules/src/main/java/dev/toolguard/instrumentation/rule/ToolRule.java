package dev.toolguard.instrumentation.rule;

import dev.toolguard.instrumentation.ToolMethod;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * One way a method becomes a tool: a built-in annotation, or an entry of {@code rules.yaml} (SPEC §7).
 * Matching runs when a class is loaded, on descriptions read from the class file, never on loaded classes.
 */
public interface ToolRule {

    /** The rule set this rule belongs to: {@code guarded-tool}, {@code langchain4j}, ..., or {@code rules}. */
    String ruleSet();

    /** A cheap test of a type that may declare tools of this rule; the rest is done by {@link #toolFor}. */
    ElementMatcher<TypeDescription> types();

    /**
     * The tool that {@code method} of {@code type} is, or null when this rule does not make it one.
     *
     * @param naming how the framework conventions in force name its parameters
     */
    ToolMethod toolFor(TypeDescription type, MethodDescription method, ParameterNaming naming);

    /**
     * Where a {@code rules.yaml} entry stands ({@code rules.yaml:3:5}), for saying that it matched nothing; null for
     * the frameworks' own rules, whose matching nothing is no mistake.
     */
    default String origin() {
        return null;
    }

    /** What the entry names, as written ({@code class com.acme.CrmClient}); null for a framework's rule. */
    default String entry() {
        return null;
    }

    /** The entry's method name or glob as written, for the nearest names of a mistyped one; null for none. */
    default String methodGlob() {
        return null;
    }
}
