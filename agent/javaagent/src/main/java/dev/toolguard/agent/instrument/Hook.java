package dev.toolguard.agent.instrument;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * One type instrumentation of a module: advice, referenced by class name, on the methods of one type that a matcher
 * picks. What the hook is for ({@link Role}) decides what happens when it cannot apply where its framework is:
 * a hook that guards calls makes the framework's calls deny, any other degrades with a warning (SPEC §13.4).
 *
 * @param role          what the hook does
 * @param type          the binary name of the type it instruments
 * @param methods       the methods it instruments
 * @param shape         the methods as a person reads them, for the reports of a check that finds none
 * @param advice        the advice class's binary name; described from its class file, never loaded
 * @param lambdaBodies  true when the methods are compiler-made (a lambda's body), which ByteBuddy's
 *                      {@code Advice.on} would not see
 * @param since         the first framework version that has this hook's target (null: every version supported); in
 *                      an older version the hook is not expected, and its absence is no mismatch
 * @param until         the first version that no longer needs the hook (null: none), likewise
 * @param optionalType  true when the type lives in an optional part of the framework (one chat service among
 *                      several): its absence is no mismatch
 * @param implementations true when the hook applies to every class implementing {@code type} (a JDBC driver's
 *                      statements), whatever it is called, rather than to {@code type} itself; a first test on the
 *                      class file's super types, read per class loader and kept, passes those on to the full match
 *                      (DESIGN: never a subtype check over every loaded class)
 */
public record Hook(Role role, String type, ElementMatcher<MethodDescription> methods, String shape, String advice,
                   boolean lambdaBodies, String since, String until, boolean optionalType, boolean implementations) {

    public Hook(Role role, String type, ElementMatcher<MethodDescription> methods, String shape, String advice,
                boolean lambdaBodies, String since, String until, boolean optionalType) {
        this(role, type, methods, shape, advice, lambdaBodies, since, until, optionalType, false);
    }

    /** What a hook does, which decides what its failing to apply means. */
    public enum Role {
        /** Decides the framework's tool calls: where it cannot apply, they are denied. */
        GUARDS_CALLS,
        /**
         * A module's fuse: advice on a class every tool call of the framework goes through, which stops the call
         * when the module does not fit (a hook that guards calls could not apply). Where it cannot apply itself,
         * the module does not fit either.
         */
        FUSE,
        /** Turns a denial into the framework's tool error: without it the model may not read the denial. */
        REPORTS_DENIALS,
        /** Carries the caller's context to the thread that runs the tool: without it calls lack their caller. */
        CARRIES_CONTEXT,
        /** Leaves hidden tools out of the list sent to the model (only with {@code filter_discovery}). */
        FILTERS_DISCOVERY,
        /**
         * An egress sensor (SPEC §18): sees what a tool's body sends out. Where it cannot apply, what it would have
         * seen goes unchecked, which is said on standard error and in {@code /metrics} as {@code not_applied}.
         */
        SENSES_EGRESS;

        /** Whether the framework's calls go undecided where a hook of this role cannot apply. */
        public boolean stopsCalls() {
            return this == GUARDS_CALLS || this == FUSE || this == SENSES_EGRESS;
        }
    }

    public static Hook of(Role role, String type, ElementMatcher<MethodDescription> methods, String shape, String advice) {
        return new Hook(role, type, methods, shape, advice, false, null, null, false);
    }

    /** The module's fuse on the constructors of {@code type}, a class every tool call of the framework makes. */
    public static Hook fuse(String type) {
        return of(Role.FUSE, type, net.bytebuddy.matcher.ElementMatchers.isConstructor(), "its constructors",
                ModuleFuse.class.getName());
    }

    /** A sensor on the methods of every class implementing {@code type}, however it is named. */
    public static Hook onImplementations(String type, ElementMatcher<MethodDescription> methods, String shape,
                                         String advice) {
        return new Hook(Role.SENSES_EGRESS, type, methods, shape, advice, false, null, null, false, true);
    }

    /** The same hook on compiler-made methods (a lambda's body). */
    public Hook onLambdaBodies() {
        return new Hook(role, type, methods, shape, advice, true, since, until, optionalType);
    }

    /** The same hook, expected only from framework version {@code version} on. */
    public Hook since(String version) {
        return new Hook(role, type, methods, shape, advice, lambdaBodies, version, until, optionalType);
    }

    /** The same hook, expected only before framework version {@code version}. */
    public Hook until(String version) {
        return new Hook(role, type, methods, shape, advice, lambdaBodies, since, version, optionalType);
    }

    /** The same hook, on a type that a supported setup may lack. */
    public Hook onOptionalType() {
        return new Hook(role, type, methods, shape, advice, lambdaBodies, since, until, true);
    }

    /** {@code ExecutorCall on dev.langchain4j.service.tool.ToolService#executeWithErrorHandling(...)}. */
    public String describe() {
        return advice.substring(advice.lastIndexOf('.') + 1) + " on " + type + "#" + shape;
    }

    @Override
    public String toString() {
        return describe();
    }
}
