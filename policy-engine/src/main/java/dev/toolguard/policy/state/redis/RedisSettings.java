package dev.toolguard.policy.state.redis;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the shared state lives and how long to wait for it (SPEC §14 {@code state.redis}).
 *
 * @param url      {@code redis://[user:password@]host[:port][/db]}, or {@code rediss://} for TLS
 * @param password the password from {@code password_env}, or null (then the URL's, if any)
 * @param prefix   put before every key: replicas that share state share the prefix
 * @param timeout  per operation; a store slower than this counts as not answering
 */
public record RedisSettings(URI url, String password, String prefix, Duration timeout) {

    public RedisSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(timeout, "timeout");
    }

    /** What is wrong with {@code url} as a Redis URL, or null when nothing is. */
    public static String urlProblem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            return "not a URL: " + e.getMessage();
        }
        if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
            return "the URL must start with redis:// or rediss://";
        }
        if (uri.getHost() == null) {
            return "the URL names no host";
        }
        String path = uri.getPath();
        if (path != null && !path.isEmpty() && !path.equals("/") && !path.substring(1).matches("\\d{1,2}")) {
            return "the URL's path must be a database number (e.g. /0)";
        }
        return null;
    }

    boolean tls() {
        return "rediss".equals(url.getScheme());
    }

    int port() {
        return url.getPort() > 0 ? url.getPort() : 6379;
    }

    int database() {
        String path = url.getPath();
        return path == null || path.length() <= 1 ? 0 : Integer.parseInt(path.substring(1));
    }

    /** The user of the URL's user info ({@code user:password@}), or null. */
    String user() {
        String info = url.getUserInfo();
        if (info == null || !info.contains(":")) {
            return null;
        }
        String user = info.substring(0, info.indexOf(':'));
        return user.isEmpty() ? null : user;
    }

    /** {@link #password}, else the URL's. */
    String effectivePassword() {
        if (password != null) {
            return password;
        }
        String info = url.getUserInfo();
        return info == null ? null : info.substring(info.indexOf(':') + 1);
    }

    /** The URL without its user info, for messages. */
    String where() {
        return url.getScheme() + "://" + url.getHost() + ":" + port() + "/" + database();
    }
}
