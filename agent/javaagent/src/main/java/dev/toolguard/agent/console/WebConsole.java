package dev.toolguard.agent.console;

import com.sun.net.httpserver.HttpExchange;
import dev.toolguard.agent.admin.AdminRole;
import dev.toolguard.agent.admin.AdminUser;
import dev.toolguard.agent.admin.ConsolePages;
import dev.toolguard.agent.admin.Metrics;
import dev.toolguard.agent.admin.PolicyStatus;
import dev.toolguard.policy.approval.ApprovalService;
import dev.toolguard.policy.state.DecisionStream;
import dev.toolguard.policy.values.Redaction;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The web console of SPEC §16, at {@code /} on the admin server. People sign in with their own admin token, which
 * buys a session cookie ({@code HttpOnly}, {@code SameSite=Strict}, and {@code Secure} behind TLS); every POST of a
 * session must carry its CSRF token and, when the browser says where it comes from, come from this origin. The
 * pages are rendered here (every value escaped, see {@link Html}); htmx, its server-sent-events extension and uPlot
 * come from WebJars inside the agent jar. Made when a console page is first asked for.
 */
public final class WebConsole implements ConsolePages {

    static final String COOKIE = "toolguard_session";
    static final String CSRF_HEADER = "X-CSRF-Token";

    /**
     * What the console shows, handed over by the agent.
     *
     * @param fleet the fleet view's stream with {@code state.store: redis} (SPEC §16), else null
     */
    public record Wiring(ApprovalService approvals, PolicyStatus policy, PolicyTexts texts, Metrics metrics,
                         Path auditFile, Redaction redaction, ApprovalContext approvalContext, DecisionStream fleet) {
    }

    /** What the deciding bundle says of an approval's rule: its reason and the bundle's version. */
    public interface ApprovalContext {
        /** The reason the rule {@code rule} of tool {@code tool} gives, or null. */
        String ruleReason(String tool, String rule);

        /** The version of the bundle named {@code policy} when it is the one deciding, or null. */
        String policyVersion(String policy);
    }

    private final Host host;
    private final Sessions sessions = new Sessions(Clock.systemUTC());
    private final Pages pages;

    public WebConsole(Host host, Wiring wiring) {
        this.host = host;
        DecisionSource decisions = wiring.fleet() != null
                ? FleetDecisions.start(wiring.fleet(), wiring.auditFile(), Clock.systemUTC())
                : wiring.auditFile() == null ? new NoDecisions(
                "the audit log goes to standard error (audit.file: -), so the console cannot read decisions back")
                : AuditTail.start(wiring.auditFile(), Clock.systemUTC());
        this.pages = new Pages(host, wiring, decisions);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Request r = new Request(exchange);
        securityHeaders(exchange);
        if (r.path.startsWith("/console/static/")) {
            if (r.method.equals("GET")) {
                Assets.serve(exchange, r.path.substring("/console/static/".length()));
            } else {
                sendText(exchange, 405, "text/plain", "GET only");
            }
            return;
        }
        if (r.path.equals("/console/login")) {
            login(r);
            return;
        }
        Optional<Sessions.Session> session = sessions.find(r.cookie(COOKIE));
        if (session.isEmpty()) {
            if (r.method.equals("GET") && !r.fromHtmx() && !r.path.endsWith("/stream") && !r.path.endsWith("/data")) {
                redirect(exchange, "/console/login");
            } else {
                sendText(exchange, 401, "application/json", "{\"error\":\"not signed in\"}");
            }
            return;
        }
        Sessions.Session s = session.get();
        if (!r.method.equals("GET") && !r.method.equals("HEAD")) {
            String refused = csrfRefusal(r, s);
            if (refused != null) {
                sendText(exchange, 403, "application/json", "{\"error\":\"" + refused + "\"}");
                return;
            }
        }
        if (r.path.equals("/console/logout")) {
            if (!r.method.equals("POST")) {
                sendText(exchange, 405, "text/plain", "POST only");
                return;
            }
            sessions.close(s.id());
            exchange.getResponseHeaders().add("Set-Cookie", cookie(r, "", 0));
            redirect(exchange, "/console/login");
            return;
        }
        pages.handle(r, s);
    }

    /**
     * False when the browser says the request comes from a page of another origin ({@code Origin} is sent with every
     * POST by current browsers): a second fence after the CSRF token and {@code SameSite=Strict}. An opaque origin
     * ({@code null}, which a browser sends when a referrer policy withholds it) says nothing either way.
     */
    private static boolean sameOrigin(Request r) {
        String origin = r.header("Origin");
        String host = r.header("Host");
        return origin == null || origin.equals("null") || host == null || origin.equals("http://" + host)
                || origin.equals("https://" + host);
    }

