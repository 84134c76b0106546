package dev.toolguard.agent.instrument.urlconnection;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the start of {@code plainConnect0()}, which opens every socket of a connection: a URL the first use did
 * not check (a redirect to another host) is checked here, before the socket.
 */
public final class SocketAdvice {

    private SocketAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.This Object connection) {
        GuardBridge.egress("http-url-connection-socket", connection, connection);
    }
}
