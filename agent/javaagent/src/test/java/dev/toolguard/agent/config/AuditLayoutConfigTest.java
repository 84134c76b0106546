package dev.toolguard.agent.config;

import dev.toolguard.policy.audit.AuditLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code audit.layout}: append (the default) or mapped; anything else is a problem with its place. */
class AuditLayoutConfigTest {

    @TempDir
    Path dir;

    private ConfigResolver.Result resolve(String auditSection) throws Exception {
        return ConfigFiles.resolve(dir, "audit:\n" + auditSection);
    }

    @Test
    void theDefaultIsTheAppendLayout() throws Exception {
        ConfigResolver.Result r = resolve("  file: a.jsonl\n");

        assertThat(r.problems()).isEmpty();
        assertThat(r.config().auditLayout()).isEqualTo(AuditLayout.APPEND);
    }

    @Test
    void mappedAndAppendAreRead() throws Exception {
        assertThat(resolve("  layout: mapped\n").config().auditLayout()).isEqualTo(AuditLayout.MAPPED);
        assertThat(resolve("  layout: append\n").config().auditLayout()).isEqualTo(AuditLayout.APPEND);
    }

    @Test
    void anUnknownLayoutIsAProblemWithItsPlace() throws Exception {
        ConfigResolver.Result r = resolve("  file: a.jsonl\n  layout: ring\n");

        assertThat(r.problems()).singleElement().hasToString(dir.resolve("toolguard.yaml")
                + ":3:11: audit.layout must be one of append, mapped, not 'ring'");
    }
}
