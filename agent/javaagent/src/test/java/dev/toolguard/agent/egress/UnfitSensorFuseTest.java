package dev.toolguard.agent.egress;

import dev.toolguard.agent.admin.Metrics;
import dev.toolguard.agent.reload.ActivePolicy;
import dev.toolguard.agent.runtime.RunningCall;
import dev.toolguard.api.ToolCallDeniedException;
import dev.toolguard.policy.audit.AuditConfig;
import dev.toolguard.policy.audit.AuditLog;
import dev.toolguard.policy.decide.PolicyEngine;
import dev.toolguard.policy.load.BundleLoader;
import dev.toolguard.policy.load.LoadResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SPEC §13.4 with §18: a sensor's fuse fired inside a running guarded call (the sensor found not to fit a class loader
 * met only inside that call's body) refuses the call's egress of the sensor's kind when its tool restricts that kind,
 * writes the refusal as an egress record with the reason naming the sensor, and leaves a tool free to use it alone.
 */
class UnfitSensorFuseTest {

    private static final String UNFIT = "the okhttp egress sensor does not fit okhttp 9.9 found in this application"
            + " (CallAdvice on okhttp3.internal.connection.RealCall#execute() finds no such method)";

    @TempDir
    Path dir;

    private static PolicyEngine engine() {
        LoadResult loaded = BundleLoader.loadTexts(Map.of("egress.yaml", """
                apiVersion: toolguard.dev/v1
                kind: Policy
                metadata: {name: egress, version: "1"}
                egress: {default_in_tools: allow}
                tools:
                  crm.read: {action: allow, egress: {http: {hosts: ["crm.internal"]}}}
                  web.fetch: {action: allow, egress: {http: allow}}
                  free: {action: allow}
                """));
        assertThat(loaded.errors()).isEmpty();
        return new PolicyEngine(loaded.bundle());
    }

    private EgressSensors sensors(AuditLog audit, boolean shadow) {
        return new EgressSensors(new ActivePolicy("none"), PolicyEngine.noPolicy(), audit, new Metrics(),
                Credentials.NONE, shadow, message -> { });
    }

    private List<String> egressRecords(Path file) throws Exception {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> l.contains("\"type\":\"egress\""))
                .toList();
    }

    @Test
    void aToolRestrictingTheKindIsRefusedWithTheReasonAndTheRefusalIsAudited() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        PolicyEngine engine = engine();
        try (AuditLog audit = AuditLog.open(AuditConfig.toFile(file.toString()), Map.of())) {
            EgressSensors sensors = sensors(audit, false);

            assertThatThrownBy(() -> sensors.unfit("http", UNFIT, new RunningCall("c-1", "crm.read", Map.of(), engine)))
                    .isInstanceOfSatisfying(ToolCallDeniedException.class, e -> {
                        assertThat(e.rule()).isEqualTo("on_error");
                        assertThat(e.getMessage()).contains(UNFIT)
                                .contains("the http egress of tool 'crm.read', which its policy restricts");
                    });
        }
        assertThat(egressRecords(file)).singleElement().asString().contains("\"id\":\"c-1\"")
                .contains("\"tool\":\"crm.read\"").contains("\"kind\":\"http\"").contains("\"action\":\"deny\"")
                .contains("\"enforced\":true").contains("\"rule\":\"on_error\"").contains("okhttp egress sensor");
    }

    @Test
    void toolsFreeToUseTheKindGoOnAndNothingIsWritten() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        PolicyEngine engine = engine();
        try (AuditLog audit = AuditLog.open(AuditConfig.toFile(file.toString()), Map.of())) {
            EgressSensors sensors = sensors(audit, false);

            sensors.unfit("http", UNFIT, new RunningCall("c-2", "web.fetch", Map.of(), engine));
            sensors.unfit("http", UNFIT, new RunningCall("c-3", "free", Map.of(), engine));
        }
        assertThat(egressRecords(file)).isEmpty();
    }

    @Test
    void inShadowModeTheRefusalIsWrittenButNotEnforced() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        PolicyEngine engine = engine();
        try (AuditLog audit = AuditLog.open(AuditConfig.toFile(file.toString()), Map.of())) {
            sensors(audit, true).unfit("http", UNFIT, new RunningCall("c-4", "crm.read", Map.of(), engine));
        }
        assertThat(egressRecords(file)).singleElement().asString().contains("\"action\":\"deny\"")
                .contains("\"enforced\":false");
    }

    @Test
    void aKindThisAgentDoesNotKnowIsRefusedNeverLetGo() {
        PolicyEngine engine = engine();
        assertThatThrownBy(() -> sensors(null, false).unfit("carrier-pigeon", UNFIT,
                new RunningCall("c-5", "free", Map.of(), engine))).isInstanceOf(ToolCallDeniedException.class);
    }

    @Test
    void aRefusalThatCannotBeRecordedIsStillARefusal() {
        PolicyEngine engine = engine();
        assertThatThrownBy(() -> sensors(null, false).unfit("http", UNFIT,
                new RunningCall("c-6", "crm.read", Map.of(), engine))).isInstanceOf(ToolCallDeniedException.class);
    }
}
