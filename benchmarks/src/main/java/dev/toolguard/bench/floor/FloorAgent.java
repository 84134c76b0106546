package dev.toolguard.bench.floor;

import java.lang.instrument.Instrumentation;
import java.util.Locale;

/**
 * A stand-in agent that does the least an agent must do to put a check in front of every annotated tool method, and
 * nothing else: no config, no policy, no audit, no framework hooks, no sensors. {@code StartupProbe --floor} starts the
 * sample applications with it beside ToolGuard, so that the start-up keys can be read against what the weaving alone
 * costs on the same machine in the same run (docs/performance.md, "The floor under the start").
 *
 * <pre>-javaagent:benchmarks/target/floor-agent.jar=KIND[:ANNOTATION]</pre>
 *
 * <p>{@code KIND} is how the check is woven ({@link Weaving}); {@code ANNOTATION} is the tool annotation's class name
 * (default {@code dev.toolguard.api.GuardedTool}). Each kind puts the same check at each annotated method's entry: it
 * throws when the system property {@value #DENY_PROPERTY} names the method, so that a test can tell woven from not.
 */
public final class FloorAgent {

    /** The system property whose value, a method name, makes the woven check throw. */
    public static final String DENY_PROPERTY = "toolguard.floor.deny";

    static final String DEFAULT_ANNOTATION = "dev.toolguard.api.GuardedTool";

    private FloorAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        String spec = args == null || args.isBlank() ? "asm" : args.trim();
        int colon = spec.indexOf(':');
        Weaving weaving = Weaving.named(colon < 0 ? spec : spec.substring(0, colon));
        String annotation = colon < 0 ? DEFAULT_ANNOTATION : spec.substring(colon + 1);
        inst.addTransformer(weaving.transformer(annotation));
    }

    /** The three ways of weaving the check, from the least library to the most. */
    public enum Weaving {
        /** ASM alone: the check's seven instructions written into the method by hand. */
        ASM,
        /** ByteBuddy's {@code Advice}, applied by redefining each candidate class, without {@code AgentBuilder}. */
        ADVICE,
        /** ByteBuddy's {@code AgentBuilder} with the same {@code Advice}, as DESIGN.md prescribes for ToolGuard. */
        AGENT_BUILDER;

        static Weaving named(String name) {
            for (Weaving w : values()) {
                if (w.wireName().equals(name)) {
                    return w;
                }
            }
            throw new IllegalArgumentException("floor agent: unknown kind '" + name + "' (asm, advice, agent-builder)");
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /**
         * The transformer of this kind. Every kind first looks for the annotation's descriptor in the class file's
         * bytes, as ToolGuard's first test does, so that only candidate classes are parsed.
         */
        public java.lang.instrument.ClassFileTransformer transformer(String annotation) {
            return new Needle(annotation).before(switch (this) {
                case ASM -> new AsmWeaving(annotation);
                case ADVICE -> new AdviceWeaving(annotation);
                case AGENT_BUILDER -> AgentBuilderWeaving.of(annotation);
            });
        }
    }
}
