package dev.toolguard.agent.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.toolguard.agent.admin.AdminRole;
import dev.toolguard.agent.admin.AuditAnchorSource;
import dev.toolguard.agent.admin.ConsolePages;
import dev.toolguard.agent.admin.PolicyStatus;
import dev.toolguard.policy.approval.Approval;
import dev.toolguard.policy.approval.ApprovalJson;
import dev.toolguard.policy.approval.ApprovalStoreUnavailableException;
import dev.toolguard.policy.approval.ApproverVerdict;
import dev.toolguard.policy.audit.AuditAnchor;
import dev.toolguard.policy.audit.AuditVerification;
import dev.toolguard.policy.audit.AuditVerifier;
import dev.toolguard.policy.audit.AuditWriteException;
import dev.toolguard.policy.values.JsonWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The console's pages (SPEC §16): Overview, Decisions, Approvals, Policy and Audit, each a whole page for a
 * browser's navigation and a fragment for the requests htmx makes inside it. Whatever shows a call's values shows
 * them as the audit log wrote them (decisions) or through the same redaction (pending approvals).
 */
final class Pages {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int LISTED = 200;

    private final ConsolePages.Host host;
    private final WebConsole.Wiring wiring;
    private final DecisionSource decisions;

    Pages(ConsolePages.Host host, WebConsole.Wiring wiring, DecisionSource decisions) {
        this.host = host;
        this.wiring = wiring;
        this.decisions = decisions;
    }

    void handle(Request r, Sessions.Session s) throws IOException {
        String p = r.path;
        boolean get = r.method.equals("GET") || r.method.equals("HEAD");
        if (p.startsWith("/console/overview") || p.startsWith("/console/decisions") || p.startsWith("/console/approvals")) {
            decisions.viewed(); // these pages show the fleet's records, which go to Redis only while a console is viewed
        }
        if (p.equals("/") || p.equals("/console") || p.equals("/console/")) {
            WebConsole.redirect(r.exchange, "/console/overview");
        } else if (get && p.equals("/console/overview")) {
            page(r, s, "Overview", "overview", overview());
        } else if (get && p.equals("/console/overview/data")) {
            WebConsole.sendText(r.exchange, 200, "application/json", overviewData());
        } else if (get && p.equals("/console/decisions")) {
            page(r, s, "Decisions", "decisions", decisionsPage(r.query));
        } else if (r.method.equals("GET") && p.equals("/console/decisions/stream")) {
            stream(r);
        } else if (get && p.startsWith("/console/decisions/")) {
            decisionDetail(r, s, p.substring("/console/decisions/".length()));
        } else if (get && p.equals("/console/approvals")) {
            page(r, s, "Approvals", "approvals", approvals(s));
        } else if (r.method.equals("POST") && p.startsWith("/console/approvals/")) {
            decide(r, s, p.substring("/console/approvals/".length()));
        } else if (get && p.equals("/console/policy")) {
            page(r, s, "Policy", "policy", policy());
        } else if (get && p.equals("/console/audit")) {
            page(r, s, "Audit", "audit", audit());
        } else if (r.method.equals("POST") && p.equals("/console/audit/verify")) {
            WebConsole.sendHtml(r.exchange, 200, verify());
        } else {
            WebConsole.sendText(r.exchange, 404, "application/json", "{\"error\":\"no such console page\"}");
        }
    }

    private static void page(Request r, Sessions.Session s, String title, String current, String body) throws IOException {
        WebConsole.sendHtml(r.exchange, 200, Html.page(title, current, s, body));
    }

    static String loginForm(String problem) {
        Html h = new Html();
        if (problem != null) {
            h.raw("<p class=\"error\" role=\"alert\" id=\"login-error\">").text(problem).raw("</p>");
        }
        h.raw("<form method=\"post\" action=\"/console/login\" class=\"login\">")
                .raw("<label for=\"token\">Your admin token</label>")
                .raw("<input type=\"password\" id=\"token\" name=\"token\" required autocomplete=\"current-password\"")
                .raw(" aria-describedby=\"token-help\" autofocus>")
                .raw("<p id=\"token-help\" class=\"help\">The token of your entry in <code>admin.users</code>"
                        + " (from its <code>token_env</code> variable), or the <code>admin.token_env</code> token.</p>")
                .raw("<button type=\"submit\" id=\"sign-in\">Sign in</button></form>");
        return h.toString();
    }

