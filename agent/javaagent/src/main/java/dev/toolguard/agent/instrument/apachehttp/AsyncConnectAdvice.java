package dev.toolguard.agent.instrument.apachehttp;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;

import java.io.IOException;

/**
 * Inlined at the start of {@code AsyncConnectExec.execute(request, entityProducer, scope, chain, callback)}, the
 * element of the async client's exec chain that leases the connection for each exchange: the first (checked already
 * where its scope was made, on the calling thread), and each the client makes by itself, on the I/O reactor's threads
 * or its scheduler's (a redirect it follows, a retry). Those are checked against the guarded call the first request was
 * checked for, tied to the exchange. A refusal is an {@code IOException}, which the redirect handling hands to the
 * request's future and callback (an unchecked exception would be lost on the reactor's thread).
 */
public final class AsyncConnectAdvice {

    private AsyncConnectAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) Object request, @Advice.Argument(2) Object scope) throws IOException {
        IOException refused = GuardBridge.egressHop("http-apache5-async-hop", scope, request);
        if (refused != null) {
            throw refused;
        }
    }
}
