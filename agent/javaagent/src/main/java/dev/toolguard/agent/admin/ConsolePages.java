package dev.toolguard.agent.admin;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;

/**
 * The web console (SPEC §16), answering {@code /} and {@code /console/...}. It signs people in with its own
 * session cookies, so the admin server hands such requests over before looking for a bearer token.
 */
@FunctionalInterface
public interface ConsolePages {

    void handle(HttpExchange exchange) throws IOException;

    /** What the console may use of the admin server that serves it. */
    interface Host {
        /** The user whose token this is, compared as the bearer tokens are (in constant time); empty for none. */
        java.util.Optional<AdminUser> userOf(String token);

        /** Where the anchor of the audit log's tail comes from, or null while the log is not open. */
        AuditAnchorSource auditAnchor();

        /** What the server grants a connection; a live stream ends before its connection's lifetime does. */
        AdminLimits limits();
    }
}
