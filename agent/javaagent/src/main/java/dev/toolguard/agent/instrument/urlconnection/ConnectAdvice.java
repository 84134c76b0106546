package dev.toolguard.agent.instrument.urlconnection;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;

/** Inlined at the start of the connection's socket opening: checked (and a credential added) before it connects. */
public final class ConnectAdvice {

    private ConnectAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.This Object connection) {
        GuardBridge.egress("http-url-connection", connection, connection);
    }
}
