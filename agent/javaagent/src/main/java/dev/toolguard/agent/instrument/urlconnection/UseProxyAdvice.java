package dev.toolguard.agent.instrument.urlconnection;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;

import java.net.URL;

/**
 * Inlined at the start of {@code followRedirect0(location, status, url)}. A {@code 305 Use Proxy} answer makes the
 * connection send its request again, unchanged, through the "proxy" its {@code Location} names: a socket to that host
 * that no connect of the connection's own URL shows. That host is checked here, as the egress it is, before the
 * connection is made; other redirects change the URL and are checked where the connection connects again.
 */
public final class UseProxyAdvice {

    private UseProxyAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.This Object connection, @Advice.Argument(1) int status, @Advice.Argument(2) URL location) {
        if (status == 305) {
            GuardBridge.egress("http-url-connection-proxy-hop", connection, location);
        }
    }
}
