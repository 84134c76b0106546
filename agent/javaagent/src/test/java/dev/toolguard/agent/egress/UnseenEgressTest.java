package dev.toolguard.agent.egress;

import dev.toolguard.agent.instrument.Hook;
import dev.toolguard.agent.instrument.InstrumentationModule;
import dev.toolguard.agent.instrument.check.ModuleChecks;
import dev.toolguard.policy.decide.PolicyEngine;
import dev.toolguard.policy.egress.EgressKind;
import dev.toolguard.policy.load.BundleLoader;
import dev.toolguard.policy.load.LoadResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §18 with §13.4: an egress sensor that does not fit what it meets cannot check a tool's egress, so calls of
 * tools whose policy restricts that kind are denied; tools that may use it freely, and everything while the sensors
 * fit, are not touched.
 */
class UnseenEgressTest {

    private final List<String> said = new ArrayList<>();

    /** An HTTP sensor for a "library" that is this test class, whose hooked method it lacks. */
    static final class ReshapedHttpSensor extends InstrumentationModule {
        private final String method;

        ReshapedHttpSensor(String method) {
            this.method = method;
        }

        @Override
        public String name() {
            return "reshaped-http";
        }

        @Override
        public String markerClass() {
            return UnseenEgressTest.class.getName();
        }

        @Override
        public String versionArtifact() {
            return null;
        }

        @Override
        public String supportedVersions() {
            return "any";
        }

        @Override
        public EgressKind sensedEgress() {
            return EgressKind.HTTP;
        }

        @Override
        public List<Hook> hooks() {
            return List.of(Hook.of(Hook.Role.SENSES_EGRESS, UnseenEgressTest.class.getName(), named(method),
                    "send(request)", "dev.toolguard.agent.instrument.jdkhttp.SendAdvice"));
        }
    }

    private static PolicyEngine engine() {
        LoadResult loaded = BundleLoader.loadTexts(Map.of("egress.yaml", """
                apiVersion: toolguard.dev/v1
                kind: Policy
                metadata: {name: egress, version: "1"}
                egress: {default_in_tools: allow}
                tools:
                  crm.read: {action: allow, egress: {http: {hosts: ["crm.internal"]}}}
                  crm.notes: {action: allow, egress: {sql: allow}}
                  web.fetch: {action: allow, egress: {http: allow}}
                  free: {action: allow}
                """));
        assertThat(loaded.errors()).isEmpty();
        return new PolicyEngine(loaded.bundle());
    }

    private UnseenEgress unseen(String hookedMethod) {
        return new UnseenEgress(new ModuleChecks(List.of(new ReshapedHttpSensor(hookedMethod)), false,
                UnseenEgressTest.class.getClassLoader(), said::add));
    }

    @Test
    void aSensorThatDoesNotFitDeniesToolsThatRestrictItsKindBeforeTheirFirstCall() {
        UnseenEgress unseen = unseen("sendItAll");
        PolicyEngine engine = engine();

        // its hooked class has not been loaded by anything: it is checked before the first call is decided
        assertThat(unseen.refusal("crm.read", engine)).contains("reshaped-http egress sensor does not fit")
                .contains("http egress of tool 'crm.read'").contains("finds no such method");
        // http not listed, so denied: restricted too
        assertThat(unseen.refusal("crm.notes", engine)).isNotNull();
        // free to use http: nothing to check
        assertThat(unseen.refusal("web.fetch", engine)).isNull();
        assertThat(unseen.refusal("free", engine)).isNull();
        assertThat(said).singleElement().asString().contains("calls of tools whose policy restricts http egress are denied");
    }

    @Test
    void aSensorThatFitsDeniesNothing() {
        UnseenEgress unseen = unseen("engine");
        assertThat(unseen.refusal("crm.read", engine())).isNull();
        assertThat(said).isEmpty();
    }

    @Test
    void aSequenceOverEgressEventsOfTheKindRestrictsEveryTool() {
        LoadResult loaded = BundleLoader.loadTexts(Map.of("seq.yaml", """
                apiVersion: toolguard.dev/v1
                kind: Policy
                metadata: {name: seq, version: "1"}
                tools:
                  free: {action: allow}
                sequences:
                  - name: no-post-after-read
                    after: ["crm.*"]
                    deny: ["egress:http:POST:*"]
                    within: session
                """));
        assertThat(loaded.errors()).isEmpty();
        PolicyEngine engine = new PolicyEngine(loaded.bundle());
        assertThat(engine.egressRestricted("free", EgressKind.HTTP)).isTrue();
        assertThat(engine.egressRestricted("free", EgressKind.SQL)).isFalse();
        assertThat(unseen("sendItAll").refusal("free", engine)).isNotNull();
    }
}
