package dev.toolguard.agent.cli;

import dev.toolguard.policy.replay.RecordedCall;
import dev.toolguard.policy.replay.ReplayReport;
import dev.toolguard.policy.replay.ReplayedCall;
import dev.toolguard.policy.replay.ReplayedCall.Change;
import dev.toolguard.policy.values.JsonWriter;
import dev.toolguard.policy.values.Redaction;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The three forms of a replay report: text for a terminal, JSON for scripts, and one self-contained HTML page
 * (inline style, no script, nothing fetched) to pass around. All three carry the same counts and the same calls.
 */
final class ReplayOutput {

    private ReplayOutput() {
    }

    /** The labels of the counts, in the order every form shows them. */
    private static final List<Change> ORDER = List.of(Change.UNCHANGED, Change.ALLOW_TO_DENY, Change.DENY_TO_ALLOW,
            Change.OTHER, Change.UNDECIDABLE);

    /** {@code unchanged 10, allow->deny 2, deny->allow 0, other 1, undecidable 0}. */
    static String countsLine(ReplayReport report) {
        StringBuilder out = new StringBuilder();
        for (Change c : ORDER) {
            out.append(out.isEmpty() ? "" : ", ").append(textLabel(c)).append(' ').append(report.count(c));
        }
        return out.toString();
    }

    private static String textLabel(Change c) {
        return switch (c) {
            case ALLOW_TO_DENY -> "allow->deny";
            case DENY_TO_ALLOW -> "deny->allow";
            default -> c.label();
        };
    }

    static String text(ReplayReport report) {
        StringBuilder out = new StringBuilder();
        out.append("replay of ").append(report.total()).append(report.total() == 1 ? " decision" : " decisions")
                .append(" from ").append(files(report.logs())).append(" under ").append(report.candidate()).append('\n');
        for (Map.Entry<String, Map<String, List<ReplayedCall>>> tool : report.byToolAndRule().entrySet()) {
            out.append('\n').append(tool.getKey()).append('\n');
            for (Map.Entry<String, List<ReplayedCall>> rule : tool.getValue().entrySet()) {
                out.append("  ").append(rule.getKey()).append('\n');
                for (ReplayedCall c : rule.getValue()) {
                    RecordedCall r = c.recorded();
                    out.append("    ").append(JsonWriter.formatTimestamp(r.time())).append(' ').append(r.call().tool())
                            .append(" user ").append(r.user() == null ? "-" : r.user()).append(": ")
                            .append(r.action().wireName()).append(" -> ").append(c.newOutcome())
                            .append(" [").append(ReplayReport.ruleChange(c)).append("] ")
                            .append(PolicyInput.oneLine(reasonOf(c))).append(" (").append(r.place()).append(")\n");
                }
            }
        }
        out.append('\n').append(countsLine(report)).append('\n');
        return out.toString();
    }

    /** The candidate's reason, or the recorded one when the candidate's decision cannot be told. */
    private static String reasonOf(ReplayedCall c) {
        return c.change() == Change.UNDECIDABLE ? "was: " + c.recorded().reason() : c.decision().reason();
    }

    static String json(ReplayReport report) {
        JsonWriter out = new JsonWriter(Redaction.NONE);
        out.beginObject().field("candidate", report.candidate());
        out.name("logs").beginArray();
        for (Path log : report.logs()) {
            out.string(log.toString());
        }
        out.endArray();
        out.field("decisions", report.total());
        out.name("counts").beginObject();
        for (Change c : ORDER) {
            out.field(c.label(), report.count(c));
        }
        out.endObject();
        out.name("changed").beginArray();
        for (ReplayedCall c : report.changed()) {
            RecordedCall r = c.recorded();
            out.beginObject()
                    .field("change", c.change().label())
                    .field("place", r.place())
                    .field("ts", JsonWriter.formatTimestamp(r.time()))
                    .field("tool", r.call().tool())
                    .field("user", r.user())
                    .field("old_action", r.action().wireName())
                    .field("new_action", c.change() == Change.UNDECIDABLE ? null : c.newAction().wireName())
                    .field("old_rule", r.rule())
                    .field("new_rule", c.change() == Change.UNDECIDABLE ? null : c.decision().rule())
                    .field("old_reason", r.reason())
                    .field("new_reason", c.change() == Change.UNDECIDABLE ? null : c.decision().reason())
                    .field("undecidable", c.undecidable())
                    .field("approval", r.approval())
                    .endObject();
        }
        out.endArray();
        out.name("warnings").beginArray();
        for (String w : report.warnings()) {
            out.string(w);
        }
        out.endArray();
        out.endObject();
        return out + "\n";
    }

