package dev.toolguard.agent.instrument.apachehttp;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the end of the constructor of {@code ExecChain.Scope(exchangeId, route, request, runtime, context)}, the
 * scope of one exchange of the classic client: {@code doExecute} makes the first from the request it was given
 * (checked there already), {@code RedirectExec} one for each redirect it follows, before it sends it. Those are checked
 * like the first request, on the same thread; a refusal ends the redirect loop, which closes the redirect's response
 * and throws it from {@code execute}.
 */
public final class ScopeAdvice {

    private ScopeAdvice() {
    }

    @Advice.OnMethodExit
    static void exit(@Advice.Argument(1) Object route, @Advice.Argument(2) Object request) {
        GuardBridge.egress("http-apache5-hop", route, request);
    }
}
