package dev.toolguard.agent.egress;

import dev.toolguard.agent.config.CredentialSpec;
import dev.toolguard.agent.config.SecretSource;
import dev.toolguard.policy.egress.EgressRequest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.HttpURLConnection;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** SPEC §18: a credential goes only into requests to its hosts from its tools, and is written nowhere. */
class ReleasedCredentialsTest {

    private static final String SECRET = "tok-3e1f-secret";
    private final List<String> said = new ArrayList<>();
    private final Credentials credentials = ReleasedCredentials.of(List.of(new CredentialSpec("crm_api",
                    new SecretSource("CRM_TOKEN", null), "Authorization", "Bearer {secret}", List.of("crm.internal"),
                    List.of("crm.*"))), Map.of("CRM_TOKEN", SECRET), said::add);
    private final HttpRequest request = HttpRequest.newBuilder(URI.create("http://crm.internal/a"))
            .header("Authorization", "Bearer the-apps-own").build();

    private HttpRequest released(String host, String tool) {
        return (HttpRequest) credentials.release("http-jdk", HttpClient.newHttpClient(), request, EgressRequest.http("GET", host, 80), tool);
    }

    @Test
    void its_tool_and_host_get_the_header_in_place_of_the_applications_own() {
        HttpRequest r = released("crm.internal", "crm.read_account");
        assertThat(r.headers().allValues("Authorization")).containsExactly("Bearer " + SECRET);
        assertThat(request.headers().allValues("Authorization")).containsExactly("Bearer the-apps-own");
    }

    @Test
    void another_host_or_another_tool_gets_nothing() {
        assertThat(released("evil.example", "crm.read_account")).isSameAs(request);
        assertThat(released("crm.internal", "email.send_external")).isSameAs(request);
    }

    @Test
    void the_secret_is_in_no_string_and_an_unreadable_one_is_released_nowhere() {
        assertThat(credentials.toString()).doesNotContain(SECRET);
        Credentials missing = ReleasedCredentials.of(List.of(new CredentialSpec("crm_api",
                new SecretSource("NOT_SET", null), "Authorization", "Bearer {secret}", List.of("crm.internal"),
                List.of("crm.*"))), Map.of(), said::add);
        assertThat(said).singleElement().asString().contains("crm_api").contains("NOT_SET");
        assertThat(missing.release("http-jdk", HttpClient.newHttpClient(), request, EgressRequest.http("GET", "crm.internal", 80),
                "crm.read_account")).isSameAs(request);
    }

    @Test
    void a_client_that_follows_redirects_gets_no_credential_and_that_is_said_once() {
        HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        for (int i = 0; i < 2; i++) {
            assertThat(credentials.release("http-jdk", following, request, EgressRequest.http("GET", "crm.internal", 80),
                    "crm.read_account")).isSameAs(request);
        }
        assertThat(said).singleElement().asString().contains("crm_api").contains("follows redirects")
                .doesNotContain(SECRET);
    }

    @Test
    void a_connection_given_a_credential_no_longer_follows_redirects_itself() throws Exception {
        HttpURLConnection connection = (HttpURLConnection) URI.create("http://crm.internal/a").toURL().openConnection();
        assertThat(connection.getInstanceFollowRedirects()).isTrue();

        credentials.release("http-url-connection", connection, connection, EgressRequest.http("GET", "crm.internal", 80),
                "crm.read_account");

        assertThat(connection.getInstanceFollowRedirects()).isFalse();
        HttpURLConnection other = (HttpURLConnection) URI.create("http://crm.internal/a").toURL().openConnection();
        credentials.release("http-url-connection", other, other, EgressRequest.http("GET", "crm.internal", 80),
                "report.export");
        assertThat(other.getInstanceFollowRedirects()).isTrue(); // no credential, nothing changed
    }

    @Test
    void an_apache_redirect_carrying_the_credential_to_another_host_or_for_another_tool_is_named() {
        var hop = new org.apache.hc.core5.http.message.BasicClassicHttpRequest("GET", URI.create("http://evil.example/x"));
        hop.setHeader("Authorization", "Bearer " + SECRET);

        assertThat(credentials.carriedAway("http-apache5-hop", hop, EgressRequest.http("GET", "evil.example", 80),
                "crm.read_account")).isEqualTo("crm_api");
        assertThat(credentials.carriedAway("http-apache5-hop", hop, EgressRequest.http("GET", "crm.internal", 80),
                "crm.read_account")).isNull();
        assertThat(credentials.carriedAway("http-apache5-hop", hop, EgressRequest.http("GET", "crm.internal", 80),
                "email.send_external")).isEqualTo("crm_api");
        // the application's own header of that name is not the credential
        hop.setHeader("Authorization", "Bearer the-apps-own");
        assertThat(credentials.carriedAway("http-apache5-hop", hop, EgressRequest.http("GET", "evil.example", 80),
                "crm.read_account")).isNull();
    }

    @Test
    void an_apache_async_redirect_carrying_the_credential_to_another_host_is_named_too() {
        var hop = new org.apache.hc.core5.http.message.BasicHttpRequest("GET", URI.create("http://evil.example/x"));
        hop.setHeader("Authorization", "Bearer " + SECRET);

        assertThat(credentials.carriedAway("http-apache5-async-hop", hop, EgressRequest.http("GET", "evil.example", 80),
                "crm.read_account")).isEqualTo("crm_api");
        assertThat(credentials.carriedAway("http-apache5-async-hop", hop, EgressRequest.http("GET", "crm.internal", 80),
                "crm.read_account")).isNull();
    }

    @Test
    void an_apache_async_request_gets_the_header_in_the_request_its_scope_was_made_from_and_a_minimal_ones_in_its_own() {
        // the async client's scope arguments: exchange id, route, the application's request, its future, ...
        var request = org.apache.hc.client5.http.async.methods.SimpleRequestBuilder.get("http://crm.internal/a")
                .addHeader("Authorization", "Bearer the-apps-own").build();
        Object[] scope = {"ex-1", null, request, null, null, null, null, null};
        assertThat(credentials.release("http-apache5-async", null, scope, EgressRequest.http("GET", "crm.internal", 80),
                "crm.read_account")).isSameAs(scope);
        assertThat(request.getHeaders("Authorization")).extracting(h -> h.getValue())
                .containsExactly("Bearer " + SECRET);

        // the minimal client's exchange handler, as its execute(SimpleHttpRequest, ...) makes it
        var minimal = org.apache.hc.client5.http.async.methods.SimpleRequestBuilder.get("http://crm.internal/b").build();
        var handler = new org.apache.hc.core5.http.nio.support.BasicClientExchangeHandler<>(
                org.apache.hc.client5.http.async.methods.SimpleRequestProducer.create(minimal),
                org.apache.hc.client5.http.async.methods.SimpleResponseConsumer.create(), null);
        credentials.release("http-apache5-minimal", null, handler, EgressRequest.http("GET", "crm.internal", 80),
                "crm.read_account");
        assertThat(minimal.getFirstHeader("Authorization").getValue()).isEqualTo("Bearer " + SECRET);

        // another tool's request is left alone
        var other = org.apache.hc.client5.http.async.methods.SimpleRequestBuilder.get("http://crm.internal/c").build();
        credentials.release("http-apache5-async", null, new Object[] {"ex-2", null, other, null, null, null, null, null},
                EgressRequest.http("GET", "crm.internal", 80), "report.export");
        assertThat(other.getFirstHeader("Authorization")).isNull();
    }
}
