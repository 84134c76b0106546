package dev.toolguard.agent.instrument.okhttp;

import dev.toolguard.agent.egress.UnseenEgress;
import dev.toolguard.agent.instrument.InstrumentationModule;
import dev.toolguard.agent.instrument.Modules;
import dev.toolguard.agent.instrument.ReshapedJar;
import dev.toolguard.agent.instrument.check.ModuleChecks;
import dev.toolguard.policy.decide.PolicyEngine;
import dev.toolguard.policy.load.BundleLoader;
import dev.toolguard.policy.load.LoadResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §13.4 with §18: OkHttp follows redirects inside a call; where the hook that sees each of those requests does
 * not fit, they could go unchecked, so the sensor does not apply and tools whose policy restricts http are denied.
 */
class OkHttpModuleTest {

    @TempDir
    Path dir;

    @Test
    void onAnOkHttpWhoseNetworkStepMovedTheFollowUpsCannotBeSeenSoToolsRestrictingHttpAreDenied() throws Exception {
        List<String> said = new ArrayList<>();
        ModuleChecks checks = new ModuleChecks(Modules.SENSORS, false, OkHttpModuleTest.class.getClassLoader(), said::add);
        InstrumentationModule okhttp = Modules.SENSORS.stream().filter(m -> m.name().equals("okhttp")).findFirst()
                .orElseThrow();
        Path reshaped = ReshapedJar.copy(ReshapedJar.holding("okhttp3/OkHttpClient.class"), dir.resolve("okhttp.jar"),
                "okhttp3/internal/connection/RealCall.class", "enterNetworkInterceptorExchange", "-", "-", "-");
        try (URLClassLoader app = new URLClassLoader(new URL[] {reshaped.toUri().toURL()}, null)) {

            ModuleChecks.Result r = checks.check(okhttp, app);

            assertThat(r.status()).isEqualTo(ModuleChecks.Status.NOT_APPLIED);
            assertThat(r.problems()).singleElement().asString().isEqualTo("NetworkHopAdvice on"
                    + " okhttp3.internal.connection.RealCall#enterNetworkInterceptorExchange(Request, ...) finds no such"
                    + " method");
            LoadResult loaded = BundleLoader.loadTexts(Map.of("egress.yaml", """
                    apiVersion: toolguard.dev/v1
                    kind: Policy
                    metadata: {name: egress, version: "1"}
                    tools:
                      ledger.push: {action: allow, egress: {http: {hosts: ["crm.internal"]}}}
                      web.fetch: {action: allow, egress: {http: allow}}
                    """));
            PolicyEngine engine = new PolicyEngine(loaded.bundle());
            UnseenEgress unseen = new UnseenEgress(checks);
            assertThat(unseen.refusal("ledger.push", engine)).startsWith("the okhttp egress sensor does not fit okhttp")
                    .contains("so the http egress of tool 'ledger.push', which its policy restricts, could not be checked");
            assertThat(unseen.refusal("web.fetch", engine)).isNull();
        }
    }

    @Test
    void anOkHttpWithItsCallElsewhereAsInOkHttp3IsFoundAndNotAppliedNeverAbsent() throws Exception {
        ModuleChecks checks = new ModuleChecks(Modules.SENSORS, false, OkHttpModuleTest.class.getClassLoader(),
                s -> { });
        InstrumentationModule okhttp = Modules.SENSORS.stream().filter(m -> m.name().equals("okhttp")).findFirst()
                .orElseThrow();
        // OkHttp 3's layout, as far as the checks see it: the client, and no okhttp3.internal.connection.RealCall
        Path okhttp3 = dir.resolve("okhttp-3-layout.jar");
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(java.nio.file.Files.newOutputStream(okhttp3));
             java.io.InputStream client = OkHttpModuleTest.class.getClassLoader()
                     .getResourceAsStream("okhttp3/OkHttpClient.class")) {
            out.putNextEntry(new java.util.jar.JarEntry("okhttp3/OkHttpClient.class"));
            out.write(client.readAllBytes());
            out.closeEntry();
        }
        try (URLClassLoader app = new URLClassLoader(new URL[] {okhttp3.toUri().toURL()}, null)) {

            ModuleChecks.Result r = checks.check(okhttp, app);

            assertThat(r.status()).isEqualTo(ModuleChecks.Status.NOT_APPLIED);
            assertThat(r.problems()).allSatisfy(p -> assertThat(p).contains("finds no class "
                    + "okhttp3.internal.connection.RealCall"));
        }
    }
}
