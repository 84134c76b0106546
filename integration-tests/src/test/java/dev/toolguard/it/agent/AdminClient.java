package dev.toolguard.it.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.awaitility.Awaitility.await;

/** Plain HTTP to a running app's admin API, found through the agent's start line. */
public final class AdminClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ADMIN_URL = Pattern.compile("; admin API on (http://\\S+)");

    final String base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private AdminClient(String base, String token) {
        this.base = base;
        this.token = token;
    }

    /** Waits for the app's start line and reads the admin API's address from it. */
    public static AdminClient of(AgentProcess app, String token) {
        String[] url = new String[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Matcher m = ADMIN_URL.matcher(app.stderr());
            if (m.find()) {
                url[0] = m.group(1);
                return true;
            }
            if (!app.alive()) {
                throw new AssertionError("the app ended before its admin API started; stderr:\n" + app.stderr());
            }
            return false;
        });
        return new AdminClient(url[0], token);
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET(), token);
    }

    /** A GET with the given Authorization header value, or none when null. */
    HttpResponse<String> getWithAuthorization(String path, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder r = request(path).GET();
        if (authorization != null) {
            r.header("Authorization", authorization);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), token);
    }

    JsonNode json(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = get(path);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** The pending approval of the call whose customer_id argument is {@code customer}, once it is listed. */
    JsonNode awaitPending(String customer) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            Optional<JsonNode> a = stream(json("/approvals"))
                    .filter(p -> p.path("args").path("customer_id").asText().equals(customer)).findFirst();
            a.ifPresent(p -> found[0] = p);
            return a.isPresent();
        });
        return found[0];
    }

    static JsonNode parse(String json) throws IOException {
        return JSON.readTree(json);
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(15));
    }

    private HttpResponse<String> send(HttpRequest.Builder r, String bearer) throws IOException, InterruptedException {
        return http.send(r.header("Authorization", "Bearer " + bearer).build(), HttpResponse.BodyHandlers.ofString());
    }
}
