package dev.toolguard.agent.instrument.apachehttp;

import dev.toolguard.agent.instrument.Hook;
import dev.toolguard.agent.instrument.InstrumentationModule;
import dev.toolguard.agent.instrument.Modules;
import dev.toolguard.agent.instrument.check.ModuleChecks;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §18 with §13.4: the Apache HttpClient 5 sensor fits every release it says it supports, the classic client's
 * hooks and the async clients' alike: the oldest (5.0), a 5.1, the pinned one (on this module's test class path) and the
 * newest 5.x, each a real jar from Maven Central in a class loader of its own.
 */
class ApacheHttpClient5ModuleTest {

    private static final InstrumentationModule APACHE = Modules.SENSORS.stream()
            .filter(m -> m.name().equals("apache-httpclient-5")).findFirst().orElseThrow();

    @Test
    void everyHookFitsTheOldestAFiveOneThePinnedAndTheNewestRelease() throws Exception {
        List<Path> jars = new ArrayList<>();
        try (Stream<Path> releases = Files.list(Path.of(System.getProperty("toolguard.test.httpclient5.releases")))) {
            releases.filter(p -> p.getFileName().toString().endsWith(".jar")).forEach(jars::add);
        }
        jars.add(Path.of(Class.forName("org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient")
                .getProtectionDomain().getCodeSource().getLocation().toURI()));
        assertThat(jars).extracting(p -> p.getFileName().toString()).contains("httpclient5-5.0.4.jar",
                "httpclient5-5.1.3.jar", "httpclient5-5.5.jar", "httpclient5-5.6.5.jar");

        for (Path jar : jars) {
            ModuleChecks checks = new ModuleChecks(Modules.SENSORS, false, getClass().getClassLoader(), s -> { });
            try (URLClassLoader app = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {

                ModuleChecks.Result r = checks.check(APACHE, app);

                assertThat(r.problems()).as(jar.toString()).isEmpty();
                assertThat(r.status()).as(jar.toString()).isEqualTo(ModuleChecks.Status.APPLIED);
                assertThat(r.fitting()).as(jar.toString()).extracting(Hook::type).contains(
                        "org.apache.hc.client5.http.async.AsyncExecChain$Scope",
                        "org.apache.hc.client5.http.impl.async.AsyncConnectExec",
                        "org.apache.hc.client5.http.impl.async.MinimalHttpAsyncClient",
                        "org.apache.hc.client5.http.impl.async.MinimalH2AsyncClient");
            }
        }
    }
}
