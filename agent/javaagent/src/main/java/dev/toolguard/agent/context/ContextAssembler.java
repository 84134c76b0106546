package dev.toolguard.agent.context;

import dev.toolguard.policy.values.ValueBounds;

import java.util.List;
import java.util.Map;

/** Assembles the context of one call from the configured sources, in order, later overriding earlier. */
public final class ContextAssembler {

    private final List<ContextSource> sources;
    private final ValueBounds bounds;

    public ContextAssembler(List<ContextSource> sources) {
        this(sources, ValueBounds.DEFAULT);
    }

    /** {@code bounds}: how far a framework's values are converted ({@code arguments.*}, the same as arguments). */
    public ContextAssembler(List<ContextSource> sources, ValueBounds bounds) {
        this.sources = List.copyOf(sources);
        this.bounds = bounds;
    }

    /**
     * One call's context: its values, and why one of them could not be read (null when all could).
     *
     * @param values  the context tree; a value that could not be read is not in it
     * @param problem what could not be read, e.g. {@code context tenant cannot be read: ...}; the call is denied
     */
    public record Assembled(Map<String, Object> values, String problem) {
    }

    /**
     * The context tree for a call. A source that fails contributes nothing; the call is still decided, and a
     * policy that needs the missing value denies. A thread that carries a context captured on another thread
     * ({@link CarriedContext}) decides with that one.
     */
    public Assembled read(CallSite call) {
        Map<String, Object> carried = CarriedContext.current();
        if (carried != null) {
            return new Assembled(carried, null);
        }
        ContextTree ctx = new ContextTree(bounds);
        for (ContextSource source : sources) {
            try {
                source.contribute(call, ctx);
            } catch (RuntimeException | LinkageError e) {
                // a broken source must not break deciding: what it would have said stays absent
            }
        }
        return new Assembled(ctx.isEmpty() ? Map.of() : ctx.toMap(), ctx.problem());
    }

    /** The values of {@link #read}: what could be read (callers that decide use {@link #read} and its problem). */
    public Map<String, Object> assemble(CallSite call) {
        return read(call).values();
    }

    public List<ContextSource> sources() {
        return sources;
    }
}