    static String html(ReplayReport report) {
        StringBuilder h = new StringBuilder(8192);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                // nothing is fetched: no script, no font, no image, and the policy says so to the browser too
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
                .append("<title>ToolGuard replay: ").append(esc(report.candidate())).append("</title>\n<style>\n")
                .append("body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1f24}\n")
                .append("h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d7de}h3{font-size:1rem;font-family:monospace}\n")
                .append("table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #eaeef2;vertical-align:top}\n")
                .append("table.counts{width:auto}table.counts td.count{text-align:right;font-variant-numeric:tabular-nums;font-weight:600}\n")
                .append(".bar{height:.8rem;background:#57606a;min-width:1px}.allow-to-deny .bar{background:#cf222e}.deny-to-allow .bar{background:#bf8700}\n")
                .append(".other .bar{background:#8250df}.undecidable .bar{background:#6e7781}.unchanged .bar{background:#2da44e}\n")
                .append("code,.mono{font-family:ui-monospace,monospace;font-size:.9em;overflow-wrap:anywhere}.warn{color:#9a6700}\n")
                .append("td.reason{min-width:18rem}td.place{font-size:.8em;color:#57606a}.digest{color:#57606a;font-size:.85em}\n")
                .append("</style>\n</head>\n<body>\n<main>\n<h1>Replay under ").append(esc(candidateName(report)))
                .append("</h1>\n<p class=\"digest mono\">").append(esc(candidateDigest(report))).append("</p>\n")
                .append("<p>").append(report.total()).append(report.total() == 1 ? " decision" : " decisions")
                .append(" from <span class=\"mono\">").append(esc(files(report.logs()))).append("</span></p>\n");
        if (!report.warnings().isEmpty()) {
            h.append("<ul class=\"warnings\">\n");
            for (String w : report.warnings()) {
                h.append("<li class=\"warn\">warning: ").append(esc(w)).append("</li>\n");
            }
            h.append("</ul>\n");
        }
        h.append("<table class=\"counts\" aria-label=\"Decisions by change\">\n<thead><tr><th scope=\"col\">change</th>")
                .append("<th scope=\"col\">decisions</th><th scope=\"col\">share</th></tr></thead>\n<tbody>\n");
        long total = Math.max(1, report.total());
        for (Change c : ORDER) {
            long n = report.count(c);
            h.append("<tr class=\"").append(c.label()).append("\" data-change=\"").append(c.label()).append("\"><th scope=\"row\">")
                    .append(esc(textLabel(c).replace("->", "\u2192"))).append("</th><td class=\"count\">").append(n)
                    .append("</td><td style=\"width:20rem\"><div class=\"bar\" style=\"width:")
                    .append(String.format(java.util.Locale.ROOT, "%.1f", 100.0 * n / total)).append("%\"></div></td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
        if (report.changed().isEmpty()) {
            h.append("<p>Every decision is unchanged.</p>\n");
        }
        for (Map.Entry<String, Map<String, List<ReplayedCall>>> tool : report.byToolAndRule().entrySet()) {
            h.append("<section class=\"tool\">\n<h2>").append(esc(tool.getKey())).append("</h2>\n");
            for (Map.Entry<String, List<ReplayedCall>> rule : tool.getValue().entrySet()) {
                h.append("<h3>").append(esc(rule.getKey().replace(" -> ", " \u2192 "))).append("</h3>\n<table>\n")
                        .append("<thead><tr><th scope=\"col\">time</th><th scope=\"col\">user</th><th scope=\"col\">was</th>")
                        .append("<th scope=\"col\">now</th><th scope=\"col\">reason</th><th scope=\"col\">record</th></tr></thead>\n<tbody>\n");
                for (ReplayedCall c : rule.getValue()) {
                    RecordedCall r = c.recorded();
                    h.append("<tr class=\"").append(c.change().label()).append("\"><td class=\"mono\">")
                            .append(esc(JsonWriter.formatTimestamp(r.time()))).append("</td><td>")
                            .append(esc(r.user() == null ? "-" : r.user())).append("</td><td>").append(esc(r.action().wireName()))
                            .append(" <span class=\"mono\">").append(esc(String.valueOf(r.rule()))).append("</span></td><td>")
                            .append(esc(c.newOutcome()));
                    if (c.change() != Change.UNDECIDABLE) {
                        h.append(" <span class=\"mono\">").append(esc(String.valueOf(c.decision().rule()))).append("</span>");
                    }
                    h.append("</td><td class=\"reason\">").append(esc(reasonOf(c))).append("</td><td class=\"mono place\">").append(esc(r.place()))
                            .append("</td></tr>\n");
                }
                h.append("</tbody>\n</table>\n");
            }
            h.append("</section>\n");
        }
        h.append("</main>\n</body>\n</html>\n");
        return h.toString();
    }

    /** {@code support-agent 2026-11-21.1} of {@code support-agent 2026-11-21.1 sha256:<hex>}. */
    private static String candidateName(ReplayReport report) {
        int digest = report.candidate().lastIndexOf(" sha256:");
        return digest < 0 ? report.candidate() : report.candidate().substring(0, digest);
    }

    private static String candidateDigest(ReplayReport report) {
        int digest = report.candidate().lastIndexOf(" sha256:");
        return digest < 0 ? "" : report.candidate().substring(digest + 1);
    }

    private static String files(List<Path> logs) {
        StringBuilder out = new StringBuilder();
        for (Path p : logs) {
            out.append(out.isEmpty() ? "" : ", ").append(p);
        }
        return out.toString();
    }

    /** Text as HTML content or attribute value. */
    private static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }
}
