package dev.toolguard.it.agent;

import dev.toolguard.it.agent.apps.ApprovalDeskApp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/**
 * {@link ApprovalDeskApp} running under the agent with the approvals policy and the admin API on a free loopback
 * port, its bearer token a fresh random one, ready for commands: the app the admin API and approval tests share.
 * Besides the user {@code admin} of that token, the approvers {@code alice}, {@code bob} and {@code carol} and the
 * viewer {@code vera} sign in with tokens of their own (SPEC §16 {@code admin.users}).
 */
final class ApprovalDesk implements AutoCloseable {

    final String token = UUID.randomUUID().toString();
    final Map<String, String> userTokens = Map.of("alice", UUID.randomUUID().toString(),
            "bob", UUID.randomUUID().toString(), "carol", UUID.randomUUID().toString(),
            "vera", UUID.randomUUID().toString());
    final Scenario scenario;
    final AgentProcess app;
    final AdminClient admin;

    private ApprovalDesk(Path dir) throws Exception {
        scenario = new Scenario(dir);
        scenario.policy("approvals.yaml");
        Path config = scenario.config("""
                admin:
                  listen: 127.0.0.1:0
                  users:
                    - {name: alice, token_env: TG_ALICE, role: approver}
                    - {name: bob, token_env: TG_BOB, role: approver}
                    - {name: carol, token_env: TG_CAROL, role: approver}
                    - {name: vera, token_env: TG_VERA, role: viewer}
                """);
        app = scenario.app().agentOptions("config=" + config).env("TOOLGUARD_ADMIN_TOKEN", token)
                .env("TG_ALICE", userTokens.get("alice")).env("TG_BOB", userTokens.get("bob"))
                .env("TG_CAROL", userTokens.get("carol")).env("TG_VERA", userTokens.get("vera"))
                .main(ApprovalDeskApp.class).start();
        admin = AdminClient.of(app, token);
        await().atMost(Duration.ofSeconds(30)).until(() -> app.stdoutLines().contains("ready"));
    }

    /** The admin API as the named user of {@code admin.users}. */
    AdminClient adminAs(String user) {
        return AdminClient.of(app, userTokens.get(user));
    }

    static ApprovalDesk start(Path dir) throws Exception {
        return new ApprovalDesk(dir);
    }

    @Override
    public void close() throws Exception {
        app.close();
    }
}
