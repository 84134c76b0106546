package dev.toolguard.it.agent;

import com.sun.net.httpserver.HttpServer;
import dev.toolguard.it.agent.apps.ApprovalDeskApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the agent checks when it starts, in a real app: an admin token too short to trust fails closed, a
 * process-wide context source that overrides {@code ToolGuard.runAs} is named, and a configured webhook secret
 * signs what a real receiver gets, appearing nowhere.
 */
class StartChecksIT {

    private static final String WEBHOOK_SECRET = "whsec-it-5c2e8a91d0b34f67";

    @TempDir
    Path dir;

    private AgentProcess app;
    private HttpServer receiver;

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    private AgentProcess.Builder deskApp(String configExtra) throws Exception {
        Scenario scenario = new Scenario(dir);
        scenario.policy("approvals.yaml");
        Path config = scenario.config(configExtra);
        return scenario.app().agentOptions("config=" + config);
    }

    private String outcomeOf(String label) {
        String[] line = new String[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> app.stdoutLines().stream()
                .filter(s -> s.startsWith("call " + label + ": ")).findFirst().map(s -> line[0] = s).isPresent());
        return line[0];
    }

    @Test
    void anAdminTokenShorterThan16CharactersDeniesEveryGuardedCallAndSaysWhyWithoutTheToken() throws Exception {
        app = deskApp("admin:\n  listen: 127.0.0.1:0\n").env("TOOLGUARD_ADMIN_TOKEN", "tiny-tok")
                .main(ApprovalDeskApp.class).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> app.stdoutLines().contains("ready"));

        app.send("s1 wait_refund c-s1 50"); // the policy allows 50 outright

        assertThat(outcomeOf("s1")).startsWith("call s1: denied");
        assertThat(app.stdout()).doesNotContain("body ran wait_refund c-s1");
        assertThat(app.stderr()).contains("TOOLGUARD_ADMIN_TOKEN").contains("shorter than 16 characters")
                .doesNotContain("tiny-tok");
        assertThat(Files.readString(dir.resolve("audit.jsonl"))).doesNotContain("tiny-tok");
    }

    @Test
    void anEnvSourceSettingUserIdOverTheApiIsNamedAtStart() throws Exception {
        app = deskApp("context:\n  - env: {user.id: DESK_USER}\n").env("DESK_USER", "desk")
                .main(ApprovalDeskApp.class).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> app.stdoutLines().contains("ready"));

        assertThat(app.stderrLines()).anySatisfy(l -> assertThat(l).startsWith("toolguard: warning: context source 'env'")
                .contains("sets user.id from DESK_USER").contains("ToolGuard.runAs").contains("source 'api'"));
    }

    @Test
    void theWebhookBodyAReceiverGetsVerifiesUnderTheSecretWhichAppearsNowhere() throws Exception {
        List<byte[]> bodies = new CopyOnWriteArrayList<>();
        List<String> signatures = new CopyOnWriteArrayList<>();
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            bodies.add(exchange.getRequestBody().readAllBytes());
            signatures.add(String.valueOf(exchange.getRequestHeaders().getFirst("X-ToolGuard-Signature")));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        app = deskApp("approvals:\n  webhook: http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\n"
                + "  webhook_secret_env: TG_WEBHOOK_SECRET\n").env("TG_WEBHOOK_SECRET", WEBHOOK_SECRET)
                .main(ApprovalDeskApp.class).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> app.stdoutLines().contains("ready"));

        app.send("k1 ticket_refund c-k1 5000");

        await().atMost(Duration.ofSeconds(30)).until(() -> bodies.size() == 1);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertThat(signatures.get(0)).isEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal(bodies.get(0))));
        assertThat(new String(bodies.get(0), StandardCharsets.UTF_8)).contains("\"tool\":\"ticket_refund\"");
        assertThat(outcomeOf("k1")).startsWith("call k1: denied");
        assertThat(app.stderr()).doesNotContain(WEBHOOK_SECRET);
        assertThat(Files.readString(dir.resolve("audit.jsonl"))).doesNotContain(WEBHOOK_SECRET);
    }
}
