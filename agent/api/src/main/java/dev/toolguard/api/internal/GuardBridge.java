package dev.toolguard.api.internal;

import dev.toolguard.api.ToolCallDeniedException;

/**
 * The one door between instrumented code and the agent. It sits on the bootstrap class path, so advice
 * inlined into a class of any class loader can call it; the agent installs its {@link Guard} here at start.
 *
 * <p>Not an API for applications: the agent's advice is its only caller. Every method here catches
 * everything: a failure of ours becomes a denial, never an exception of another type and never an allow.
 *
 * <p>The protocol of guarding advice, which is what makes a failure anywhere deny (SPEC §13.1): the enter advice
 * returns the non-null ticket of an allowed call and nothing else; it keeps a denial (any {@code Throwable}: tickets
 * never are one, and an application may hold its own copy of the API's classes) in a local and returns null,
 * and the body is skipped whenever it returns null ({@code skipOn = OnDefaultValue}). So a throw inside the enter
 * advice, which ByteBuddy suppresses and turns into the default value, skips the body too. The exit advice then
 * throws {@link #refusal} (or hands it to the framework as the tool's error).
 */
public final class GuardBridge {

    /** What the agent does for each guarded call; implemented in the agent's own class loader. */
    public interface Guard {

        /**
         * Decides a call of the tool method registered as {@code toolId}.
         *
         * @return a {@link ToolCallDeniedException} when the body must not run, else a non-null ticket for {@link #exit}
         */
        Object enter(int toolId, Object self, Object[] args);

        /**
         * Decides a call of a tool that is not a Java method of its own (an MCP handler, a Spring AI
         * function callback): its name and arguments come from the framework.
         *
         * @param ruleSet  the built-in rule set whose hook is calling ({@code mcp}, {@code spring-ai}, ...)
         * @param tool     the tool name as the model used it
         * @param site     where the call is served, for the audit record's {@code method}
         * @param args     the arguments: a {@code Map} by name, or a JSON object as a {@code String}
         * @param extras   framework objects a context source may read (a Spring AI ToolContext), or null
         * @return a {@link ToolCallDeniedException} when the call must not run, else a ticket for {@link #exit}
         */
        Object enterNamed(String ruleSet, String tool, String site, Object args, Object[] extras);

        /** The guarded body returned {@code result} or threw {@code thrown}; writes the outcome record. */
        void exit(Object ticket, Object result, Throwable thrown);

        /** Whether the tool may be offered to the model in the calling thread's context (SPEC §8). */
        boolean discoverable(String tool);

        /**
         * As {@link #discoverable(String)}, with framework objects a context source may read (an MCP exchange or
         * transport context): for a tool list served to a request that carries who is asking.
         */
        boolean discoverable(String tool, Object[] extras);

        /**
         * The calling thread's context, assembled now (or the one it carries already), for a reactive framework
         * that will run the tool on another thread: an opaque value only {@link #adoptContext} understands.
         */
        Object captureContext();

        /**
         * Makes a value of {@link #captureContext} the context of the calls the current thread decides until
         * {@link #restoreContext}; anything else is ignored.
         *
         * @return what to hand to {@link #restoreContext} afterwards
         */
        Object adoptContext(Object captured);

        /** Ends an {@link #adoptContext}: the thread carries again what it carried before. */
        void restoreContext(Object token);

        /**
         * Why the named module's integration does not fit the framework found (SPEC §13.4), or null when it fits:
         * then every tool call of that framework must be stopped, also those whose own hook could not apply.
         */
        default String unfit(String module) {
            return null;
        }

        /**
         * A method of a class that could not be instrumented was called, and is refused ({@link #uninstrumentable}):
         * the guard writes a denied decision record for it, so that the attempt is in the audit log. Never lets
         * the call run, and never throws: the refusal is thrown by the bridge whatever this does.
         *
         * @param site the method ({@code com.acme.Tools#refund(J)Ljava/lang/String;})
         */
        default void refusedUninstrumentable(String site) {
        }