    // ---- Overview

    private String overview() {
        Map<String, Long> totals = wiring.metrics().totalsByAction();
        Html h = new Html();
        h.raw("<section aria-labelledby=\"totals-h\"><h2 id=\"totals-h\">")
                .text(decisions.fleet() ? "Decisions of this replica since it started" : "Decisions since the agent started")
                .raw("</h2>")
                .raw("<dl class=\"totals\">")
                .raw("<div><dt>Allowed</dt><dd id=\"total-allow\">").text(String.valueOf(totals.get("allow"))).raw("</dd></div>")
                .raw("<div><dt>Denied</dt><dd id=\"total-deny\">").text(String.valueOf(totals.get("deny"))).raw("</dd></div>")
                .raw("<div><dt>Would need approval (shadow)</dt><dd id=\"total-require-approval\">")
                .text(String.valueOf(totals.get("require_approval"))).raw("</dd></div>")
                .raw("<div><dt>Approvals pending</dt><dd id=\"total-pending\">")
                .text(pendingCount()).raw("</dd></div></dl>")
                .raw("<p class=\"help\">The same counts as <code>toolguard_decisions_total</code> in"
                        + " <code>/metrics</code>.</p></section>");
        unavailable(h);
        DecisionSource.Hour hour = decisions.lastHour(Instant.now());
        if (decisions.fleet()) {
            fleetTotals(h, hour);
        }
        h.raw("<div data-overview=\"/console/overview/data\">")
                .raw(chart("chart-actions", "Decisions per minute by action, the last hour"))
                .raw(chart("chart-latency", "Decision latency p50 and p99 (milliseconds), the last hour"))
                .raw(chart("chart-tools", "Deny rate by tool (percent of its decisions), the last hour"))
                .raw(chart("chart-rules", "Denials by rule, the last hour"))
                .raw("</div>");
        h.raw("<section aria-labelledby=\"tools-h\"><h2 id=\"tools-h\">Deny rate by tool, the last hour</h2>")
                .raw("<table id=\"deny-by-tool\"><thead><tr><th scope=\"col\">Tool</th><th scope=\"col\">Denied</th>")
                .raw("<th scope=\"col\">Decided</th><th scope=\"col\">Deny rate</th></tr></thead><tbody>");
        hour.denyByTool().forEach((tool, c) -> h.raw("<tr><td>").text(tool).raw("</td><td>").text(String.valueOf(c[0]))
                .raw("</td><td>").text(String.valueOf(c[1])).raw("</td><td>")
                .text(c[1] == 0 ? "—" : String.format(Locale.ROOT, "%.1f %%", 100.0 * c[0] / c[1])).raw("</td></tr>"));
        h.raw("</tbody></table></section>");
        h.raw("<section aria-labelledby=\"rules-h\"><h2 id=\"rules-h\">Denials by rule, the last hour</h2>")
                .raw("<table id=\"deny-by-rule\"><thead><tr><th scope=\"col\">Rule</th><th scope=\"col\">Denied</th></tr>")
                .raw("</thead><tbody>");
        hour.denyByRule().forEach((rule, n) -> h.raw("<tr><td>").text(rule).raw("</td><td>").text(String.valueOf(n))
                .raw("</td></tr>"));
        h.raw("</tbody></table></section>");
        return h.toString();
    }

