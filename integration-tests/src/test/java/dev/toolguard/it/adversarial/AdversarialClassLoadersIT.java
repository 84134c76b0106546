package dev.toolguard.it.adversarial;

import dev.toolguard.it.adversarial.apps.ClassLoaderApp;
import dev.toolguard.it.adversarial.apps.Report;
import dev.toolguard.it.adversarial.plugin.WipePlugin;
import dev.toolguard.it.agent.AgentProcess;
import dev.toolguard.it.agent.Scenario;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static dev.toolguard.it.adversarial.Adversary.DENY_RULE;
import static dev.toolguard.it.adversarial.Adversary.bodyRuns;
import static dev.toolguard.it.adversarial.Adversary.decisions;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §13.2: a tool is guarded whatever loads its class. The plugin's classes go into a jar of their own and
 * the app runs on a class path that holds only its own classes (and the API jar), so the plugin's loader is
 * the only one that can define them.
 */
class AdversarialClassLoadersIT {

    @TempDir
    static Path build;
    static Path pluginJar;
    static Path appClasses;

    @TempDir
    Path dir;

    @BeforeAll
    static void packTheAppAndThePluginApart() throws IOException {
        pluginJar = jarOfPackage(WipePlugin.class.getPackageName(), build.resolve("plugins/wipe-plugin.jar"));
        appClasses = build.resolve("app-classes");
        copyClasses(appClasses, ClassLoaderApp.class, Report.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"child-first", "platform-parent", "bootstrap-parent"})
    void aDeniedToolLoadedByThePluginsOwnLoaderNeverRunsItsBody(String mode) throws Exception {
        Scenario s = new Scenario(dir);
        AgentProcess app = s.app().agentOptions("config=" + Adversary.policy(s))
                .main(ClassLoaderApp.class.getName(), appClasses).args(mode, pluginJar.toString()).run();

        // the setup is what it claims to be, else the rest proves nothing
        assertThat(app.stdoutLines()).as("stderr: %s", app.stderr()).contains(
                "app class path has the plugin: false",
                "plugin defined by its own loader: true",
                "plugin sees the annotation: true");
        if (mode.equals("child-first")) {
            assertThat(app.stdoutLines()).contains("parent could load the plugin: true");
        }

        assertThat(bodyRuns(app, "wipe")).as("the denied body ran under a %s loader", mode).isEmpty();
        assertThat(app.stdoutLines()).as("what the caller saw")
                .contains("wipe: denied rule=" + DENY_RULE + " tool=wipe wrapped=none");
        assertThat(decisions(s, "wipe", mode)).singleElement()
                .satisfies(d -> assertThat(d.path("rule").asText()).isEqualTo(DENY_RULE));

        assertThat(bodyRuns(app, "ping")).containsExactly(mode);
        assertThat(app.stdoutLines()).contains("ping: returned ping done " + mode);
        assertThat(decisions(s, "ping", mode)).singleElement()
                .satisfies(d -> assertThat(d.path("action").asText()).isEqualTo("allow"));
        Adversary.assertEveryBodyRunWasAllowedByARecord(app, s);
        assertThat(app.stdoutLines()).last().isEqualTo("done");
        app.assertNoAdviceFailures();
    }

    /** A jar of one package's compiled classes (not its subpackages), taken from the test classes. */
    private static Path jarOfPackage(String pkg, Path jar) throws IOException {
        String folder = pkg.replace('.', '/');
        Files.createDirectories(jar.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.list(AgentProcess.TEST_CLASSES.resolve(folder))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                out.putNextEntry(new JarEntry(folder + "/" + f.getFileName()));
                Files.copy(f, (OutputStream) out);
                out.closeEntry();
            }
        }
        return jar;
    }

    /** Copies the classes, with their nested classes, from the test classes into a class directory. */
    private static void copyClasses(Path target, Class<?>... classes) throws IOException {
        for (Class<?> c : classes) {
            Path folder = AgentProcess.TEST_CLASSES.resolve(c.getPackageName().replace('.', '/'));
            Path into = Files.createDirectories(target.resolve(c.getPackageName().replace('.', '/')));
            List<Path> files;
            try (Stream<Path> all = Files.list(folder)) {
                String name = c.getSimpleName();
                files = all.filter(f -> {
                    String file = f.getFileName().toString();
                    return file.equals(name + ".class") || file.startsWith(name + "$");
                }).toList();
            }
            for (Path f : files) {
                Files.copy(f, into.resolve(f.getFileName()));
            }
        }
    }
}