        /**
         * An egress sensor saw {@code subject} about to leave (SPEC §18): checks it against the guarded call running
         * on this thread (or carried to it), writes the egress record, and returns what the instrumented method
         * should go on with: {@code subject} itself, or a copy that carries a credential.
         *
         * @param sensor which sensor asks ({@code jdbc}, {@code http-jdk}, ...), so the agent knows how to read it
         * @param self   the instrumented object (a statement, a client), or null for a static method
         * @throws RuntimeException a {@code ToolCallDeniedException} when the egress is refused
         */
        default Object egress(String sensor, Object self, Object subject) {
            return subject;
        }

        /**
         * An egress sensor's fuse met a type of a library the sensor does not fit ({@code unfit} says how): refuses
         * when the guarded call running on this thread restricts egress of {@code kind}, and writes the egress record;
         * does nothing outside guarded calls.
         *
         * @throws RuntimeException a {@code ToolCallDeniedException} when the call's egress of that kind is refused
         */
        default void egressUnfit(String kind, String unfit) {
        }

        /** A sensor's note for a later egress: the SQL text a prepared statement was made with. Never throws. */
        default void egressNote(String sensor, Object self, Object value) {
        }

        /**
         * An HTTP client made {@code carrier} (the JDK client's redirect handling of one request) on this thread, where
         * the request it works for was just checked ({@link #egress}): the guarded call that request was checked for is
         * tied to it, so that the requests the client later sends on by itself, perhaps on its own threads, are checked
         * against that call ({@link #egressHop}).
         *
         * @throws RuntimeException a {@code ToolCallDeniedException} when the call cannot be tied to it
         */
        default void egressCarrier(String sensor, Object carrier) {
        }

        /**
         * An HTTP client is about to send {@code request}, which it made by itself (it follows a redirect), on behalf
         * of the call tied to {@code carrier}: checked as the first request was, written when refused.
         *
         * @throws RuntimeException a {@code ToolCallDeniedException} when the request is refused
         */
        default void egressHop(String sensor, Object carrier, Object request) {
        }

        /** Whether a guarded call is running on this thread (or carried to it): then a sensor's failure refuses. */
        default boolean inGuardedCall() {
            return false;
        }

        /**
         * The allowed call of {@code ticket} is parked (a Kotlin coroutine suspended inside it) and its thread goes on
         * with other work: the call stays open, but is no longer the one this thread runs; {@link #exit} ends it later,
         * on whatever thread it resumes.
         */
        default void suspended(Object ticket) {
        }
    }

    /**
     * The key under which framework hooks keep a captured context in a Reactor {@code Context}, which travels
     * with a reactive pipeline from thread to thread as a thread-local cannot.
     */
    public static final String CONTEXT_KEY = "dev.toolguard.context";

    private static volatile Guard guard;
    private static final java.util.concurrent.atomic.AtomicLong ADVICE_FAILURES = new java.util.concurrent.atomic.AtomicLong();
    private static final java.util.Set<String> REPORTED_SITES = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * The ticket of a call that a framework hook lets go on without a decision of its own: the call is decided
     * elsewhere (a {@code @Tool} method behind a framework executor), or it is not a tool call at all. Any non-null
     * value lets a guarded body run, so hooks return this one rather than a ticket of the agent's.
     */
    public static final Object PROCEED = new Object();

    private GuardBridge() {
    }

    /**
     * Called once by the agent at start. Later calls are refused, so that nothing that runs after the agent
     * (application code included) can swap the guard for one that allows.
     *
     * @throws IllegalStateException when a guard is installed already
     */
    public static synchronized void install(Guard g) {
        if (g == null) {
            throw new IllegalArgumentException("guard");
        }
        if (guard != null) {
            throw new IllegalStateException("ToolGuard's guard is installed already and cannot be replaced");
        }
        guard = g;
    }

    /** True once the agent installed its guard. */
    public static boolean installed() {
        return guard != null;
    }

    /** @see Guard#enter */
    public static Object enter(int toolId, Object self, Object[] args) {
        Guard g = guard;
        if (g == null) {
            return notReady();
        }
        try {
            return g.enter(toolId, self, args);
        } catch (Throwable t) {
            adviceFailed(t, GUARD_SITE);
            return failed(t);
        }
    }

