package dev.toolguard.agent.instrument.apachehttp;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the start of {@code execute(AsyncClientExchangeHandler, HandlerFactory, HttpContext)} of the minimal async
 * clients ({@code MinimalHttpAsyncClient}, {@code MinimalH2AsyncClient}), which every request of theirs passes on the
 * calling thread before a connection is leased; they follow no redirect. The request is read from the exchange
 * handler; one that cannot be read is refused where the tool's policy restricts http.
 */
public final class MinimalAsyncAdvice {

    private MinimalAsyncAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.This Object client, @Advice.Argument(0) Object exchangeHandler) {
        GuardBridge.egress("http-apache5-minimal", client, exchangeHandler);
    }
}
