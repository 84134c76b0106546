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

    /** A config named by system properties {@code props} and environment {@code env}, beside a {@code rules.yaml}. */
    private ConfigResolver.Result withSettings(java.util.Map<String, String> props, java.util.Map<String, String> env)
            throws IOException {
        Files.writeString(dir.resolve("rules.yaml"), "tools: []\n");
        Files.writeString(dir.resolve("meant.yaml"), MEANT);
        java.util.Properties p = new java.util.Properties();
        p.putAll(props);
        return ConfigResolver.resolve(null, p, env, dir);
    }

    @Test
    void aMistypedConfigPropertyIsAProblemAndItsFileIsReadForItsRulesFilesAlone() throws IOException {
        onlyTheRulesFilesOfTheFileMeant(withSettings(java.util.Map.of("toolguard.confg", "meant.yaml"), java.util.Map.of()),
                "system property toolguard.confg: unknown setting, not taken (did you mean toolguard.config?)");
    }

    @Test
    void aMistypedConfigVariableIsAProblemAndItsFileIsReadForItsRulesFilesAlone() throws IOException {
        onlyTheRulesFilesOfTheFileMeant(withSettings(java.util.Map.of(), java.util.Map.of("TOOLGUARD_CONFG", "meant.yaml")),
                "environment TOOLGUARD_CONFG: unknown setting, not taken (did you mean TOOLGUARD_CONFIG?)");
    }

    @Test
    void aMistypedModeVariableBreaksTheConfigurationThoughNoFileIsMeant() throws IOException {
        ConfigResolver.Result r = withSettings(java.util.Map.of(), java.util.Map.of("TOOLGUARD_MODES", "shadow"));

        assertThat(r.ok()).isFalse();
        assertThat(r.problems()).extracting(ConfigProblem::toString).containsExactly(
                "environment TOOLGUARD_MODES: unknown setting, not taken (did you mean TOOLGUARD_MODE?)");
        assertThat(r.config().mode()).isEqualTo(EnforcementMode.ENFORCE);
    }

    @Test
    void otherToolguardPropertiesAndVariablesAreTheDeploymentsOwn() throws IOException {
        ConfigResolver.Result r = withSettings(java.util.Map.of("toolguard.it.sample.dir", "x", "toolguard.config",
                        dir.resolve("meant.yaml").toString()),
                java.util.Map.of("TOOLGUARD_ADMIN_TOKEN", "t", "TOOLGUARD_REDIS_PASSWORD", "p", "TOOLGUARD_MODE", "shadow"));

        assertThat(r.problems()).isEmpty();
        assertThat(r.config().mode()).isEqualTo(EnforcementMode.SHADOW);
    }

    @Test
    void aMistypedPropertyBesideTheRightOneIsStillAProblem() throws IOException {
        ConfigResolver.Result r = withSettings(java.util.Map.of("toolguard.config", dir.resolve("meant.yaml").toString(),
                "toolguard.polcy", "policies/"), java.util.Map.of());

        assertThat(r.problems()).extracting(ConfigProblem::toString).containsExactly(
                "system property toolguard.polcy: unknown setting, not taken (did you mean toolguard.policy?)");
        assertThat(r.config().rulesFiles()).containsExactly(dir.resolve("rules.yaml"));
    }
}
