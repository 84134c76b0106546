package dev.toolguard.agent.instrument.apachehttp;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the start of {@code MinimalHttpAsyncClient.lease(HttpHost, HttpContext, FutureCallback)}, which the other
 * {@code lease} calls: the endpoint it leases sends whatever exchanges the application hands it, past {@code execute},
 * so none of them can be checked. The lease is taken for an egress that cannot be read: refused where the tool's policy
 * restricts http, before the connection is leased.
 */
public final class LeaseAdvice {

    private LeaseAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.This Object client, @Advice.Argument(0) Object host) {
        GuardBridge.egress("http-apache5-lease", client, host);
    }
}
