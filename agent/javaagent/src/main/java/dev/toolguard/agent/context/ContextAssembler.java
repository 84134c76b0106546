package dev.toolguard.agent.context;

import java.util.List;
import java.util.Map;

/** Assembles the context of one call from the configured sources, in order, later overriding earlier. */
public final class ContextAssembler {

    private final List<ContextSource> sources;

    public ContextAssembler(List<ContextSource> sources) {
        this.sources = List.copyOf(sources);
    }

    /**
     * The context tree for a call. A source that fails contributes nothing; the call is still decided, and a
     * policy that needs the missing value denies. A thread that carries a context captured on another thread
     * ({@link CarriedContext}) decides with that one.
     */
    public Map<String, Object> assemble(CallSite call) {
        Map<String, Object> carried = CarriedContext.current();
        if (carried != null) {
            return carried;
        }
        ContextTree ctx = new ContextTree();
        for (ContextSource source : sources) {
            try {
                source.contribute(call, ctx);
            } catch (RuntimeException | LinkageError e) {
                // a broken source must not break deciding: what it would have said stays absent
            }
        }
        return ctx.isEmpty() ? Map.of() : ctx.toMap();
    }

    public List<ContextSource> sources() {
        return sources;
    }
}
