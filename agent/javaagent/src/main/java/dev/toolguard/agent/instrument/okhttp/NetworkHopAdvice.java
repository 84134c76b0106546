package dev.toolguard.agent.instrument.okhttp;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;

import java.io.IOException;

/**
 * Inlined at the start of {@code RealCall.enterNetworkInterceptorExchange(request, ...)}, which each request of a call
 * passes before OkHttp finds it a connection: the first (as the application's interceptors left it), and each
 * follow-up OkHttp makes itself (a redirect). A request other than the one checked at {@code execute}/{@code enqueue}
 * is checked against that call; a refusal is an {@code IOException}, which OkHttp hands to the callback of an
 * enqueued call (a thrown unchecked exception would be lost on its dispatcher's thread).
 */
public final class NetworkHopAdvice {

    private NetworkHopAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.This Object call, @Advice.Argument(0) Object request) throws IOException {
        IOException refused = GuardBridge.egressHop("http-okhttp-hop", call, request);
        if (refused != null) {
            throw refused;
        }
    }
}
