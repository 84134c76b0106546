package dev.toolguard.agent.instrument.check;

import dev.toolguard.agent.instrument.Hook;
import dev.toolguard.agent.instrument.InstrumentationModule;
import dev.toolguard.agent.instrument.Modules;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checks against the framework releases the agent is compiled and tested with (on this test's class path): every
 * module fits them whole, so a module that reports a mismatch in an application means the application's release
 * differs.
 */
class ModuleChecksTest {

    private final List<String> said = new ArrayList<>();

    private ModuleChecks checks() {
        return new ModuleChecks(Modules.ALL, true, ModuleChecksTest.class.getClassLoader(), said::add);
    }

    @Test
    void everyModuleFitsTheReleaseItIsBuiltAgainstWithEveryHookApplied() {
        ModuleChecks checks = checks();
        for (InstrumentationModule m : Modules.ALL) {
            ModuleChecks.Result r = checks.check(m, ModuleChecksTest.class.getClassLoader());
            assertThat(r.problems()).as(m.name()).isEmpty();
            assertThat(r.status()).as(m.name()).isEqualTo(ModuleChecks.Status.APPLIED);
            // the release on the class path is the newest: hooks meant for older ones only are not applied
            assertThat(r.fitting()).as(m.name()).containsExactlyInAnyOrderElementsOf(
                    checks.hooksOf(m).stream().filter(h -> h.until() == null).toList());
            assertThat(checks.refusal(m.name())).isNull();
        }
        assertThat(said).isEmpty();
    }

    @Test
    void everyEgressSensorFitsThisJdkAndTheClientLibrariesItIsBuiltAgainstWithEveryHookApplied() {
        ModuleChecks checks = new ModuleChecks(Modules.SENSORS, false, ModuleChecksTest.class.getClassLoader(), said::add);
        for (InstrumentationModule m : Modules.SENSORS) {
            ModuleChecks.Result r = checks.check(m, ModuleChecksTest.class.getClassLoader());
            if (m.name().contains("mail")) {
                continue; // the mail APIs are not on this class path (the integration tests check them)
            }
            assertThat(r.problems()).as(m.name()).isEmpty();
            assertThat(r.status()).as(m.name()).isEqualTo(ModuleChecks.Status.APPLIED);
            assertThat(r.fitting()).as(m.name()).containsExactlyInAnyOrderElementsOf(checks.hooksOf(m));
        }
        assertThat(said).isEmpty();
    }

    @Test
    void aModuleWhoseFrameworkIsNotInALoaderIsAbsentThereAndDeniesNothing() {
        ModuleChecks checks = checks();
        ClassLoader bare = new URLClassLoader(new URL[0], null);
        for (InstrumentationModule m : Modules.ALL) {
            if (m.markerClass() != null) {
                assertThat(checks.check(m, bare).status()).as(m.name()).isEqualTo(ModuleChecks.Status.ABSENT);
                assertThat(checks.refusal(m.name())).isNull();
            }
        }
        assertThat(checks.statuses()).containsEntry("langchain4j", ModuleChecks.Status.ABSENT)
                .containsEntry("guarded-tool", ModuleChecks.Status.APPLIED);
    }

    @Test
    void aHookThatGuardsCallsAndCannotBeWovenInMakesItsModuleDenyEveryCallAndSaysSo() {
        ModuleChecks checks = checks();
        InstrumentationModule mcp = Modules.named(List.of("mcp")).get(0);
        Hook guard = checks.hooksOf(mcp).stream().filter(h -> h.role() == Hook.Role.GUARDS_CALLS).findFirst().orElseThrow();

        checks.transformFailed(mcp, guard, ModuleChecksTest.class.getClassLoader(), new IllegalStateException("boom"));

        assertThat(checks.statuses()).containsEntry("mcp", ModuleChecks.Status.NOT_APPLIED);
        assertThat(checks.refusal("mcp")).startsWith("the mcp integration does not fit mcp 2.2.0 found in this application (")
                .contains("could not be woven in: java.lang.IllegalStateException: boom").endsWith("so its tool calls are denied");
        assertThat(said).singleElement().asString().startsWith("toolguard: mcp 2.2.0: not applied, so every mcp tool call is denied: ");
    }

    @Test
    void versionsCompareByTheirLeadingNumbersAndAnUnknownOneCountsAsTheNewest() {
        assertThat(FrameworkVersion.parse("1.19.0-beta2").atLeast("1.4")).isTrue();
        assertThat(FrameworkVersion.parse("1.3.9").atLeast("1.4")).isFalse();
        assertThat(FrameworkVersion.parse("2.2").atLeast("2.2.0")).isTrue();
        assertThat(FrameworkVersion.UNKNOWN.atLeast("99")).isTrue();
    }

    @Test
    void theReferencesOfAnAdviceAreTheFrameworksClassesAndMembersItNamesAndNothingOfTheJdkOrTheBridge() throws Exception {
        assertThat(AdviceReferences.of("dev.toolguard.agent.instrument.mcp.SyncToolCall",
                ModuleChecksTest.class.getClassLoader())).extracting(Object::toString)
                .contains("io.modelcontextprotocol.spec.McpSchema$CallToolRequest#name()Ljava/lang/String;",
                        "io.modelcontextprotocol.spec.McpSchema$CallToolResult#builder()"
                                + "Lio/modelcontextprotocol/spec/McpSchema$CallToolResult$Builder;")
                .noneMatch(r -> r.startsWith("java.") || r.startsWith("dev.toolguard.api."));
    }
}
