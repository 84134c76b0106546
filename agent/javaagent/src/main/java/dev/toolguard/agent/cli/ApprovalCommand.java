package dev.toolguard.agent.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code approve <id>} and {@code reject <id>}: decides a pending approval through the admin API (SPEC §12)
 * with {@code POST <admin>/approvals/<id>}.
 */
final class ApprovalCommand implements Command {

    static final String TOKEN_ENV = "TOOLGUARD_ADMIN_TOKEN";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    private final String decision;

    private ApprovalCommand(String decision) {
        this.decision = decision;
    }

    static ApprovalCommand approve() {
        return new ApprovalCommand("approve");
    }

    static ApprovalCommand reject() {
        return new ApprovalCommand("reject");
    }

    @Override
    public String name() {
        return decision;
    }

    @Override
    public String summary() {
        return decision + " a pending approval through the admin API";
    }

    @Override
    public String usage() {
        return """
                Usage: toolguard %1$s <id> --admin <url> [--reason <text>] [--by <name>] [--token <token>]

                Sends POST <url>/approvals/<id> with {"decision":"%1$s","reason":<text>}
                and the header "Authorization: Bearer <token>". The agent records the decision under the
                name of the admin user whose token it is.
                  --admin   the agent's admin API, e.g. http://127.0.0.1:9464
                  --reason  why, recorded in the audit log
                  --by      who decides; sent as "by", and refused unless it is the token's user
                  --token   your admin token (default: environment variable %2$s)

                Exit codes: 0 done, 1 refused by the agent (401 bad token, 403 the token's user may not
                decide or is not --by, 404 no such pending approval, 409 already decided, any other non-2xx
                answer), 2 bad usage or the admin API cannot be reached.
                """.formatted(decision, TOKEN_ENV);
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("admin", "reason", "by", "token");
    }

    @Override
    public int run(Arguments args, Console console) {
        if (args.positionals().size() != 1 || args.positionals().get(0).isBlank()) {
            throw new UsageException("name exactly one approval id");
        }
        String id = args.positionals().get(0);
        URI target = target(args.required("admin"), id);
        String token = args.option("token", console.env().get(TOKEN_ENV));
        if (token == null || token.isBlank()) {
            throw new UsageException("no admin token: pass --token or set " + TOKEN_ENV);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("decision", decision);
        String by = args.option("by", null);
        if (by != null) {
            body.put("by", by); // the agent names the decider after the token; a "by" can only confirm it
        }
        body.put("reason", args.option("reason", ""));

        HttpRequest request = HttpRequest.newBuilder(target)
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response;
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
            response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new UsageException("admin API at " + target + " did not answer in time");
        } catch (IOException e) {
            throw new UsageException("cannot reach admin API at " + target + ": " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UsageException("interrupted while waiting for the admin API");
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            console.out().println((decision.equals("approve") ? "approved " : "rejected ") + id);
            return ExitCode.OK;
        }
        console.err().println(decision + " " + id + " refused: HTTP " + status + " " + refusal(status)
                + answer(response.body()));
        return ExitCode.CHECK_FAILED;
    }

    /** {@code <admin>/approvals/<id>}, with the id as one path segment whatever it contains. */
    private static URI target(String admin, String id) {
        String base = admin.endsWith("/") ? admin.substring(0, admin.length() - 1) : admin;
        URI uri;
        try {
            uri = new URI(base + "/approvals/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"));
        } catch (URISyntaxException e) {
            throw new UsageException("--admin is not a URL: " + admin);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new UsageException("--admin must be an http(s) URL such as http://127.0.0.1:9464, not " + admin);
        }
        return uri;
    }

    private static String refusal(int status) {
        return switch (status) {
            case 401 -> "(the admin token was not accepted)";
            case 403 -> "(the token's user may not do this, or --by names someone else)";
            case 404 -> "(no pending approval with this id)";
            case 409 -> "(the approval was already decided or has timed out)";
            default -> "";
        };
    }

    private static String answer(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String text = PolicyInput.oneLine(body.strip());
        return ": " + (text.length() > 300 ? text.substring(0, 300) + "..." : text);
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