    /** The last hour's decisions of every replica, by action: what the charts below draw, as numbers. */
    private void fleetTotals(Html h, DecisionSource.Hour hour) {
        h.raw("<section aria-labelledby=\"fleet-h\"><h2 id=\"fleet-h\">Decisions of the whole fleet, the last hour</h2>");
        scope(h);
        h.raw("<dl class=\"totals\">");
        String[][] shown = {{"allow", "Allowed"}, {"deny", "Denied"}, {"require_approval", "Would need approval (shadow)"}};
        for (String[] a : shown) {
            long sum = 0;
            for (long n : hour.byAction().getOrDefault(a[0], new long[0])) {
                sum += n;
            }
            h.raw("<div><dt>").text(a[1]).raw("</dt><dd").attr("id", "fleet-" + a[0].replace('_', '-')).raw(">")
                    .text(String.valueOf(sum)).raw("</dd></div>");
        }
        h.raw("</dl></section>");
    }

    /** How many approvals wait, or why that cannot be said (their store does not answer): the page still shows. */
    private String pendingCount() {
        try {
            return String.valueOf(wiring.approvals().pending().size());
        } catch (ApprovalStoreUnavailableException e) {
            return "unknown: " + e.getMessage();
        }
    }

    private static String chart(String id, String title) {
        Html h = new Html();
        h.raw("<figure class=\"chart\"><figcaption").attr("id", id + "-title").raw(">").text(title)
                .raw("</figcaption><div class=\"plot\" role=\"img\"").attr("id", id).attr("aria-labelledby", id + "-title")
                .raw("></div></figure>");
        return h.toString();
    }

    /** The charts' data: numbers and names only (tool and rule names), as JSON. */
    private String overviewData() {
        return overviewJson(decisions.lastHour(Instant.now()), wiring.redaction());
    }

    static String overviewJson(DecisionSource.Hour hour, dev.toolguard.policy.values.Redaction redaction) {
        JsonWriter json = new JsonWriter(redaction).beginObject();
        json.name("minutes").beginArray();
        for (long m : hour.minutes()) {
            json.number(m);
        }
        json.endArray();
        hour.byAction().forEach((action, counts) -> {
            json.name(action).beginArray();
            for (long c : counts) {
                json.number(c);
            }
            json.endArray();
        });
        series(json, "p50", hour.p50Millis());
        series(json, "p99", hour.p99Millis());
        json.name("tools").beginArray();
        hour.denyByTool().forEach((tool, c) -> json.beginObject().field("tool", tool).field("denied", c[0])
                .field("decided", c[1]).endObject());
        json.endArray().name("rules").beginArray();
        hour.denyByRule().forEach((rule, n) -> json.beginObject().field("rule", rule).field("denied", n).endObject());
        json.endArray().endObject();
        return json.toString();
    }

    private static void series(JsonWriter json, String name, Double[] values) {
        json.name(name).beginArray();
        for (Double v : values) {
            if (v == null) {
                json.nullValue();
            } else {
                json.value(Math.round(v * 10_000) / 10_000.0);
            }
        }
        json.endArray();
    }

    /** What the decisions shown cover (the fleet, its replicas), when the source says. */
    private void scope(Html h) {
        String scope = decisions.scope();
        if (scope != null) {
            h.raw("<p class=\"note\" id=\"scope\">").text(scope).raw("</p>");
        }
    }

    private void unavailable(Html h) {
        String why = decisions.unavailable();
        if (why != null) {
            h.raw("<p class=\"error\" role=\"status\">").text(why).raw("</p>");
        }
    }

    // ---- Decisions

    private static final String[] FILTERS = {"tool", "action", "user", "rule", "replica"};