    /**
     * Called by a module's fuse, advice on a class every tool call of its framework goes through (the request
     * object of a call, say): throws a denial when the module does not fit the framework found, so that calls
     * whose own hook could not apply are stopped too. Does nothing while the module fits or no guard is installed
     * (then the hooks that did apply deny on their own).
     */
    public static void checkFits(String module) {
        Guard g = guard;
        if (g == null) {
            return;
        }
        String why;
        try {
            why = g.unfit(module);
        } catch (Throwable t) {
            why = "the check of the " + module + " integration failed (" + t.getClass().getSimpleName() + ")";
        }
        if (why != null) {
            throw new ToolCallDeniedException(null, "on_error", why, "Denied by ToolGuard: " + why + " [on_error]");
        }
    }

    /**
     * Called by an egress sensor's advice before anything leaves (SPEC §18): returns what the instrumented method goes
     * on with ({@code subject}, or a copy carrying a credential) or throws the refusal. A failure of the agent inside a
     * guarded call refuses the egress (fail closed); outside one it lets the application's egress alone.
     */
    public static Object egress(String sensor, Object self, Object subject) {
        Guard g = guard;
        if (g == null) {
            return subject;
        }
        try {
            return g.egress(sensor, self, subject);
        } catch (ToolCallDeniedException refused) {
            throw refused;
        } catch (Throwable t) {
            refuseInGuardedCall(g, t, "the " + sensor + " egress sensor");
            return subject;
        }
    }

    /**
     * Called by an egress sensor's fuse ({@code EgressFuse}) in a class loader where the sensor does not fit: throws
     * the refusal when the guarded call running on this thread restricts egress of {@code kind}. A failure of the agent
     * inside a guarded call refuses too (fail closed); outside one the application's code is left alone.
     */
    public static void egressUnfit(String kind, String unfit) {
        Guard g = guard;
        if (g == null) {
            return;
        }
        try {
            g.egressUnfit(kind, unfit);
        } catch (ToolCallDeniedException refused) {
            throw refused;
        } catch (Throwable t) {
            refuseInGuardedCall(g, t, "the " + kind + " egress sensor's fuse");
        }
    }

    /**
     * @see Guard#egressCarrier; a failure of the agent inside a guarded call refuses the request being sent (its hops
     * could not be checked), outside one it lets the application's request alone.
     */
    public static void egressCarrier(String sensor, Object carrier) {
        Guard g = guard;
        if (g == null) {
            return;
        }
        try {
            g.egressCarrier(sensor, carrier);
        } catch (ToolCallDeniedException refused) {
            throw refused;
        } catch (Throwable t) {
            refuseInGuardedCall(g, t, "the " + sensor + " egress sensor");
        }
    }

    /**
     * Called by an egress sensor where an HTTP client sends on, by itself, a request it made (a redirect it follows):
     * null when the request may go, else the I/O error the client is to fail with, its cause the
     * {@link ToolCallDeniedException} (a client reports a failed exchange as an {@code IOException}, also on its own
     * threads, where an unchecked exception would be lost). A failure of the agent refuses the request: which call it
     * belongs to cannot be told then.
     */
    public static java.io.IOException egressHop(String sensor, Object carrier, Object request) {
        Guard g = guard;
        if (g == null) {
            return null;
        }
        try {
            g.egressHop(sensor, carrier, request);
            return null;
        } catch (ToolCallDeniedException refused) {
            return new java.io.IOException(refused.getMessage(), refused);
        } catch (Throwable t) {
            adviceFailed(t, "the " + sensor + " egress sensor");
            ToolCallDeniedException refused = new ToolCallDeniedException(null, "on_error",
                    "the request the HTTP client sends on by itself could not be checked (internal error)",
                    "ToolGuard could not check this egress (internal error) [on_error]");
            return new java.io.IOException(refused.getMessage(), refused);
        }
    }

    /** Says an egress check's failure, and refuses the egress when a guarded call runs here (or that is unknown). */
    private static void refuseInGuardedCall(Guard g, Throwable t, String site) {
        adviceFailed(t, site);
        boolean inCall;
        try {
            inCall = g.inGuardedCall();
        } catch (Throwable unknown) {
            inCall = true; // cannot tell: the stricter answer
        }
        if (inCall) {
            throw new ToolCallDeniedException(null, "on_error", "the egress could not be checked (internal error)",
                    "ToolGuard could not check this egress (internal error) [on_error]");
        }
    }

