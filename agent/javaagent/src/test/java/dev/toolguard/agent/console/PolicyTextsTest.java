package dev.toolguard.agent.console;

import dev.toolguard.policy.load.BundleLoader;
import dev.toolguard.policy.load.PolicyBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The policy page's text and diff: kept as each bundle starts deciding, only when the files still are that bundle. */
class PolicyTextsTest {

    @TempDir
    Path dir;

    private static final String POLICY = """
            apiVersion: toolguard.dev/v1
            kind: Policy
            metadata: {name: p, version: "%s"}
            default: deny
            tools:
              lookup:
                action: allow
            """;

    private PolicyBundle load(Path file, String version) throws Exception {
        Files.writeString(file, POLICY.formatted(version));
        var r = BundleLoader.load(List.of(file.toString()));
        assertThat(r.errors()).isEmpty();
        return r.bundle();
    }

    @Test
    void theDiffGoesFromThePreviousVersionToTheCurrentOne() throws Exception {
        Path file = dir.resolve("p.yaml");
        PolicyTexts texts = new PolicyTexts(1 << 20);
        PolicyBundle one = load(file, "1");
        texts.keep(one);
        PolicyBundle two = load(file, "2");
        texts.keep(two);
        texts.keep(two); // the same bundle again changes nothing

        assertThat(texts.current().text()).contains("version: \"2\"");
        assertThat(texts.previous().version()).isEqualTo("1");
        assertThat(texts.diff()).contains("-metadata: {name: p, version: \"1\"}")
                .contains("+metadata: {name: p, version: \"2\"}");
    }

    @Test
    void filesChangedSinceTheBundleLoadedAreNotShownAsItsText() throws Exception {
        Path file = dir.resolve("p.yaml");
        PolicyBundle one = load(file, "1");
        Files.writeString(file, POLICY.formatted("edited meanwhile"));
        PolicyTexts texts = new PolicyTexts(1 << 20);

        texts.keep(one);

        assertThat(texts.current().text()).isNull();
        assertThat(texts.current().why()).contains("changed");
        assertThat(texts.diff()).isNull();
    }
}
