package dev.toolguard.agent.instrument.jdkhttp;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;

import java.io.IOException;

/**
 * Inlined at the end of the redirect filter's {@code response(Response)}, which returns the request the client is to
 * send next (a redirect it follows) or null: that request is checked against the call tied to the filter before the
 * client sends it. A refusal is the filter's {@code IOException}, which fails the exchange, so the caller's
 * {@code send} throws it (or its future completes with it).
 */
public final class RedirectAdvice {

    private RedirectAdvice() {
    }

    @Advice.OnMethodExit
    static void exit(@Advice.This Object filter, @Advice.Return Object next) throws IOException {
        if (next != null) {
            IOException refused = GuardBridge.egressHop("http-jdk-hop", filter, next);
            if (refused != null) {
                throw refused;
            }
        }
    }
}