    /** @see Guard#egressNote; never throws. */
    public static void egressNote(String sensor, Object self, Object value) {
        Guard g = guard;
        if (g == null) {
            return;
        }
        try {
            g.egressNote(sensor, self, value);
        } catch (Throwable t) {
            // a note not kept makes the later egress unreadable, which refuses it where its kind is restricted
        }
    }

    /** @see Guard#enterNamed */
    public static Object enterNamed(String ruleSet, String tool, String site, Object args, Object[] extras) {
        Guard g = guard;
        if (g == null) {
            return notReady();
        }
        try {
            return g.enterNamed(ruleSet, tool, site, args, extras);
        } catch (Throwable t) {
            adviceFailed(t, GUARD_SITE);
            return failed(t);
        }
    }

    /** @see Guard#exit; never throws. */
    public static void exit(Object ticket, Object result, Throwable thrown) {
        Guard g = guard;
        if (g == null || ticket == null) {
            return;
        }
        try {
            g.exit(ticket, result, thrown);
        } catch (Throwable t) {
            // the body already ran; an outcome we cannot record must not change what the caller sees
        }
    }

    /** @see Guard#suspended; never throws. */
    public static void suspended(Object ticket) {
        Guard g = guard;
        if (g == null || ticket == null) {
            return;
        }
        try {
            g.suspended(ticket);
        } catch (Throwable t) {
            // the call stays open on this thread: at worst a later call of the same tool here is taken as nested
        }
    }

    /**
     * A Kotlin {@code Continuation} (of the framework's own {@code continuationType}) that hands what a suspended
     * guarded call finally returned or threw to {@link #exit} for {@code ticket}, then resumes {@code continuation}
     * with it: the outcome of a call that suspended is written when it ends, not when it parks. Kotlin passes a
     * failure as an instance of {@code kotlin.Result$Failure} whose {@code exception} field holds the throwable.
     * Never throws: where no such continuation can be made, {@code continuation} itself is returned (said once on
     * standard error); the call was decided all the same, only the outcome record of a call that suspends is then
     * missing.
     */
    public static Object exitOnResume(Class<?> continuationType, Object continuation, Object ticket) {
        try {
            return continuationExiting(continuationType, continuation, ticket);
        } catch (Throwable t) {
            if (REPORTED_SITES.add("exitOnResume")) {
                try {
                    System.err.println("toolguard: the end of a suspended call cannot be followed, so its outcome"
                            + " record is missing (the call was decided): " + t);
                } catch (Throwable ignored) {
                    // nothing more can be done from inside the application's method
                }
            }
            return continuation;
        }
    }

