package dev.toolguard.agent.context;

import java.util.Map;

/**
 * A context captured on one thread and adopted by another, for frameworks that run a tool on a worker thread
 * of their own (Semantic Kernel runs every tool method on a Reactor scheduler): the thread-local values the
 * context sources read (the MDC, a Spring {@code SecurityContext}, {@code ToolGuard.runAs}) stay behind on the
 * thread that asked the model, so the hook captures the assembled context there and the worker adopts it.
 *
 * <p>While a thread carries a context, it is the context of every call that thread decides.
 */
public final class CarriedContext {

    /**
     * What a capture hands out; only this type can be adopted, so no other value can pose as a context.
     *
     * @param running the guarded call running where it was captured (an opaque value of the dispatcher's), or null:
     *                egress made on the adopting thread is checked against it (SPEC §18)
     */
    public record Captured(Map<String, Object> context, Object running) {

        public Captured(Map<String, Object> context) {
            this(context, null);
        }
    }

    /** The token of an adoption: what the thread carried before. */
    private record Previous(Captured captured) {
    }

    private static final ThreadLocal<Captured> CARRIED = new ThreadLocal<>();

    /** False until the first adoption: threads of applications that never carry a context skip the lookup. */
    private static volatile boolean used;

    private CarriedContext() {
    }

    /** The context the current thread carries, or null. */
    static Map<String, Object> current() {
        if (!used) {
            return null;
        }
        Captured c = CARRIED.get();
        return c == null ? null : c.context();
    }

    /** The current thread's carried context, if any, else {@code assembled}. */
    public static Captured capture(Map<String, Object> assembled) {
        return capture(assembled, null);
    }

    /**
     * As {@link #capture(Map)}, with the guarded call running on this thread ({@code running}, or else the one this
     * thread carries), so that the adopting thread's egress is checked against it.
     */
    public static Captured capture(Map<String, Object> assembled, Object running) {
        Map<String, Object> carried = current();
        Object call = running != null ? running : carriedCall();
        return new Captured(carried != null ? carried : Map.copyOf(assembled), call);
    }

    /** The running call the current thread carries, or null. */
    public static Object carriedCall() {
        if (!used) {
            return null;
        }
        Captured c = CARRIED.get();
        return c == null ? null : c.running();
    }

    /** @return the token for {@link #restore}, or null when {@code captured} is not a capture of ours */
    public static Object adopt(Object captured) {
        if (!(captured instanceof Captured c)) {
            return null;
        }
        used = true;
        Previous previous = new Previous(CARRIED.get());
        CARRIED.set(c);
        return previous;
    }

    public static void restore(Object token) {
        if (token instanceof Previous p) {
            if (p.captured() == null) {
                CARRIED.remove();
            } else {
                CARRIED.set(p.captured());
            }
        }
    }
}
