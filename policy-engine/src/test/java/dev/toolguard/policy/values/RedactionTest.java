package dev.toolguard.policy.values;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SPEC §13.10: which keys and values are secret, and how messages about a call hide them. */
class RedactionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Redaction BUILT_IN = Redaction.of(List.of(), 2048);
    private static final String CARD = "4111 1111 1111 1111";
    private static final String CARD_PATTERN = "\\b\\d{4}(?:[ -]?\\d{4}){3}\\b";

    @ParameterizedTest
    @ValueSource(strings = {"password", "PASSWORD", "userPassword", "db.passwd", "passphrase", "client_secret",
            "accessToken", "token", "refresh-token", "X-Api-Key", "apiKey", "api_key", "APIKEY", "APIKey",
            "private_key", "privateKey", "accessKey", "aws_access_key_id", "credentials", "credential", "Cookie",
            "set-cookie", "Authorization", "passwords", "secrets", "cookies", "token2", "api_keys", "access_tokens",
            "refreshTokens"})
    void keysWhoseWordsNameASecretAreRedacted(String key) {
        assertThat(BUILT_IN.redacts(key)).as(key).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"max_tokens", "maxTokens", "prompt_tokens", "tokens", "tokenizer", "secretary", "keyboard",
            "api", "monkey", "private", "access", "amount", "customer_id", "passwordless_hint_x", "output_tokens",
            "tokens_used"})
    void keysThatOnlyContainTheLettersOfASecretWordAreVisible(String key) {
        // passwordless is one word, and not the word "password": a word is compared whole
        assertThat(BUILT_IN.redacts(key)).as(key).isFalse();
    }

    @Test
    void configuredKeysAddToTheSecretWordsAndMatchAsWordsInARow() {
        Redaction r = Redaction.of(List.of("ssn", "card_number"), 2048);

        assertThat(r.redacts("ssn")).isTrue();
        assertThat(r.redacts("customerSsn")).isTrue();
        assertThat(r.redacts("CardNumber")).isTrue();
        assertThat(r.redacts("card")).isFalse();
        assertThat(r.redacts("password")).as("built-in words still apply").isTrue();
    }

    @Test
    void noneRedactsNothing() {
        assertThat(Redaction.NONE.redacts("password")).isFalse();
    }

    @Test
    void valuePatternsReplaceWhatTheyMatchWhereverTheStringIs() throws Exception {
        Redaction r = Redaction.of(List.of(), List.of(CARD_PATTERN), 2048);

        JsonNode node = JSON.readTree(new JsonWriter(r).value(Map.of(
                "note", "pay with " + CARD + " today",
                "nested", List.of(Map.of("free_text", CARD)),
                "card_as_number", 4111111111111111L,
                CARD, "as a key")).toString());

        assertThat(node.get("note").asText()).isEqualTo("pay with [REDACTED] today");
        assertThat(node.get("nested").get(0).get("free_text").asText()).isEqualTo("[REDACTED]");
        assertThat(node.get("card_as_number").asText()).isEqualTo("[REDACTED]");
        assertThat(node.toString()).doesNotContain("4111");
    }

    @Test
    void anInvalidValuePatternIsRefusedNamingIt() {
        assertThat(Redaction.patternProblem("(unclosed")).isNotNull();
        assertThat(Redaction.patternProblem("a*")).contains("empty string");
        assertThatThrownBy(() -> Redaction.of(List.of(), List.of("(unclosed"), 2048))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(unclosed");
    }

    @Test
    void aMessageShowsRedactedWhereItHeldASecretOfTheCall() {
        CallSecrets secrets = BUILT_IN.secretsOf(
                Map.of("password", "hunter2", "options", Map.of("accessToken", List.of("tok-abc", 12345))),
                Map.of("user", Map.of("id", "u1", "session_cookie", "c00kie")));

        assertThat(secrets.hide("cannot convert 'hunter2' to int")).isEqualTo("cannot convert '[REDACTED]' to int");
        assertThat(secrets.hide("no such key: tok-abc; index 12345; c00kie; user u1"))
                .isEqualTo("no such key: [REDACTED]; index [REDACTED]; [REDACTED]; user u1");
    }

    @Test
    void aLongSecretIsHiddenWhereAMessageShowsOnlyItsStart() {
        String secret = "sk-live-0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ";
        CallSecrets secrets = BUILT_IN.secretsOf(Map.of("api_key", secret), Map.of());

        String shortened = "cannot convert '" + secret.substring(0, 56) + "...' to int";

        assertThat(secrets.hide(shortened)).isEqualTo("cannot convert '[REDACTED]...' to int");
    }

    @Test
    void aCallWithoutSecretsLeavesMessagesAsTheyAre() {
        CallSecrets secrets = BUILT_IN.secretsOf(Map.of("max_tokens", 100, "amount", 5), Map.of());

        assertThat(secrets.none()).isTrue();
        String message = "'args.amount > 100' is false";
        assertThat(secrets.hide(message)).isSameAs(message);
    }

    @Test
    void valuePatternsApplyToMessagesToo() {
        Redaction r = Redaction.of(List.of(), List.of(CARD_PATTERN), 2048);

        assertThat(r.secretsOf(Map.of("note", CARD), Map.of()).hide("cannot convert '" + CARD + "' to int"))
                .isEqualTo("cannot convert '[REDACTED]' to int");
    }

    @Test
    void aCyclicValueIsWalkedOnce() {
        Map<String, Object> loop = new java.util.HashMap<>();
        loop.put("self", loop);
        loop.put("token", "t0k3n");

        assertThat(BUILT_IN.secretsOf(Map.of("a", loop), Map.of()).hide("x t0k3n")).isEqualTo("x [REDACTED]");
    }

    @Test
    void aThreadsNextWalkKeepsNothingOfItsLastNorOfOneThatFailed() {
        // the walk is used again by the thread's next call: what the last call found must not be found again
        assertThat(BUILT_IN.secretsOf(Map.of("password", "hunter2"), Map.of()).hide("hunter2")).isEqualTo("[REDACTED]");
        assertThat(BUILT_IN.secretsOf(Map.of("note", "hunter2"), Map.of()).none()).isTrue();

        // a walk that failed half-way (a map that throws) leaves no state behind for the next one
        Map<String, Object> failing = new java.util.HashMap<>(Map.of("secret", "s3cr3t")) {
            @Override
            public void forEach(java.util.function.BiConsumer<? super String, ? super Object> action) {
                action.accept("secret", "s3cr3t");
                throw new IllegalStateException("broken map");
            }
        };
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BUILT_IN.secretsOf(Map.of("nested", failing), Map.of()))
                .hasMessage("broken map");
        Map<String, Object> nested = Map.of("options", Map.of("deep", Map.of("token", "t0k3n")), "n", 1);
        CallSecrets after = BUILT_IN.secretsOf(nested, Map.of("user", Map.of("id", "u1")));
        assertThat(after.hide("s3cr3t t0k3n u1")).isEqualTo("s3cr3t [REDACTED] u1");
    }
}
