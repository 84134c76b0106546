package dev.toolguard.agent.egress;

import java.net.URL;
import java.net.URLConnection;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The URL each {@code HttpURLConnection} was allowed for at its first use, until the connection is collected: the
 * sockets it then opens for that URL are not checked (and written) a second time, while a redirect to another URL is.
 */
final class CheckedConnections {

    private final Map<Object, URL> allowed = new WeakHashMap<>();

    synchronized void allowed(Object connection) {
        allowed.put(connection, ((URLConnection) connection).getURL());
    }

    /** Whether the connection was allowed for another URL than its current one: it follows a redirect. */
    synchronized boolean redirected(Object connection) {
        URL url = allowed.get(connection);
        return url != null && url != ((URLConnection) connection).getURL();
    }

    /** Whether the connection's current URL is the one it was allowed for. */
    synchronized boolean checked(Object connection) {
        URL url = allowed.get(connection);
        // the same URL object: a redirect builds a new one, whatever its text
        return url != null && url == ((URLConnection) connection).getURL();
    }
}