    private static Predicate<DecisionSource.Decision> filter(Map<String, String> q) {
        String tool = blankToNull(q.get("tool"));
        String action = blankToNull(q.get("action"));
        String user = blankToNull(q.get("user"));
        String rule = blankToNull(q.get("rule"));
        String replica = blankToNull(q.get("replica"));
        return d -> (tool == null || tool.equals(d.tool())) && (action == null || action.equals(d.action()))
                && (user == null || user.equals(d.user())) && (rule == null || rule.equals(d.rule()))
                && (replica == null || replica.equals(d.replica()));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private String decisionsPage(Map<String, String> q) {
        Html h = new Html();
        h.raw("<form method=\"get\" action=\"/console/decisions\" class=\"filters\" aria-label=\"Filter decisions\">");
        for (String f : FILTERS) {
            if (f.equals("replica") && !decisions.fleet()) {
                continue; // one process: every decision is its own
            }
            String id = "filter-" + f;
            h.raw("<div><label").attr("for", id).raw(">").text(f.substring(0, 1).toUpperCase(Locale.ROOT) + f.substring(1))
                    .raw("</label>");
            if (f.equals("action")) {
                h.raw("<select").attr("id", id).attr("name", f).raw("><option value=\"\">any</option>");
                for (String a : KeptDecisions.ACTIONS) {
                    h.raw("<option").attr("value", a);
                    if (a.equals(q.get(f))) {
                        h.raw(" selected");
                    }
                    h.raw(">").text(a).raw("</option>");
                }
                h.raw("</select>");
            } else {
                h.raw("<input type=\"text\"").attr("id", id).attr("name", f).attr("value", q.getOrDefault(f, "")).raw(">");
            }
            h.raw("</div>");
        }
        h.raw("<button type=\"submit\">Apply filters</button></form>");
        scope(h);
        unavailable(h);
        StringBuilder streamUrl = new StringBuilder("/console/decisions/stream?after=").append(decisions.latest());
        for (String f : FILTERS) {
            String v = blankToNull(q.get(f));
            if (v != null) {
                streamUrl.append('&').append(f).append('=').append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        }
        h.raw("<table class=\"decisions\"><caption>Newest first. Decisions appear here as they are made;"
                        + " open one to read its whole record.</caption><thead><tr><th scope=\"col\">Time (UTC)</th>")
                .raw("<th scope=\"col\">Tool</th><th scope=\"col\">Action</th><th scope=\"col\">User</th>")
                .raw("<th scope=\"col\">Rule</th><th scope=\"col\">Reason</th>")
                .raw(decisions.fleet() ? "<th scope=\"col\">Replica</th>" : "").raw("</tr></thead>")
                .raw("<tbody id=\"decision-rows\" hx-ext=\"sse\"").attr("sse-connect", streamUrl.toString())
                .raw(" sse-swap=\"decision\" hx-swap=\"afterbegin\">");
        for (DecisionSource.Decision d : decisions.recent(LISTED, filter(q))) {
            h.raw(row(d));
        }
        h.raw("</tbody></table><section id=\"detail\" aria-live=\"polite\" aria-label=\"Decision record\"></section>");
        return h.toString();
    }

    /** One decision as a table row; its time opens the whole record. */
    static String row(DecisionSource.Decision d) {
        Html h = new Html();
        String href = "/console/decisions/" + d.id();
        h.raw("<tr").attr("id", "d-" + d.id()).attr("class", "action-" + d.action()).raw("><td><a")
                .attr("href", href).attr("hx-get", href).attr("hx-target", "#detail").raw(">")
                .text(Html.time(d.ts())).raw("</a></td><td>").text(d.tool()).raw("</td><td>")
                .text(d.action() + (d.enforced() ? "" : " (shadow)")).raw("</td><td>").text(d.user()).raw("</td><td>")
                .text(d.rule()).raw("</td><td>").text(d.reason()).raw("</td>");
        if (d.replica() != null) {
            h.raw("<td>").text(d.replica()).raw("</td>"); // a fleet's: its table has the column
        }
        h.raw("</tr>");
        return h.toString();
    }

    private void decisionDetail(Request r, Sessions.Session s, String id) throws IOException {
        Optional<DecisionSource.Decision> d = decisions.find(id);
        Html h = new Html();
        if (d.isEmpty()) {
            h.raw("<p role=\"status\">").text("No decision " + id + " among the last " + KeptDecisions.KEPT_DECISIONS
                    + " read; verify-audit and the audit log itself have every one.").raw("</p>");
        } else {
            h.raw("<h2 id=\"record-h\">").text("Decision " + d.get().id()).raw("</h2><pre class=\"record\" tabindex=\"0\"")
                    .raw(" aria-labelledby=\"record-h\">").text(pretty(d.get().record())).raw("</pre>");
        }
        if (r.fromHtmx()) {
            WebConsole.sendHtml(r.exchange, d.isEmpty() ? 404 : 200, h.toString());
        } else {
            WebConsole.sendHtml(r.exchange, d.isEmpty() ? 404 : 200, Html.page("Decision", "decisions", s, h.toString()));
        }
    }

    private static String pretty(String json) {
        try {
            return JSON.writeValueAsString(JSON.readTree(json));
        } catch (IOException e) {
            return json;
        }
    }

    /**
     * Server-sent events of new decisions (each a table row). A stream ends before the admin server's connection
     * lifetime would cut it (SPEC §13.12 keeps every connection short); the browser reconnects at once with the
     * id of the last event it had, and misses nothing that is still kept.
     */
    private void stream(Request r) throws IOException {
        long after;
        try {
            String last = r.header("Last-Event-ID");
            after = Long.parseLong(last != null ? last : r.query.getOrDefault("after", "0"));
        } catch (NumberFormatException e) {
            after = decisions.latest();
        }
        if (after > decisions.latest()) {
            // an id from before the application restarted: this process numbers anew, so start from now
            after = decisions.latest();
        }
        Predicate<DecisionSource.Decision> filter = filter(r.query);
        r.exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        r.exchange.getResponseHeaders().set("Cache-Control", "no-store");
        r.exchange.sendResponseHeaders(200, 0);
        long lifetime = Math.max(1000, host.limits().readTimeout().toMillis() - 500);
        long until = System.currentTimeMillis() + lifetime;
        try (OutputStream out = r.exchange.getResponseBody()) {
            out.write("retry: 300\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (true) {
                long left = until - System.currentTimeMillis();
                if (left <= 0) {
                    break;
                }
                decisions.viewed(); // an open Decisions page, as long as its stream lasts
                long latest = decisions.awaitAfter(after, Math.min(left, 5000));
                StringBuilder events = new StringBuilder();
                for (DecisionSource.Decision d : decisions.after(after, filter)) {
                    events.append("id: ").append(d.seq()).append("\nevent: decision\ndata: ")
                            .append(row(d).replace('\r', ' ').replace('\n', ' ')).append("\n\n");
                }
                if (latest > after) {
                    // moves the browser's last event id past decisions the filter left out, too
                    events.append("id: ").append(latest).append("\n\n");
                    after = latest;
                } else {
                    events.append(": still here\n\n");
                }
                out.write(events.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- Approvals

    private String approvals(Sessions.Session s) {
        Html h = new Html();
        List<Approval> pending;
        String unlisted = null;
        try {
            pending = wiring.approvals().pending();
        } catch (ApprovalStoreUnavailableException e) {
            // the fleet's approvals live in Redis: none can be listed or decided now, and the page says so
            pending = List.of();
            unlisted = e.getMessage();
        }
        h.raw("<section aria-labelledby=\"pending-h\"><h2 id=\"pending-h\">Pending (")
                .text(unlisted == null ? String.valueOf(pending.size()) : "unknown").raw(")</h2>");
        if (unlisted != null) {
            h.raw("<p class=\"error\" role=\"status\" id=\"approvals-unavailable\">")
                    .text("The pending approvals cannot be listed: " + unlisted).raw("</p>");
        }
        if (!WebConsole.mayDecide(s.user().role())) {
            h.raw("<p class=\"note\" id=\"viewer-note\">").text("You are signed in as " + s.user().name()
                    + ", a viewer: you can read approvals; deciding them needs the role approver.").raw("</p>");
        }
        if (pending.isEmpty() && unlisted == null) {
            h.raw("<p id=\"no-pending\">Nothing waits for a decision.</p>");
        }
        for (Approval a : pending) {
            h.raw(approvalCard(a, s));
        }
        h.raw("</section>");
        unavailable(h);
        h.raw("<section aria-labelledby=\"decided-h\"><h2 id=\"decided-h\">Recently decided</h2>")
                .raw("<table id=\"decided\"><thead><tr><th scope=\"col\">Approval</th><th scope=\"col\">Outcome</th>")
                .raw("<th scope=\"col\">By</th><th scope=\"col\">Reason</th><th scope=\"col\">When (UTC)</th></tr></thead><tbody>");
        for (DecisionSource.ApprovalEvent e : decisions.decidedApprovals(20)) {
            h.raw("<tr><td>").text(e.id()).raw("</td><td>").text(e.event()).raw("</td><td>").text(e.by())
                    .raw("</td><td>").text(e.reason()).raw("</td><td>").text(Html.time(e.ts())).raw("</td></tr>");
        }
        h.raw("</tbody></table></section>");
        return h.toString();
    }

    private String approvalCard(Approval a, Sessions.Session s) {
        JsonNode shown = redacted(a);
        JsonNode ctx = redactedCtx(a);
        String id = a.id();
        String heading = "h-" + id;
        Html h = new Html();
        h.raw("<article class=\"approval\"").attr("id", "apr-" + id).attr("aria-labelledby", heading).raw("><h3")
                .attr("id", heading).raw(">").text(a.tool() + " — " + id).raw("</h3><dl>")
                .raw("<dt>Arguments</dt><dd><pre class=\"args\">").text(prettyNode(shown.path("args"))).raw("</pre></dd>")
                .pair("Caller", KeptDecisions.text(ctx.path("user").path("id")))
                .pair("Tenant", KeptDecisions.text(ctx.path("tenant")))
                .pair("Session", KeptDecisions.text(ctx.path("session").path("id")))
                .pair("Rule", a.rule())
                .pair("Reason", wiring.approvalContext().ruleReason(a.tool(), a.rule()))
                .pair("Policy", a.policy() + versionOf(a.policy()))
                .pair("Mode", shown.path("mode").asText())
                .pair("Requested (UTC)", Html.time(a.requestedAt()))
                .pair("Expires (UTC)", Html.time(a.expiresAt()) + " (then " + shown.path("on_timeout").asText() + ")")
                .raw("</dl>");
        String session = KeptDecisions.text(ctx.path("session").path("id"));
        if (session != null) {
            List<DecisionSource.Decision> calls = decisions.recent(10, d -> session.equals(d.session()));
            h.raw("<details><summary>").text("The session's recent calls (" + calls.size() + ")").raw("</summary>")
                    .raw("<table><thead><tr><th scope=\"col\">Time (UTC)</th><th scope=\"col\">Tool</th>")
                    .raw("<th scope=\"col\">Action</th><th scope=\"col\">User</th><th scope=\"col\">Rule</th>")
                    .raw("<th scope=\"col\">Reason</th>").raw(decisions.fleet() ? "<th scope=\"col\">Replica</th>" : "")
                    .raw("</tr></thead><tbody>");
            calls.forEach(d -> h.raw(row(d)));
            h.raw("</tbody></table></details>");
        }
        if (WebConsole.mayDecide(s.user().role())) {
            String action = "/console/approvals/" + id;
            String reasonId = "reason-" + id;
            h.raw("<form method=\"post\" class=\"decide\"").attr("action", action).attr("hx-post", action)
                    .attr("hx-target", "#apr-" + id).raw(" hx-swap=\"outerHTML\">")
                    .raw("<input type=\"hidden\" name=\"csrf\"").attr("value", s.csrf()).raw(">")
                    .raw("<label").attr("for", reasonId).raw(">Reason (recorded; a rejection's reason reaches the model)</label>")
                    .raw("<textarea name=\"reason\" rows=\"2\"").attr("id", reasonId).raw("></textarea>")
                    .raw("<div class=\"buttons\"><button type=\"submit\" name=\"decision\" value=\"approve\" class=\"approve\">")
                    .raw("Approve</button><button type=\"submit\" name=\"decision\" value=\"reject\" class=\"reject\">")
                    .raw("Reject</button></div></form>");
        }
        h.raw("</article>");
        return h.toString();
    }

    private String versionOf(String policy) {
        String v = wiring.approvalContext().policyVersion(policy);
        return v == null ? "" : " version " + v;
    }

    /** The approval as {@code GET /approvals/{id}} shows it: arguments and reasons redacted. */
    private JsonNode redacted(Approval a) {
        JsonWriter json = new JsonWriter(wiring.redaction());
        ApprovalJson.write(json, a);
        return parse(json.toString());
    }

    private JsonNode redactedCtx(Approval a) {
        return parse(new JsonWriter(wiring.redaction()).value(a.ctx()).toString());
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }

    private static String prettyNode(JsonNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (IOException e) {
            return String.valueOf(n);
        }
    }

    /** An approver's decision from the console: who decides is the session's user, whatever the form says. */
    private void decide(Request r, Sessions.Session s, String id) throws IOException {
        if (!WebConsole.mayDecide(s.user().role())) {
            refuse(r, 403, "user " + s.user().name() + " is a " + s.user().role().configName()
                    + "; deciding approvals needs the role " + AdminRole.APPROVER.configName());
            return;
        }
        Map<String, String> form = r.form();
        String decision = form.get("decision");
        if (!"approve".equals(decision) && !"reject".equals(decision)) {
            refuse(r, 400, "decision must be approve or reject");
            return;
        }
        String by = blankToNull(form.get("by"));
        if (by != null && !by.equals(s.user().name())) {
            refuse(r, 403, "\"by\" names " + by + " but you are signed in as " + s.user().name()
                    + ": an approval is recorded under the name of the user who decides it");
            return;
        }
        String reason = blankToNull(form.get("reason"));
        ApproverVerdict verdict = wiring.approvals().decide(id, decision.equals("approve"), s.user().name(), reason);
        switch (verdict.outcome()) {
            case DECIDED -> {
                if (!r.fromHtmx()) {
                    WebConsole.redirect(r.exchange, "/console/approvals");
                    return;
                }
                Approval a = verdict.approval();
                Html h = new Html();
                h.raw("<article class=\"approval decided\"").attr("id", "apr-" + id).raw("><h3>").text(a.tool() + " — " + id)
                        .raw("</h3><p role=\"status\" class=\"outcome\">")
                        .text(a.status().wireName() + " by " + a.decidedBy()).raw("</p></article>");
                WebConsole.sendHtml(r.exchange, 200, h.toString());
            }
            case UNKNOWN -> refuse(r, 404, verdict.message());
            case ALREADY_DECIDED -> refuse(r, 409, verdict.message());
            default -> refuse(r, 500, verdict.message());
        }
    }

    private static void refuse(Request r, int status, String message) throws IOException {
        Html h = new Html();
        h.raw("<p class=\"error\" role=\"alert\">").text(message).raw("</p>");
        WebConsole.sendHtml(r.exchange, status, h.toString());
    }

    // ---- Policy

    private String policy() {
        PolicyStatus.Snapshot p = wiring.policy().current();
        Html h = new Html();
        h.raw("<dl class=\"facts\" id=\"policy-facts\">")
                .pair("Name", p.name()).pair("Version", p.version())
                .pair("Revision", p.revision() == null ? "unsigned" : String.valueOf(p.revision()))
                .pair("sha256", p.sha256())
                .pair("Signer (key id)", p.keyId() == null ? "unsigned" : p.keyId())
                .raw("<dt>Sources</dt><dd><ul>");
        p.sources().forEach(src -> h.raw("<li>").text(src).raw("</li>"));
        h.raw("</ul></dd>").raw("<dt>Last error</dt><dd>");
        if (p.lastError() == null) {
            h.raw("none: the last load succeeded");
        } else {
            h.raw("<pre class=\"error\">").text(p.lastError()).raw("</pre>");
        }
        h.raw("</dd><dt>Lint warnings</dt><dd>");
        if (p.warnings().isEmpty()) {
            h.raw("none");
        } else {
            h.raw("<ul>");
            p.warnings().forEach(w -> h.raw("<li>").text(w).raw("</li>"));
            h.raw("</ul>");
        }
        h.raw("</dd></dl>");
        PolicyTexts.Version now = wiring.texts().current();
        h.raw("<section aria-labelledby=\"text-h\"><h2 id=\"text-h\">The bundle's text</h2>");
        if (now == null) {
            h.raw("<p>No bundle has decided yet.</p>");
        } else if (now.text() == null) {
            h.raw("<p>").text("Not shown: " + now.why()).raw("</p>");
        } else {
            h.raw("<pre class=\"policy-text\" id=\"policy-text\" tabindex=\"0\" aria-labelledby=\"text-h\">")
                    .text(now.text()).raw("</pre>");
        }
        h.raw("</section><section aria-labelledby=\"diff-h\"><h2 id=\"diff-h\">");
        PolicyTexts.Version before = wiring.texts().previous();
        if (before == null) {
            h.raw("Changes</h2><p>No earlier version has decided since the agent started.</p>");
        } else {
            h.text("Changes from version " + before.version()).raw("</h2>");
            String diff = wiring.texts().diff();
            if (diff == null) {
                h.raw("<p>").text("No diff: " + (before.text() == null ? before.why() : now.why())).raw("</p>");
            } else {
                h.raw("<pre class=\"diff\" id=\"policy-diff\" tabindex=\"0\" aria-labelledby=\"diff-h\">");
                for (String line : diff.split("\n", -1)) {
                    String kind = line.startsWith("+") ? "add" : line.startsWith("-") ? "del" : line.startsWith("@@") ? "hunk" : "same";
                    h.raw("<span class=\"" + kind + "\">").text(line).raw("</span>\n");
                }
                h.raw("</pre>");
            }
        }
        h.raw("</section>");
        return h.toString();
    }

    // ---- Audit

    private String audit() {
        Html h = new Html();
        h.raw("<section aria-labelledby=\"anchor-h\"><h2 id=\"anchor-h\">Current anchor</h2>");
        AuditAnchorSource source = host.auditAnchor();
        if (source == null) {
            h.raw("<p class=\"error\">The audit log is not open.</p>");
        } else {
            try {
                AuditAnchor anchor = source.anchor();
                h.raw("<dl class=\"facts\">").pair("Last hash", anchor.hash()).pair("Records", String.valueOf(anchor.count()))
                        .raw("</dl><p class=\"help\">Keep it where the agent cannot write, and check the log against it"
                                + " later: <code>").text("verify-audit <file> --anchor " + anchor.hash() + ":" + anchor.count())
                        .raw("</code></p>");
            } catch (AuditWriteException e) {
                h.raw("<p class=\"error\">").text("The audit log cannot be anchored: " + e.getMessage()).raw("</p>");
            }
        }
        h.raw("</section><section aria-labelledby=\"verify-h\"><h2 id=\"verify-h\">Chain check</h2>")
                .raw("<p>Reads the whole audit log and checks every record's hash and link, up to the current anchor.</p>")
                .raw("<button type=\"button\" id=\"verify\" hx-post=\"/console/audit/verify\" hx-target=\"#verify-result\">")
                .raw("Check the chain now</button><div id=\"verify-result\" role=\"status\" aria-live=\"polite\"></div></section>");
        return h.toString();
    }

    private String verify() {
        Html h = new Html();
        if (wiring.auditFile() == null) {
            h.raw("<p class=\"error\">The audit log goes to standard error: there is no file to check.</p>");
            return h.toString();
        }
        AuditAnchor anchor = null;
        AuditAnchorSource source = host.auditAnchor();
        if (source != null) {
            try {
                anchor = source.anchor();
            } catch (AuditWriteException e) {
                // checked without the anchor; the result says so
            }
        }
        AuditVerification v = anchor == null ? AuditVerifier.verify(wiring.auditFile())
                : AuditVerifier.verify(wiring.auditFile(), anchor);
        h.raw("<p").attr("class", v.ok() ? "ok" : "error").attr("id", "verify-outcome").raw(">")
                .text((v.ok() ? "OK: " : "FAILED: ") + v.message() + (anchor == null ? " (without an anchor)"
                        : " (anchored at " + anchor.count() + " records)")).raw("</p>");
        if (!v.notes().isEmpty()) {
            h.raw("<ul>");
            v.notes().forEach(n -> h.raw("<li>").text(n).raw("</li>"));
            h.raw("</ul>");
        }
        return h.toString();
    }
}