    /** Null when the POST may go on; else why it is refused. */
    private static String csrfRefusal(Request r, Sessions.Session s) throws IOException {
        if (!sameOrigin(r)) {
            return "the request comes from another origin (" + r.header("Origin") + ")";
        }
        String token = r.header(CSRF_HEADER);
        if (token == null) {
            token = r.form().get("csrf");
        }
        if (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                s.csrf().getBytes(StandardCharsets.UTF_8))) {
            return "missing or wrong CSRF token";
        }
        return null;
    }

    private void login(Request r) throws IOException {
        if (r.method.equals("GET")) {
            Optional<Sessions.Session> already = sessions.find(r.cookie(COOKIE));
            if (already.isPresent()) {
                redirect(r.exchange, "/console/overview");
            } else {
                sendHtml(r.exchange, 200, Html.page("Sign in", null, null, Pages.loginForm(null)));
            }
            return;
        }
        if (!r.method.equals("POST")) {
            sendText(r.exchange, 405, "text/plain", "GET or POST");
            return;
        }
        if (!sameOrigin(r)) {
            sendText(r.exchange, 403, "application/json", "{\"error\":\"the request comes from another origin\"}");
            return;
        }
        Map<String, String> form = r.form();
        Optional<AdminUser> user = host.userOf(form.get("token"));
        if (user.isEmpty()) {
            sendHtml(r.exchange, 401, Html.page("Sign in", null, null,
                    Pages.loginForm("That token belongs to no user of admin.users (or admin.token_env).")));
            return;
        }
        Sessions.Session s = sessions.open(user.get());
        r.exchange.getResponseHeaders().add("Set-Cookie", cookie(r, s.id(), -1));
        redirect(r.exchange, "/console/overview");
    }

    /** The session cookie; {@code maxAge} 0 deletes it, -1 lasts as long as the browser does. */
    private static String cookie(Request r, String value, int maxAge) {
        StringBuilder c = new StringBuilder(COOKIE).append('=').append(value)
                .append("; Path=/; HttpOnly; SameSite=Strict");
        // the admin server speaks plain HTTP; behind a TLS proxy that says so, the cookie is never sent in clear
        if ("https".equalsIgnoreCase(r.header("X-Forwarded-Proto"))) {
            c.append("; Secure");
        }
        if (maxAge >= 0) {
            c.append("; Max-Age=").append(maxAge);
        }
        return c.toString();
    }

    static boolean mayDecide(AdminRole role) {
        return role.covers(AdminRole.APPROVER);
    }

    private static void securityHeaders(HttpExchange exchange) {
        var h = exchange.getResponseHeaders();
        h.set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
                + " img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        // same-origin, not no-referrer: under no-referrer browsers send "Origin: null", and the origin check is blind
        h.set("Referrer-Policy", "same-origin");
    }

    static void redirect(HttpExchange exchange, String to) throws IOException {
        exchange.getResponseHeaders().set("Location", to);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(303, -1);
    }

    static void sendHtml(HttpExchange exchange, int status, String html) throws IOException {
        sendText(exchange, status, "text/html; charset=utf-8", html);
    }

    static void sendText(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** The static files: the console's own and the WebJars' few, by a fixed list (never a path from the request). */
    static final class Assets {
        private static final String WEBJARS = "META-INF/resources/webjars/";
        private static final Map<String, String[]> FILES = Map.of(
                "htmx.min.js", new String[] {WEBJARS + "htmx.org/2.0.4/dist/htmx.min.js", "text/javascript"},
                "sse.js", new String[] {WEBJARS + "htmx-ext-sse/2.2.2/sse.js", "text/javascript"},
                "uPlot.iife.min.js", new String[] {WEBJARS + "uplot/1.6.30/dist/uPlot.iife.min.js", "text/javascript"},
                "uPlot.min.css", new String[] {WEBJARS + "uplot/1.6.30/dist/uPlot.min.css", "text/css"},
                "console.css", new String[] {"dev/toolguard/agent/console/console.css", "text/css"},
                "console.js", new String[] {"dev/toolguard/agent/console/console.js", "text/javascript"});

        static void serve(HttpExchange exchange, String name) throws IOException {
            String[] file = FILES.get(name);
            InputStream in = file == null ? null : WebConsole.class.getClassLoader().getResourceAsStream(file[0]);
            if (in == null) {
                sendText(exchange, 404, "text/plain", "no such file");
                return;
            }
            byte[] bytes;
            try (in) {
                bytes = in.readAllBytes();
            }
            exchange.getResponseHeaders().set("Content-Type", file[1] + "; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "max-age=3600");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
