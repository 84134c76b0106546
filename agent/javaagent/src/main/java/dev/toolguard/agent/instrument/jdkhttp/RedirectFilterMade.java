package dev.toolguard.agent.instrument.jdkhttp;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the end of the constructor of the client's redirect filter, which the client makes for each request
 * while that request is being sent, on the sending thread: the guarded call running there is tied to the filter,
 * which decides the request's redirects later, on whatever thread the response arrives.
 */
public final class RedirectFilterMade {

    private RedirectFilterMade() {
    }

    @Advice.OnMethodExit
    static void exit(@Advice.This Object filter) {
        GuardBridge.egressCarrier("http-jdk-hop", filter);
    }
}
