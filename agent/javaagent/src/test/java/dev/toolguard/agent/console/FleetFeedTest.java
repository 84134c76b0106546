package dev.toolguard.agent.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What of the audit log the fleet view's feed publishes: decisions as written, decided approvals as summaries. */
class FleetFeedTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void decisionsGoAsWrittenDecidedApprovalsAsSummariesAndNothingElse() throws Exception {
        String decision = "{\"type\":\"decision\",\"id\":\"c-1\",\"tool\":\"t\",\"args\":{\"password\":\"[REDACTED]\"}}";
        List<String> out = FleetFeed.published(List.of(decision,
                "{\"type\":\"outcome\",\"id\":\"c-1\",\"status\":\"ok\"}",
                "{\"type\":\"approval\",\"id\":\"apr_1\",\"event\":\"requested\",\"args\":{\"a\":1}}",
                "{\"type\":\"approval\",\"id\":\"apr_1\",\"event\":\"approved\",\"ts\":\"2026-01-01T00:00:00Z\","
                        + "\"tool\":\"t\",\"args\":{\"a\":1},\"by\":\"alice\",\"reason\":\"ok\",\"hash\":\"h\"}",
                "{\"type\":\"policy\",\"event\":\"loaded\"}", "{\"type\":\"decis"));

        assertThat(out).hasSize(2);
        assertThat(out.get(0)).isEqualTo(decision);
        JsonNode approval = JSON.readTree(out.get(1));
        assertThat(approval.fieldNames()).toIterable().containsExactly("type", "ts", "id", "event", "by", "reason");
        assertThat(approval.path("by").asText()).isEqualTo("alice");
    }

    @Test
    void aDecisionTooLongForTheStreamGoesWithoutItsArguments() throws Exception {
        String big = "x".repeat(FleetFeed.MAX_RECORD_CHARS);
        String decision = "{\"type\":\"decision\",\"id\":\"c-2\",\"tool\":\"t\",\"args\":{\"note\":\"" + big + "\"},"
                + "\"ctx\":{\"user\":{\"id\":\"u1\"}},\"action\":\"allow\"}";

        JsonNode shortened = JSON.readTree(FleetFeed.published(List.of(decision)).get(0));

        assertThat(shortened.path("id").asText()).isEqualTo("c-2");
        assertThat(shortened.path("action").asText()).isEqualTo("allow");
        assertThat(shortened.path("args").asText()).startsWith("left out of the fleet view");
        assertThat(shortened.path("ctx").path("user").path("id").asText()).isEqualTo("u1");
        assertThat(shortened.toString().length()).isLessThan(FleetFeed.MAX_RECORD_CHARS);
    }

    @Test
    void aConsoleThatAsksGetsTheLastHourNotOlderRecords() {
        long now = Instant.parse("2026-01-01T12:00:00Z").toEpochMilli();
        String old = "{\"type\":\"decision\",\"id\":\"c-old\",\"ts\":\"2026-01-01T10:59:59Z\"}";
        String recent = "{\"type\":\"decision\",\"id\":\"c-new\",\"ts\":\"2026-01-01T11:00:01Z\"}";
        String oldApproval = "{\"type\":\"approval\",\"id\":\"apr_1\",\"event\":\"approved\",\"ts\":\"2026-01-01T10:00:00Z\"}";

        assertThat(FleetFeed.published(List.of(old, recent, oldApproval), now - FleetFeed.SHOWN_MILLIS))
                .containsExactly(recent);
    }
}
