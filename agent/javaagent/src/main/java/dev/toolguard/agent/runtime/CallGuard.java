package dev.toolguard.agent.runtime;

import dev.toolguard.agent.context.CallSite;
import dev.toolguard.instrumentation.ToolMethod;

/**
 * What the dispatcher asks for each guarded call: the whole decide-and-audit path behind one interface,
 * so the bytecode side and the policy side meet in exactly one place.
 *
 * <p>Implementations never throw: an internal error is decided by {@code on_error} and audited.
 */
public interface CallGuard {

    /**
     * Decides a call before the body runs: assembles the context, asks the engine (and an approver when the
     * policy says so), writes and flushes the decision record.
     *
     * @param site the tool, receiver and raw arguments, for context sources
     * @param args the arguments as the policy will see them, or why they cannot be read
     */
    Verdict before(ToolMethod method, CallSite site, ArgumentReader.Result args);

    /** Writes the outcome record once the body returned ({@code thrown == null}) or threw. */
    void after(Verdict verdict, Object result, Throwable thrown);

    /** The verdict for a call whose deciding failed in a way {@link #before} could not catch ({@code on_error}). */
    Verdict failed(ToolMethod method, Throwable failure);

    /**
     * The verdict for a call the agent must not decide at all: a tool it cannot identify, or a guarded tool called
     * by the deciding itself. Always a denial, audited, whatever {@code on_error} says.
     */
    Verdict refused(ToolMethod method, String why);

    /** Why the named module does not fit its framework, or null (see {@code GuardBridge.Guard#unfit}). */
    default String unfit(String module) {
        return null;
    }

    /** Whether the tool may be offered to the model in the calling thread's context (SPEC §8). */
    boolean discoverable(String toolName);

    /** As {@link #discoverable(String)}, with framework objects (an MCP exchange) for the context sources. */
    boolean discoverable(String toolName, Object[] extras);

    /** The calling thread's context as the policy would see it, for a framework that runs the tool elsewhere. */
    java.util.Map<String, Object> context();

    /**
     * The result of {@link #before}.
     *
     * @param denial  non-null when the body must not run: the exception to throw in its place
     * @param callId  the audit id shared by the decision and outcome records (null when nothing is to follow)
     * @param started System.nanoTime() when the body was allowed to start, for duration_ms
     * @param running what egress sensors check the body's egress against, or null (then as outside any call)
     */
    record Verdict(RuntimeException denial, String callId, long started, RunningCall running) {

        public Verdict(RuntimeException denial, String callId, long started) {
            this(denial, callId, started, null);
        }

        public boolean denied() {
            return denial != null;
        }
    }
}
