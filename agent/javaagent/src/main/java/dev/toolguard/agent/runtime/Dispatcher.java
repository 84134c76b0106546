package dev.toolguard.agent.runtime;

import dev.toolguard.agent.advice.ToolRegistry;
import dev.toolguard.agent.context.CallSite;
import dev.toolguard.agent.context.CarriedContext;
import dev.toolguard.api.internal.GuardBridge;
import dev.toolguard.instrumentation.ToolMethod;

/**
 * The agent's side of {@link GuardBridge}: finds the tool, keeps deciding from re-entering itself, and makes
 * sure that whatever goes wrong comes back as a denial (or, with {@code on_error: allow}, an audited allow).
 *
 * <p>A tool served through two layers (an MCP handler that calls an annotated method of the same tool) is
 * decided once, by the outer layer: the inner call of the same tool on the same thread passes through.
 */
public final class Dispatcher implements GuardBridge.Guard {

    /** The ticket of a nested call of the tool already being guarded on this thread: nothing to record. */
    private static final Object PASS_THROUGH = new Object();

    /** Per thread: whether we are deciding right now, and the allowed tool calls in progress. */
    private static final class ThreadState {
        boolean deciding;
        Frame top;
    }

    /**
     * An allowed call in progress. Frames stack per thread; an async framework may end a call on another
     * thread, which then only marks it closed, and the deciding thread drops closed frames on its next call.
     */
    private static final class Frame {
        final ToolMethod tool;
        final CallGuard.Verdict verdict;
        final Frame outer;
        final Thread owner = Thread.currentThread();
        volatile boolean closed;

        Frame(ToolMethod tool, CallGuard.Verdict verdict, Frame outer) {
            this.tool = tool;
            this.verdict = verdict;
            this.outer = outer;
        }
    }

    /** The rule set named in the record of a call refused because its class could not be instrumented. */
    static final String UNINSTRUMENTABLE = "(uninstrumentable)";
    /** What a call names when the agent cannot tell which tool it is: decided as an internal error, and audited. */
    private static final ToolMethod UNKNOWN = new ToolMethod("(unknown tool)", "(unknown)", "(unknown)", "(unknown)",
            java.util.List.of(), "(unknown)");

    private final ThreadLocal<ThreadState> state = ThreadLocal.withInitial(ThreadState::new);
    private final ToolRegistry registry;
    private final CallGuard guard;
    private final ArgumentReader arguments;

    /** Checks what the bodies of guarded calls send out (SPEC §18); set once the agent's egress side is built. */
    private volatile EgressCheck egress;

    public Dispatcher(ToolRegistry registry, CallGuard guard, ArgumentReader arguments) {
        this.registry = registry;
        this.guard = guard;
        this.arguments = arguments;
    }

    /** The egress side: what {@link #egress} hands each sensed egress to. */
    public void egressCheck(EgressCheck check) {
        this.egress = check;
    }

    /** What checks one sensed egress against the running call; see {@code dev.toolguard.agent.egress}. */
    public interface EgressCheck {
        /** @see GuardBridge.Guard#egress */
        Object check(String sensor, Object self, Object subject, RunningCall running, boolean agentsOwn);

        /** @see GuardBridge.Guard#egressNote */
        void note(String sensor, Object self, Object value);

        /** @see GuardBridge.Guard#egressUnfit; {@code running} is the guarded call running here, never null */
        void unfit(String kind, String unfit, RunningCall running);

        /** @see GuardBridge.Guard#egressCarrier; made on the thread whose request was just checked */
        void carrier(String sensor, Object carrier);

        /** @see GuardBridge.Guard#egressHop; the call is the one tied to {@code carrier}, not this thread's */
        void hop(String sensor, Object carrier, Object request);
    }

    /**
     * The guarded call whose body runs on this thread now: the innermost open one, else the one this thread carries
     * from the thread that handed it work; null outside any.
     */
    public RunningCall running() {
        ThreadState s = state.get();
        Frame top = s.top;
        while (top != null && top.closed) {
            top = top.outer;
        }
        if (top != null && top.verdict.running() != null) {
            return top.verdict.running();
        }
        Object carried = CarriedContext.carriedCall();
        return carried instanceof Frame f && !f.closed ? f.verdict.running() : null;
    }

    @Override
    public Object egress(String sensor, Object self, Object subject) {
        EgressCheck check = egress;
        if (check == null) {
            return subject;
        }
        ThreadState s = state.get();
        // what the agent itself sends while deciding (a webhook, a policy fetch) is no egress of a tool
        boolean agentsOwn = s.deciding;
        return check.check(sensor, self, subject, agentsOwn ? null : running(), agentsOwn);
    }

    @Override
    public void egressNote(String sensor, Object self, Object value) {
        EgressCheck check = egress;
        if (check != null) {
            check.note(sensor, self, value);
        }
    }

    @Override
    public void egressUnfit(String kind, String unfit) {
        EgressCheck check = egress;
        if (check == null || state.get().deciding) {
            return; // no sensors watched; or the agent's own work while deciding, which is no tool's egress
        }
        RunningCall running = running();
        if (running != null) {
            check.unfit(kind, unfit, running);
        }
    }

    @Override
    public void egressCarrier(String sensor, Object carrier) {
        EgressCheck check = egress;
        if (check != null) {
            check.carrier(sensor, carrier);
        }
    }

    @Override
    public void egressHop(String sensor, Object carrier, Object request) {
        EgressCheck check = egress;
        if (check != null) {
            check.hop(sensor, carrier, request);
        }
    }

