package dev.toolguard.agent.admin;

import java.time.Duration;

/**
 * What the admin server grants one client (SPEC §13.12), so that slow, half-open or greedy clients cannot
 * stall it. Every connection carries one request and is closed after its response.
 *
 * @param headerTimeout  the whole request line and headers must arrive within this, counted from the accept
 * @param readTimeout    the whole body must arrive within this once the headers are in; the response must
 *                       be taken within this too
 * @param maxConnections connections served at once; when all are taken, the one that has waited longest for
 *                       its headers is closed to make room, and failing that the newcomer gets a 503
 * @param maxBodyBytes   larger request bodies are refused with 413 before they are read
 * @param maxHeaderBytes larger request heads (request line and headers) are refused with 431
 */
public record AdminLimits(Duration headerTimeout, Duration readTimeout, int maxConnections, int maxBodyBytes,
                          int maxHeaderBytes) {

    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_CONNECTIONS = 16;
    /** An approval decision is a few hundred bytes. */
    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_HEADER_BYTES = 16 * 1024;

    public static final AdminLimits DEFAULT = new AdminLimits(DEFAULT_HEADER_TIMEOUT, DEFAULT_READ_TIMEOUT,
            DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_HEADER_BYTES);

    public AdminLimits {
        if (headerTimeout == null || headerTimeout.isNegative() || headerTimeout.isZero()
                || readTimeout == null || readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("admin timeouts must be positive");
        }
        if (maxConnections < 1 || maxBodyBytes < 0 || maxHeaderBytes < 256) {
            throw new IllegalArgumentException("admin limits out of range");
        }
    }

    /** The longest a connection may live: headers, body, and taking the response. */
    Duration connectionLifetime() {
        return headerTimeout.plus(readTimeout).plus(readTimeout);
    }
}
