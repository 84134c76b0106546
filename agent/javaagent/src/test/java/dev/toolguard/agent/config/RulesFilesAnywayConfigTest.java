package dev.toolguard.agent.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A config with problems still names the rules files it may have meant (SPEC §13.1): their tools are guarded, and
 * denied, rather than run undecided because the config around them is broken.
 */
class RulesFilesAnywayConfigTest {

    @TempDir
    Path dir;

    private ConfigResolver.Result resolve(String yaml) throws IOException {
        Files.writeString(dir.resolve("rules.yaml"), "tools: []\n");
        Files.writeString(dir.resolve("more-rules.yaml"), "tools: []\n");
        return ConfigFiles.resolve(dir, yaml);
    }

    @Test
    void aConfigThatDoesNotParseStillNamesItsRulesFiles() throws IOException {
        ConfigResolver.Result r = resolve("instrumentation:\n  rules: [rules.yaml]\nmode: [enforce\n");

        assertThat(r.ok()).isFalse();
        assertThat(r.config().rulesFiles()).containsExactly(dir.resolve("rules.yaml"));
    }

    @Test
    void aMistypedRulesKeyStillNamesItsFilesAsABlockList() throws IOException {
        ConfigResolver.Result r = resolve("instrumentation:\n  rule:\n    - rules.yaml\n    - more-rules.yaml\n");

        assertThat(r.problems()).extracting(ConfigProblem::toString).anySatisfy(p -> assertThat(p).contains("rule"));
        assertThat(r.config().rulesFiles()).containsExactly(dir.resolve("rules.yaml"), dir.resolve("more-rules.yaml"));
    }

    @Test
    void aProblemElsewhereAddsNothingTwiceAndNoFileThatIsNotThere() throws IOException {
        ConfigResolver.Result r = resolve("mode: enforcee\ninstrumentation:\n  rules: [rules.yaml]\n  ruls: [gone.yaml]\n");

        assertThat(r.ok()).isFalse();
        assertThat(r.config().rulesFiles()).containsExactly(dir.resolve("rules.yaml"));
    }

    @Test
    void aSoundConfigNamesOnlyWhatItSays() throws IOException {
        // a key that looks like rules in a config without problems is never read as one
        ConfigResolver.Result r = resolve("instrumentation:\n  rules: [rules.yaml]\n");

        assertThat(r.ok()).isTrue();
        assertThat(r.config().rulesFiles()).containsExactly(dir.resolve("rules.yaml"));
    }

    /** Agent options {@code args}, with a {@code rules.yaml} and a config {@code file} written beside them. */
    private ConfigResolver.Result withOptions(String args, String file, String yaml) throws IOException {
        Files.writeString(dir.resolve("rules.yaml"), "tools: []\n");
        Files.writeString(dir.resolve(file), yaml);
        return ConfigResolver.resolve(args, new java.util.Properties(), java.util.Map.of(), dir);
    }

    /** Its one problem says {@code problem}, and of the file meant only its rules files were taken, not its mode. */
    private void onlyTheRulesFilesOfTheFileMeant(ConfigResolver.Result r, String problem) {
        assertThat(r.problems()).extracting(ConfigProblem::toString).anySatisfy(p -> assertThat(p).contains(problem));
        assertThat(r.config().rulesFiles()).containsExactly(dir.resolve("rules.yaml"));
        assertThat(r.config().mode()).isEqualTo(EnforcementMode.ENFORCE);
    }

    private static final String MEANT = "mode: shadow\ninstrumentation:\n  rules: [rules.yaml]\n";

    @Test
    void aMistypedConfigOptionIsAProblemAndItsFileIsReadForItsRulesFilesAlone() throws IOException {
        onlyTheRulesFilesOfTheFileMeant(withOptions("confg=meant.yaml", "meant.yaml", MEANT),
                "unknown agent option 'confg'");
    }

    @Test
    void anUnknownOptionFarFromConfigNamesNoFile() throws IOException {
        ConfigResolver.Result r = withOptions("rules=meant.yaml", "meant.yaml", MEANT);

        assertThat(r.ok()).isFalse();
        assertThat(r.config().rulesFiles()).isEmpty();
    }

    @Test
    void aConfigFileThatIsNotThereOffersTheNearestBesideItAndReadsItsRulesFilesAlone() throws IOException {
        onlyTheRulesFilesOfTheFileMeant(withOptions("config=toolgaurd.yaml", "toolguard.yaml", MEANT),
                "toolgaurd.yaml does not exist (did you mean toolguard.yaml?");
    }
}
