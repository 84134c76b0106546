package dev.toolguard.it.langchain4j;

import dev.toolguard.it.agent.Scenario;
import dev.toolguard.it.supportdesk.SupportDeskRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** With {@code filter_discovery: false} the model is offered every tool, and calls are still decided. */
class LangChain4jDiscoveryOffIT {

    static final String ALL_TOOLS = "[crm_delete_account, crm_read_account, email_send_external, issue_refund, reset_password]";

    @TempDir
    static Path dir;
    static SupportDeskRun run;

    @BeforeAll
    static void runTheSample() throws Exception {
        Path config = new Scenario(dir).write("toolguard.yaml", """
                policy:
                  sources: [%s]
                instrumentation:
                  builtin: [langchain4j]
                  filter_discovery: false
                context:
                  - mdc: {user.id: userId, user.roles: userRoles, user.email: userEmail, session.id: sessionId}
                """.formatted(LangChain4jSample.SAMPLE.resolve("policies")));
        run = LangChain4jSample.onNewest(dir, config);
    }

    @Test
    void everyRequestOffersEveryTool() {
        for (int q = 1; q <= 9; q++) {
            assertThat(run.toolsOffered(q, 1)).as("question %d", q).isEqualTo(ALL_TOOLS);
        }
    }

    @Test
    void callsAreDecidedAsWithFiltering() {
        assertThat(run.resultReceived(1, 2)).startsWith("issue_refund: refunded 150.00 EUR");
        assertThat(run.bodyRuns(5, "email_send_external")).isEmpty();
        assertThat(run.resultReceived(5, 2)).startsWith("email_send_external: Denied by policy support-agent: ").endsWith(" [roles]");
    }
}