    private static Object continuationExiting(Class<?> continuationType, Object continuation, Object ticket) {
        return java.lang.reflect.Proxy.newProxyInstance(continuationType.getClassLoader(),
                new Class<?>[] {continuationType}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (method.getName()) {
                            case "equals" -> proxy == args[0];
                            case "hashCode" -> System.identityHashCode(proxy);
                            default -> "ToolGuard's continuation of " + continuation;
                        };
                    }
                    if (method.getName().equals("resumeWith") && args != null && args.length == 1) {
                        Object value = args[0];
                        Throwable thrown = resultFailure(value);
                        exit(ticket, thrown == null ? value : null, thrown);
                    }
                    try {
                        return method.invoke(continuation, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The throwable of Kotlin's {@code Result.Failure}, or null for a value. */
    private static Throwable resultFailure(Object value) {
        if (value == null || !value.getClass().getName().equals("kotlin.Result$Failure")) {
            return null;
        }
        try {
            java.lang.reflect.Field f = value.getClass().getField("exception");
            return f.get(value) instanceof Throwable t ? t : new IllegalStateException("a failure without exception");
        } catch (ReflectiveOperationException | RuntimeException e) {
            return new IllegalStateException("the call failed (its exception could not be read)");
        }
    }

    /** @see Guard#discoverable; false on any failure (a tool we cannot judge is not offered). */
    public static boolean discoverable(String tool) {
        Guard g = guard;
        if (g == null) {
            return false;
        }
        try {
            return g.discoverable(tool);
        } catch (Throwable t) {
            return false;
        }
    }

    /** @see Guard#captureContext; null when nothing can be captured. */
    public static Object captureContext() {
        Guard g = guard;
        if (g == null) {
            return null;
        }
        try {
            return g.captureContext();
        } catch (Throwable t) {
            return null;
        }
    }

    /** @see Guard#adoptContext; null (nothing to restore) when {@code captured} is null or on any failure. */
    public static Object adoptContext(Object captured) {
        Guard g = guard;
        if (g == null || captured == null) {
            return null;
        }
        try {
            return g.adoptContext(captured);
        } catch (Throwable t) {
            return null;
        }
    }

    /** @see Guard#restoreContext; never throws. */
    public static void restoreContext(Object token) {
        Guard g = guard;
        if (g == null || token == null) {
            return;
        }
        try {
            g.restoreContext(token);
        } catch (Throwable t) {
            // the carried context is per call; a failure to restore it must not break the application's thread
        }
    }

    /**
     * The arguments of a reflective tool call that a framework will make on another thread, with the current
     * context attached, so that advice on the thread that makes the call can adopt it ({@link #carriedBy}).
     * Returns {@code args} itself when there is nothing to carry.
     */
    public static java.util.List<Object> carryContext(java.util.List<Object> args) {
        if (args == null || args instanceof ContextCarryingList) {
            return args;
        }
        Object captured = captureContext();
        return captured == null ? args : new ContextCarryingList(args, captured);
    }

    /**
     * A copy of a framework's map that a task for another thread keeps (LangChain4j's tool executors by name,
     * when it runs tools concurrently), with the current context attached for {@link #carriedBy}. Returns
     * {@code map} itself when there is nothing to carry.
     */
    public static java.util.Map<Object, Object> carryContextIn(java.util.Map<Object, Object> map) {
        if (map == null || map instanceof ContextCarryingMap) {
            return map;
        }
        Object captured = captureContext();
        return captured == null ? map : new ContextCarryingMap(map, captured);
    }

    /** The context {@link #carryContext} or {@link #carryContextIn} attached to a list or map, or null. */
    public static Object carriedBy(Object holder) {
        return holder instanceof Carrying carrying ? carrying.captured() : null;
    }

    /** A framework's collection with a captured context attached. */
    private interface Carrying {
        Object captured();
    }

    /** A copy of a framework's map, with a captured context attached. */
    private static final class ContextCarryingMap extends java.util.HashMap<Object, Object> implements Carrying {
        private static final long serialVersionUID = 1L;
        private final transient Object captured;

        ContextCarryingMap(java.util.Map<Object, Object> map, Object captured) {
            super(map);
            this.captured = captured;
        }

        @Override
        public Object captured() {
            return captured;
        }
    }

    /**
     * An implementation of a framework's interface (a LangChain4j {@code ToolExecutor}) whose every method throws
     * an exception with {@code denial} as its cause and its message: handed to the framework in place of the
     * tool it must not run, so that the framework treats the denial as that tool's error. The wrapper is what a
     * framework's own reflective executor makes of a tool method's exception, so error handlers that look at the
     * cause (LangChain4j's do) find the {@code ToolCallDeniedException} itself. {@code Object}'s methods work.
     *
     * @param denial what {@link #enter} or {@link #enterNamed} returned for the call: a RuntimeException
     */
    public static Object refusing(Class<?> frameworkInterface, Object denial) {
        RuntimeException cause = denial instanceof RuntimeException r ? r : failed(new IllegalStateException("no denial"));
        RuntimeException thrown = new RuntimeException(cause.getMessage(), cause);
        return java.lang.reflect.Proxy.newProxyInstance(frameworkInterface.getClassLoader(),
                new Class<?>[] {frameworkInterface}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (method.getName()) {
                            case "equals" -> proxy == args[0];
                            case "hashCode" -> System.identityHashCode(proxy);
                            default -> "refused tool: " + thrown.getMessage();
                        };
                    }
                    throw thrown;
                });
    }

    /** A copy of a framework's argument list, with a captured context attached. */
    private static final class ContextCarryingList extends java.util.ArrayList<Object> implements Carrying {
        private static final long serialVersionUID = 1L;
        private final transient Object captured;

        ContextCarryingList(java.util.List<Object> args, Object captured) {
            super(args);
            this.captured = captured;
        }

        @Override
        public Object captured() {
            return captured;
        }
    }

    /** @see Guard#discoverable(String, Object[]); false on any failure. */
    public static boolean discoverable(String tool, Object[] extras) {
        Guard g = guard;
        if (g == null) {
            return false;
        }
        try {
            return g.discoverable(tool, extras);
        } catch (Throwable t) {
            return false;
        }
    }

    /**
     * Called by the exception handler of inlined advice when the advice itself threw (a bug, or a
     * {@code StackOverflowError} near the end of the stack): counted, and said on standard error once per site,
     * so that tests can assert there were none. The advice's protocol makes such a call skip the guarded body.
     *
     * @param site the hook or tool method whose advice failed
     */
    public static void adviceFailed(Throwable t, String site) {
        ADVICE_FAILURES.incrementAndGet();
        if (REPORTED_SITES.add(site)) {
            try {
                System.err.println("toolguard: advice failed at " + site + " (the call is denied): " + t);
            } catch (Throwable ignored) {
                // nothing more can be done from inside the application's method
            }
        }
    }

    /**
     * The first instruction of each method of a class that may hold tools but that the agent could not instrument (its
     * transformation failed; the agent said why on standard error): no decision can be made for such a method, so it
     * never runs. Counted with the advice's failures.
     *
     * @param site the method ({@code com.acme.Tools#refund(J)Ljava/lang/String;})
     */
    public static void uninstrumentable(String site) {
        ADVICE_FAILURES.incrementAndGet();
        Guard g = guard;
        if (g != null) {
            try {
                g.refusedUninstrumentable(site);
            } catch (Throwable recordNotWritten) {
                // the refusal below stands whatever the record did; the log says its own failures
            }
        }
        throw new ToolCallDeniedException(null, "on_error", site + " could not be instrumented", UNDECIDED_MESSAGE);
    }

    /** How many times inlined advice failed in this JVM. */
    public static long adviceFailures() {
        return ADVICE_FAILURES.get();
    }

    /**
     * What guarding advice throws (or turns into the framework's error) when its enter advice did not return an
     * allowed call's ticket: the denial the guard gave, or, when the advice failed before the guard could answer,
     * a denial saying the call could not be decided. Never null; never an allow.
     */
    public static RuntimeException refusal(Object denial) {
        // by its kind, not its class: an application that loaded its own copy of the API before an attach holds
        // denials of that copy, which are no instances of this loader's ToolCallDeniedException
        if (denial instanceof RuntimeException d) {
            return d;
        }
        return new ToolCallDeniedException(null, "on_error", "the call could not be decided (internal error)",
                UNDECIDED_MESSAGE);
    }

    /** Where a failure that escaped the agent's guard itself is reported (it could not be audited). */
    private static final String GUARD_SITE = "the agent's guard";

    /** The message of {@link #refusal} for a call the guard could not answer. */
    public static final String UNDECIDED_MESSAGE = "ToolGuard could not decide this call (internal error) [on_error]";

    /** The text a framework should return as the tool's error when {@code enter} denied. */
    public static String denialText(Object denial) {
        return denial instanceof Throwable t && t.getMessage() != null ? t.getMessage() : "Denied by ToolGuard";
    }

    private static ToolCallDeniedException notReady() {
        return new ToolCallDeniedException(null, "on_error", "the agent is not ready",
                "Denied by ToolGuard: the agent is not ready [on_error]");
    }

    private static ToolCallDeniedException failed(Throwable t) {
        // what failed is the agent's to say (it counts and reports it); the model reads only that it was not decided
        return new ToolCallDeniedException(null, "on_error", "the call could not be decided (internal error)",
                UNDECIDED_MESSAGE);
    }
}
