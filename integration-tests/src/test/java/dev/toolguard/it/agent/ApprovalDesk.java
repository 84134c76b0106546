package dev.toolguard.it.agent;

import dev.toolguard.it.agent.apps.ApprovalDeskApp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/**
 * {@link ApprovalDeskApp} running under the agent with the approvals policy and the admin API on a free loopback
 * port, its bearer token a fresh random one, ready for commands: the app the admin API and approval tests share.
 */
final class ApprovalDesk implements AutoCloseable {

    final String token = UUID.randomUUID().toString();
    final Scenario scenario;
    final AgentProcess app;
    final AdminClient admin;

    private ApprovalDesk(Path dir) throws Exception {
        scenario = new Scenario(dir);
        scenario.policy("approvals.yaml");
        Path config = scenario.config("admin:\n  listen: 127.0.0.1:0\n");
        app = scenario.app().agentOptions("config=" + config).env("TOOLGUARD_ADMIN_TOKEN", token)
                .main(ApprovalDeskApp.class).start();
        admin = AdminClient.of(app, token);
        await().atMost(Duration.ofSeconds(30)).until(() -> app.stdoutLines().contains("ready"));
    }

    static ApprovalDesk start(Path dir) throws Exception {
        return new ApprovalDesk(dir);
    }

    @Override
    public void close() throws Exception {
        app.close();
    }
}
