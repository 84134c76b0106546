package dev.toolguard.agent.context;

/**
 * One place the context of a call is read from (SPEC §6). Called on the calling thread for every guarded
 * call, so it must be cheap; it writes only what it can read, and never throws for missing data.
 */
public interface ContextSource {
    /** Writes what this source knows about the call into {@code ctx}. */
    void contribute(CallSite call, ContextTree ctx);
}
