package dev.toolguard.agent.instrument.apachehttp;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the end of the constructor of {@code AsyncExecChain.Scope(exchangeId, route, originalRequest,
 * cancellableDependency, ...)}, the scope of the async client's request. {@code doExecute} makes the first on the
 * calling thread, from the request the application's producer handed over, before the exec chain runs (so before a
 * connection is leased): that one is checked here, against the guarded call running on this thread, and a refusal is
 * what {@code execute} throws. The scopes the redirect handling makes later, on the I/O reactor's threads, are left to
 * {@link AsyncConnectAdvice}, which sees each exchange the client sends.
 */
public final class AsyncScopeAdvice {

    private AsyncScopeAdvice() {
    }

    @Advice.OnMethodExit
    static void exit(@Advice.This Object scope, @Advice.AllArguments Object[] arguments) {
        GuardBridge.egress("http-apache5-async", scope, arguments);
    }
}
