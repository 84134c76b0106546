package dev.toolguard.agent.instrument.urlconnection;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the start of {@code connect()}, {@code getOutputStream()} and {@code getInputStream()}: the first use of a
 * connection is checked (and given a credential) before the connection starts connecting, while its request headers
 * can still be set; later uses, and calls from inside its own connecting, are not checked again here.
 */
public final class ConnectAdvice {

    private ConnectAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.This Object connection, @Advice.FieldValue("connected") boolean connected,
                      @Advice.FieldValue("connecting") boolean connecting) {
        if (!connected && !connecting) {
            GuardBridge.egress("http-url-connection", connection, connection);
        }
    }
}
