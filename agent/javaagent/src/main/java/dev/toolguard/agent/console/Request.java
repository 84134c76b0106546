package dev.toolguard.agent.console;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** One console request: its method, path, query, form fields and cookies, read once. */
final class Request {

    final HttpExchange exchange;
    final String method;
    final String path;
    final Map<String, String> query;
    private Map<String, String> form;

    Request(HttpExchange exchange) {
        this.exchange = exchange;
        this.method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        this.path = exchange.getRequestURI().getPath();
        this.query = pairs(exchange.getRequestURI().getRawQuery());
    }

    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /** True for requests htmx makes, which are answered with a fragment rather than a whole page. */
    boolean fromHtmx() {
        return "true".equals(header("HX-Request"));
    }

    String cookie(String name) {
        var all = exchange.getRequestHeaders().get("Cookie");
        if (all == null) {
            return null;
        }
        for (String header : all) {
            for (String part : header.split(";")) {
                int eq = part.indexOf('=');
                if (eq > 0 && part.substring(0, eq).trim().equals(name)) {
                    return part.substring(eq + 1).trim();
                }
            }
        }
        return null;
    }

    /** The url-encoded form of a POST (the server already bounded its size by {@code admin.max_body_bytes}). */
    Map<String, String> form() throws IOException {
        if (form == null) {
            try (InputStream in = exchange.getRequestBody()) {
                String type = header("Content-Type");
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                form = type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")
                        ? pairs(body) : Map.of();
            }
        }
        return form;
    }

    /** {@code a=1&b=2}, decoded; the first of a repeated name wins. */
    static Map<String, String> pairs(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String name = eq < 0 ? part : part.substring(0, eq);
            String value = eq < 0 ? "" : part.substring(eq + 1);
            try {
                out.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // a malformed escape: the field is left out
            }
        }
        return out;
    }
}
