package dev.toolguard.agent.context;

import dev.toolguard.instrumentation.ToolMethod;

/**
 * What a context source may look at for one call: the tool, the object it was called on and the raw
 * arguments (a Spring AI {@code ToolContext} arrives as an argument). Sources only read it.
 *
 * @param method the tool method
 * @param self   the receiver, or null for a static tool
 * @param args   the raw arguments, never null
 */
public record CallSite(ToolMethod method, Object self, Object[] args) {
    public CallSite {
        args = args == null ? new Object[0] : args;
    }

    /** The class loader the application's own classes for this call come from. */
    public ClassLoader applicationLoader() {
        if (self != null && self.getClass().getClassLoader() != null) {
            return self.getClass().getClassLoader();
        }
        ClassLoader tccl = Thread.currentThread().getContextClassLoader();
        return tccl != null ? tccl : ClassLoader.getSystemClassLoader();
    }
}
