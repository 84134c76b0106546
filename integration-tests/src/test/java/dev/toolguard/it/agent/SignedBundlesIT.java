package dev.toolguard.it.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolguard.it.agent.apps.PingLoopApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC §15 end to end (issue 12, point 6): bundles signed with the agent's own CLI, served by a real HTTP(S)
 * server, loaded by the shaded agent in a forked JVM. Every refused bundle is audited with its reason while
 * the last good one keeps deciding.
 */
class SignedBundlesIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** 50 calls a second: enough decisions to see which bundle decides, an audit log a loaded machine reads fast. */
    private static final String PING_PAUSE_MICROS = "20000";

    @TempDir
    Path dir;

    private static JsonNode lastDecision(Scenario s) {
        List<JsonNode> d = AuditFile.ofType(s.audit(), "decision");
        return d.isEmpty() ? null : d.get(d.size() - 1);
    }

    private static List<JsonNode> policyRecords(Scenario s, String event) {
        return AuditFile.ofType(s.audit(), "policy").stream().filter(p -> p.path("event").asText().equals(event)).toList();
    }

    private void cli(String... args) throws Exception {
        AgentProcess.CliResult r = AgentProcess.cli(dir, args);
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    /** A fresh release directory holding one ping policy of version {@code v}. */
    private Path release(Scenario s, String name, int v, String action) throws IOException {
        Path release = dir.resolve("releases").resolve(name);
        Files.createDirectories(release);
        s.write("releases/" + name + "/ping.yaml", PingPolicy.version(v, action));
        return release;
    }

    private Path signed(Scenario s, String name, int v, String action, String key, int revision) throws Exception {
        Path release = release(s, name, v, action);
        cli("sign", release.toString(), "--key", dir.resolve("keys/" + key + ".key").toString(), "--revision",
                String.valueOf(revision));
        return release;
    }

    private Path config(Scenario s, String sources, String extra) throws IOException {
        // a loaded CI machine must not make a reachable source look unreachable (the last good copy would decide)
        if (!extra.contains("http:")) {
            extra = "  http: {timeout: 30s}\n" + extra;
        }
        return s.write("toolguard.yaml", """
                policy:
                  sources: [%s]
                  reload: 200ms
                  last_good: state/last-good
                  signing:
                    public_keys: [keys/release.pub]
                %s
                audit:
                  file: audit.jsonl
                """.formatted(sources, extra));
    }

    /** The next refusal is audited with {@code reason}, and afterwards the last good version still decides. */
    private static void refusedWhileLastGoodDecides(Scenario s, int rejectedBefore, String reason, String deciding) {
        await().atMost(WAIT).until(() -> policyRecords(s, "rejected").size() > rejectedBefore);
        JsonNode rejected = policyRecords(s, "rejected").get(rejectedBefore);
        assertThat(rejected.path("errors").toString()).contains(reason);
        long decisions = AuditFile.ofType(s.audit(), "decision").size();
        await().atMost(WAIT).until(() -> AuditFile.ofType(s.audit(), "decision").size() > decisions + 20);
        assertThat(lastDecision(s).path("policy").path("version").asText()).isEqualTo(deciding);
        assertThat(lastDecision(s).path("action").asText()).isEqualTo("allow");
    }

    @Test
    void signedBundlesOverHttpLoadOnlyWhenIntactTrustedAndNotOlder() throws Exception {
        Scenario s = new Scenario(dir);
        cli("keygen", "--out", "keys/release");
        cli("keygen", "--out", "keys/other");
        try (BundleServer server = BundleServer.http()) {
            server.publish(signed(s, "r1", 1, "allow", "release", 1));
            Path config = config(s, server.url(), "");
            try (AgentProcess app = s.app().agentOptions("config=" + config)
                    .main(PingLoopApp.class, s.file("markers.txt").toString(), "1", PING_PAUSE_MICROS).start()) {
                // a valid signed bundle loads and decides, and the record says which revision and key
                await().atMost(WAIT).until(() -> lastDecision(s) != null);
                JsonNode policy = lastDecision(s).path("policy");
                assertThat(policy.path("version").asText()).isEqualTo("v1");
                assertThat(policy.path("revision").asLong()).isEqualTo(1);
                assertThat(policy.path("key_id").asText()).matches("[0-9a-f]{16}");
                // the body writes its marker after the decision record: wait for it
                await().atMost(WAIT).until(() -> !Files.readString(s.file("markers.txt")).isEmpty());

                // polling asks with If-None-Match: an unchanged manifest is a 304, and a 304 reloads nothing
                int fetchedPolicy = server.answered("ping.yaml", 200);
                int loads = policyRecords(s, "loaded").size();
                int notModified = server.answered("toolguard-bundle.sig", 304);
                await().atMost(WAIT).until(() -> server.answered("toolguard-bundle.sig", 304) >= notModified + 5);
                assertThat(server.answered("ping.yaml", 200)).isEqualTo(fetchedPolicy);
                assertThat(policyRecords(s, "loaded")).hasSize(loads);

                // a file changed after signing
                Path tampered = signed(s, "r2", 2, "allow", "release", 2);
                s.write("releases/r2/ping.yaml", PingPolicy.version(2, "allow").replace("allow", "deny"));
                int rejected = policyRecords(s, "rejected").size();
                server.publish(tampered);
                refusedWhileLastGoodDecides(s, rejected, "the file ping.yaml does not match its signed sha256", "v1");

                // signed by a key the agent does not trust
                server.publish(signed(s, "r3", 3, "deny", "other", 3));
                refusedWhileLastGoodDecides(s, rejected + 1, "which is not one of policy.signing.public_keys", "v1");

                // an older revision served again (validly signed)
                server.publish(signed(s, "r0", 4, "deny", "release", 0));
                refusedWhileLastGoodDecides(s, rejected + 2, "revision 0 is older than revision 1", "v1");

                // no signature at all, while signing is required
                server.publish(release(s, "r-unsigned", 5, "deny"));
                refusedWhileLastGoodDecides(s, rejected + 3, "unsigned bundle refused", "v1");

                // a newer signed revision loads
                server.publish(signed(s, "r6", 6, "deny", "release", 6));
                await().atMost(WAIT).until(() -> "v6".equals(lastDecision(s).path("policy").path("version").asText()));
                assertThat(lastDecision(s).path("action").asText()).isEqualTo("deny");
                assertThat(lastDecision(s).path("policy").path("revision").asLong()).isEqualTo(6);
                // the reload is said after the new bundle decides: the line may follow its first decision
                await().atMost(WAIT).untilAsserted(() -> assertThat(app.stderr()).contains("revision 6 signed by key"));
            }

            // the revision is kept with the last good copy: after a restart, revision 1 is an older bundle
            server.publish(dir.resolve("releases/r1"));
            try (AgentProcess again = s.app().agentOptions("config=" + config)
                    .main(PingLoopApp.class, s.file("markers2.txt").toString(), "1", PING_PAUSE_MICROS).start()) {
                await().atMost(WAIT).until(() -> AuditFile.ofType(s.audit(), "policy").stream()
                        .anyMatch(p -> p.path("errors").toString().contains("revision 1 is older than revision 6")));
                await().atMost(WAIT).untilAsserted(() -> {
                    JsonNode d = lastDecision(s);
                    assertThat(d).as(again.stderr()).isNotNull();
                    assertThat(d.path("rule").asText()).as(d + "\n" + again.stderr()).isEqualTo("no_policy");
                });
                assertThat(lastDecision(s).path("action").asText()).isEqualTo("deny");
            }
        }
    }

    @Test
    void aFileAddedBesideASignedLocalDirectoryIsRefused() throws Exception {
        Scenario s = new Scenario(dir);
        cli("keygen", "--out", "keys/release");
        s.write("policies/ping.yaml", PingPolicy.version(1, "allow"));
        cli("sign", dir.resolve("policies").toString(), "--key", dir.resolve("keys/release.key").toString(),
                "--revision", "1");
        Path config = config(s, "policies/", "");
        try (AgentProcess app = s.app().agentOptions("config=" + config)
                .main(PingLoopApp.class, s.file("markers.txt").toString(), "1", PING_PAUSE_MICROS).start()) {
            await().atMost(WAIT).until(() -> lastDecision(s) != null);
            assertThat(lastDecision(s).path("policy").path("revision").asLong()).isEqualTo(1);

            s.write("policies/more.yaml", """
                    apiVersion: toolguard.dev/v1
                    kind: Policy
                    metadata: {name: more}
                    tools:
                      other: {action: allow}
                    """);

            refusedWhileLastGoodDecides(s, 0, "the file more.yaml is not listed in the signed manifest", "v1");
        }
    }

    @Test
    void anUnsignedBundleIsRefusedAtStartWhenSigningIsRequired() throws Exception {
        Scenario s = new Scenario(dir);
        cli("keygen", "--out", "keys/release");
        try (BundleServer server = BundleServer.http()) {
            server.publish(release(s, "plain", 1, "allow"));
            Path config = config(s, server.url(), "");
            try (AgentProcess app = s.app().agentOptions("config=" + config)
                    .main(PingLoopApp.class, s.file("markers.txt").toString(), "1", PING_PAUSE_MICROS).start()) {
                await().atMost(WAIT).until(() -> lastDecision(s) != null);
                assertThat(lastDecision(s).path("action").asText()).isEqualTo("deny");
                assertThat(policyRecords(s, "rejected").get(0).path("errors").toString())
                        .contains("unsigned bundle refused");
                assertThat(s.file("markers.txt")).satisfiesAnyOf(p -> assertThat(p).doesNotExist(),
                        p -> assertThat(Files.readString(p)).isEmpty());
            }
        }
    }

    @Test
    void overHttpsTheServersCertificateIsVerifiedAgainstTheConfiguredCa() throws Exception {
        Scenario s = new Scenario(dir);
        cli("keygen", "--out", "keys/release");
        Path keystore = dir.resolve("tls/server.p12");
        Files.createDirectories(keystore.getParent());
        keytool("-genkeypair", "-alias", "bundles", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "bundles", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-file", dir.resolve("tls/ca.pem").toString());
        try (BundleServer server = BundleServer.https(tls(keystore))) {
            server.publish(signed(s, "r1", 1, "allow", "release", 1));

            // not trusted by the JDK's CAs: nothing loads, every call is denied
            Path untrusted = config(s, server.url(), "");
            try (AgentProcess app = s.app().agentOptions("config=" + untrusted)
                    .main(PingLoopApp.class, s.file("markers.txt").toString(), "1", PING_PAUSE_MICROS).start()) {
                await().atMost(WAIT).until(() -> lastDecision(s) != null);
                assertThat(lastDecision(s).path("action").asText()).isEqualTo("deny");
                assertThat(server.answered("ping.yaml", 200)).isZero();
            }

            // trusted through policy.http.ca_file: loads and decides
            Files.delete(s.audit());
            Path trusted = config(s, server.url(), "  http: {timeout: 30s, ca_file: tls/ca.pem}");
            try (AgentProcess app = s.app().agentOptions("config=" + trusted)
                    .main(PingLoopApp.class, s.file("markers.txt").toString(), "1", PING_PAUSE_MICROS).start()) {
                await().atMost(WAIT).until(() -> lastDecision(s) != null
                        && lastDecision(s).path("action").asText().equals("allow"));
                assertThat(lastDecision(s).path("policy").path("revision").asLong()).isEqualTo(1);
            }
        }
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    private static SSLContext tls(Path keystore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        return tls;
    }
}