    @Override
    public boolean inGuardedCall() {
        return running() != null;
    }

    /** The open frame on this thread, for a capture to carry. */
    private Frame openFrame() {
        Frame top = state.get().top;
        while (top != null && top.closed) {
            top = top.outer;
        }
        return top;
    }

    @Override
    public Object enter(int toolId, Object self, Object[] args) {
        ToolMethod tool = registry.get(toolId);
        if (tool == null) {
            return unknownOrRefused(toolId);
        }
        CallSite site = new CallSite(tool, self, args);
        return decide(tool, site, null);
    }

    @Override
    public Object enterNamed(String ruleSet, String tool, String site, Object args, Object[] extras) {
        if (tool == null) {
            return guard.refused(UNKNOWN, "a call of the " + ruleSet + " module without a tool name").denial();
        }
        ToolMethod method = registry.named(ruleSet, tool, site);
        return decide(method, new CallSite(method, null, extras), args == null ? NamedArguments.NONE : args);
    }

    /** @param namedArgs the framework's arguments for a named call, or null to read them from the site */
    private Object decide(ToolMethod tool, CallSite site, Object namedArgs) {
        ThreadState s = state.get();
        if (s.deciding) {
            // something our deciding called is itself a guarded tool: never let the checker check itself
            return guard.refused(tool, "a guarded tool was called while deciding").denial();
        }
        Frame top = s.top;
        while (top != null && top.closed) {
            top = top.outer;
        }
        s.top = top;
        if (top != null && top.tool.toolName().equals(tool.toolName())) {
            return PASS_THROUGH;
        }
        CallGuard.Verdict verdict;
        s.deciding = true;
        try {
            ArgumentReader.Result args = namedArgs == null
                    ? arguments.read(tool, site.args())
                    : arguments.readNamed(namedArgs);
            verdict = guard.before(tool, site, args);
        } catch (Throwable t) {
            verdict = guard.failed(tool, t);
        } finally {
            s.deciding = false;
        }
        if (verdict.denied()) {
            return verdict.denial();
        }
        Frame f = new Frame(tool, verdict, top);
        s.top = f;
        return f;
    }

    @Override
    public void exit(Object ticket, Object result, Throwable thrown) {
        if (ticket instanceof Frame f) {
            if (f.closed) {
                return; // an outcome is written once, however often a framework reports the end
            }
            f.closed = true;
            if (f.owner == Thread.currentThread()) {
                ThreadState s = state.get();
                Frame top = s.top;
                while (top != null && top.closed) {
                    top = top.outer;
                }
                s.top = top;
            }
            guard.after(f.verdict, result, thrown);
        }
    }

    @Override
    public void suspended(Object ticket) {
        if (ticket instanceof Frame f && f.owner == Thread.currentThread()) {
            ThreadState s = state.get();
            if (s.top == f) {
                // still open, but no longer what this thread runs: a call of the same tool that this thread takes up
                // meanwhile is a call of its own, decided, not a nested pass-through
                s.top = f.outer;
            }
        }
    }

    @Override
    public String unfit(String module) {
        return guard.unfit(module);
    }

    /**
     * The audit log's record of a call refused because its class could not be instrumented: a denied decision with
     * rule {@code on_error} under the method's {@code Class#method} (no tool name can be known without the class's
     * instrumentation), so that an auditor sees the attempt. Not while deciding: a class our deciding used would
     * otherwise write records from inside another call's decision.
     */
    @Override
    public void refusedUninstrumentable(String site) {
        ThreadState s = state.get();
        if (s.deciding) {
            return;
        }
        int hash = site.indexOf('#');
        int paren = site.indexOf('(', Math.max(hash, 0));
        String className = hash < 0 ? site : site.substring(0, hash);
        String methodName = hash < 0 ? "(unknown)" : site.substring(hash + 1, paren < 0 ? site.length() : paren);
        ToolMethod method = new ToolMethod(className + "#" + methodName, className, methodName, site,
                java.util.List.of(), UNINSTRUMENTABLE);
        refuse(method, "its class could not be instrumented, so none of its methods may run");
    }

    /** A call by an id that is no tool's: a method registered as refused, or an id the agent never gave out. */
    private Object unknownOrRefused(int toolId) {
        ToolRegistry.Refused r = registry.refused(toolId);
        return r != null ? refuse(r.method(), r.why())
                : guard.refused(UNKNOWN, "tool id " + toolId + " is not known to the agent").denial();
    }

    /** A call refused without a decision, audited as such; one made while deciding is refused as any tool then is. */
    private Object refuse(ToolMethod method, String why) {
        ThreadState s = state.get();
        if (s.deciding) {
            return guard.refused(method, "a guarded tool was called while deciding").denial();
        }
        s.deciding = true;
        try {
            return guard.refused(method, why).denial();
        } finally {
            s.deciding = false;
        }
    }

    @Override
    public boolean discoverable(String tool) {
        return guard.discoverable(tool);
    }

    @Override
    public boolean discoverable(String tool, Object[] extras) {
        return guard.discoverable(tool, extras);
    }

    @Override
    public Object captureContext() {
        return CarriedContext.capture(guard.context(), openFrame());
    }

    @Override
    public Object adoptContext(Object captured) {
        return CarriedContext.adopt(captured);
    }

    @Override
    public void restoreContext(Object token) {
        CarriedContext.restore(token);
    }
}
