package dev.toolguard.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The probe's command line: help, what it reads, and what it refuses. */
class StartupProbeTest {

    @Test
    void helpIsAskedForAndTheUsageNamesEveryOption() {
        assertThat(StartupProbe.parse(new String[] {"--help"}).help()).isTrue();
        assertThat(StartupProbe.parse(new String[] {"-h"}).help()).isTrue();
        assertThat(StartupProbe.USAGE).contains("--runs", "--marker", "--agent", "--also", "--floor", "--out", "--help");
    }

    @Test
    void aFullCommandLineIsRead() {
        StartupProbe.Options o = StartupProbe.parse(new String[] {"--runs", "3", "--marker", "ok: ", "--agent",
                "-javaagent:a.jar", "--also", "-javaagent:b.jar", "--out", "s.json", "--", "java", "-jar", "app.jar"});
        assertThat(o.help()).isFalse();
        assertThat(o.runs()).isEqualTo(3);
        assertThat(o.marker()).isEqualTo("ok: ");
        assertThat(o.also()).containsExactly("-javaagent:b.jar");
        assertThat(o.out()).isEqualTo(Path.of("s.json"));
        assertThat(o.command()).isEqualTo(List.of("java", "-jar", "app.jar"));
        assertThat(o.floors()).isEmpty();
    }

    @Test
    void floorVariantsAreNamedAndKeptInOrder() {
        StartupProbe.Options o = StartupProbe.parse(new String[] {"--marker", "ok: ", "--agent", "-javaagent:a.jar",
                "--floor", "asm=-javaagent:floor-agent.jar=asm", "--floor", "agent-builder=-javaagent:floor-agent.jar=agent-builder",
                "--out", "s.json", "--", "java", "-jar", "app.jar"});
        assertThat(o.floors()).containsExactly(Map.entry("asm", "-javaagent:floor-agent.jar=asm"),
                Map.entry("agent_builder", "-javaagent:floor-agent.jar=agent-builder"));
        assertThatThrownBy(() -> StartupProbe.parse(new String[] {"--floor", "-javaagent:f.jar"}))
                .hasMessage("--floor takes NAME=JVM_FLAGS (a name of a-z, 0-9, - and _), not '-javaagent:f.jar'");
        assertThatThrownBy(() -> StartupProbe.parse(new String[] {"--floor", "asm="}))
                .hasMessage("--floor takes NAME=JVM_FLAGS (a name of a-z, 0-9, - and _), not 'asm='");
        assertThatThrownBy(() -> StartupProbe.parse(new String[] {"--floor", "asm=-a", "--floor", "asm=-b"}))
                .hasMessage("--floor asm is given twice");
    }

    @Test
    void mistakesAreSaidPlainly() {
        assertThatThrownBy(() -> StartupProbe.parse(new String[] {"--bogus"})).hasMessage("unknown option --bogus");
        assertThatThrownBy(() -> StartupProbe.parse(new String[] {"--runs"})).hasMessage("--runs needs a value");
        assertThatThrownBy(() -> StartupProbe.parse(new String[] {"--runs", "many"}))
                .hasMessage("--runs takes a whole number, not 'many'");
        assertThatThrownBy(() -> StartupProbe.parse(new String[] {"--runs", "0"}))
                .hasMessage("--runs takes a number of at least 1, not 0");
        assertThatThrownBy(() -> StartupProbe.parse(new String[] {"--marker", "x"}))
                .hasMessage("missing --agent, --out, the command after --");
    }
}
