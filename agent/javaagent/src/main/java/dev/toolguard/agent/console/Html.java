package dev.toolguard.agent.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Builds the console's HTML. Every value is escaped as it is written ({@link #text}, {@link #attr}), so nothing read
 * from a call, a policy or a person can become markup. Scripts come only from the jar ({@code script-src 'self'}),
 * never inline.
 */
final class Html {

    static final String[][] NAV = {
            {"overview", "Overview"}, {"decisions", "Decisions"}, {"approvals", "Approvals"},
            {"policy", "Policy"}, {"audit", "Audit"}};
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private final StringBuilder out = new StringBuilder(8192);

    /** Escapes text for element content and attribute values alike. */
    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String time(Instant t) {
        return t == null ? "" : TIME.format(t) + "Z";
    }

    /** Markup written as is: only ever constants of the console's own. */
    Html raw(String markup) {
        out.append(markup);
        return this;
    }

    Html text(String s) {
        out.append(escape(s));
        return this;
    }

    Html attr(String name, String value) {
        out.append(' ').append(name).append("=\"").append(escape(value)).append('"');
        return this;
    }

    /** {@code <tag>text</tag>}. */
    Html el(String tag, String text) {
        return raw("<" + tag + ">").text(text).raw("</" + tag + ">");
    }

    /** A {@code <dt>}/{@code <dd>} pair. */
    Html pair(String term, String value) {
        return raw("<dt>").text(term).raw("</dt><dd>").text(value == null ? "—" : value).raw("</dd>");
    }

    /** The page around {@code body}: head, skip link, navigation with the current page marked, user and log-out. */
    static String page(String title, String current, Sessions.Session session, String body) {
        Html h = new Html();
        h.raw("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .raw("<meta name=\"htmx-config\" content='{\"includeIndicatorStyles\":false,\"allowEval\":false,"
                        + "\"allowScriptTags\":false,\"selfRequestsOnly\":true}'>")
                .raw("<title>").text(title + " · ToolGuard").raw("</title>")
                .raw("<link rel=\"stylesheet\" href=\"/console/static/uPlot.min.css\">")
                .raw("<link rel=\"stylesheet\" href=\"/console/static/console.css\">")
                .raw("<script src=\"/console/static/htmx.min.js\" defer></script>")
                .raw("<script src=\"/console/static/sse.js\" defer></script>")
                .raw("<script src=\"/console/static/uPlot.iife.min.js\" defer></script>")
                .raw("<script src=\"/console/static/console.js\" defer></script>")
                .raw("</head><body");
        if (session != null) {
            // htmx sends the session's CSRF token with every request it makes
            h.attr("hx-headers", "{\"X-CSRF-Token\":\"" + session.csrf() + "\"}");
        }
        h.raw("><a class=\"skip\" href=\"#main\">Skip to content</a><header><span class=\"brand\">ToolGuard</span>");
        if (session != null) {
            h.raw("<nav aria-label=\"WebConsole pages\"><ul>");
            for (String[] item : NAV) {
                h.raw("<li><a href=\"/console/" + item[0] + "\"");
                if (item[0].equals(current)) {
                    h.raw(" aria-current=\"page\"");
                }
                h.raw(">").text(item[1]).raw("</a></li>");
            }
            h.raw("</ul></nav><form class=\"logout\" method=\"post\" action=\"/console/logout\">")
                    .raw("<span id=\"signed-in\">").text(session.user().name() + " (" + session.user().role().configName() + ")")
                    .raw("</span><input type=\"hidden\" name=\"csrf\"").attr("value", session.csrf())
                    .raw("><button type=\"submit\" id=\"logout\">Log out</button></form>");
        }
        h.raw("</header><main id=\"main\" tabindex=\"-1\"><h1>").text(title).raw("</h1>").raw(body)
                .raw("</main></body></html>");
        return h.toString();
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
