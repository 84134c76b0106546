package dev.toolguard.policy.values;

import dev.toolguard.policy.load.BundleLoader;
import dev.toolguard.policy.load.LoadError;
import dev.toolguard.policy.load.LoadResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one located reader's errors, as a policy file shows them: located, one hint line for the usual YAML
 * mistakes (issue 17), duplicate keys with both lines, bytes that are not UTF-8, files over the size bound.
 */
class LocatedYamlErrorsTest {

    private static final String HEAD = "apiVersion: toolguard.dev/v1\nkind: Policy\nmetadata: {name: p, version: \"1\"}\n";

    @TempDir
    Path dir;

    private LoadError onlyError(String policy) throws IOException {
        Path file = Files.writeString(dir.resolve("policy.yaml"), policy);
        LoadResult result = BundleLoader.load(List.of(file.toString()));
        assertThat(result.bundle()).isNull();
        assertThat(result.errors()).hasSize(1);
        return result.errors().get(0);
    }

    @Test
    void anUnquotedWhenStartingWithAQuoteGetsTheQuotingHint() throws IOException {
        LoadError e = onlyError(HEAD + """
                tools:
                  t:
                    rules:
                      - when: "a" in args.tags
                        action: deny
                """);

        assertThat(e.line()).isEqualTo(7);
        assertThat(e.toString()).isEqualTo(dir.resolve("policy.yaml") + ":7:19: not valid YAML: expected <block end>,"
                + " but found '<scalar>'\n  hint: quote the whole expression, e.g. when: '\"a\" in args.tags'");
    }

    @Test
    void aTabGetsTheIndentationHint() throws IOException {
        LoadError e = onlyError(HEAD + "tools:\n\tt: {action: allow}\n");

        assertThat(e.line()).isEqualTo(5);
        assertThat(e.message()).startsWith("not valid YAML: found character '\\t(TAB)' that cannot start any token")
                .endsWith("\n  hint: indent with spaces: YAML does not allow tabs for indentation");
    }

    @Test
    void aKeyIndentedOutOfLineGetsTheIndentationHint() throws IOException {
        LoadError e = onlyError(HEAD + "tools:\n  t:\n    action: allow\n   reason: x\n");

        assertThat(e.line()).isEqualTo(7);
        assertThat(e.message()).startsWith("not valid YAML: ").contains("\n  hint: check the indentation");
    }

    @Test
    void aColonInAPlainValueGetsTheQuotingHint() {
        LocatedReader.ReadResult r = LocatedReader.readYaml("p.yaml", "reason: note: refunds over 200\n");

        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(1);
            assertThat(p.message()).endsWith("hint: quote a value that holds ': ', e.g. reason: 'note: refunds over 200'");
        });
    }

    @Test
    void anErrorWithNoKnownCauseHasNoHint() {
        LocatedReader.ReadResult r = LocatedReader.readYaml("p.yaml", "a: [1, 2\nb: 3\n");

        assertThat(r.problems()).singleElement().satisfies(p -> assertThat(p.message()).doesNotContain("hint:"));
    }

    @Test
    void aDuplicateKeyNamesBothLines() throws IOException {
        LoadError e = onlyError(HEAD + "tools:\n  t: {action: allow}\ntools:\n  u: {action: allow}\n");

        assertThat(e.toString()).isEqualTo(dir.resolve("policy.yaml") + ":6:1: duplicate key 'tools' (first at line 4)");
    }

    @Test
    void bytesThatAreNotUtf8AreAProblemAtTheFirstOfThem() {
        byte[] text = "a: 1\nb: x\u00e9\n".getBytes(StandardCharsets.UTF_8);
        text[text.length - 2] = (byte) 0xFF; // the second byte of é

        LocatedReader.ReadResult r = LocatedReader.read("p.yaml", text);

        assertThat(r.root()).isNull();
        assertThat(r.problems()).extracting(SourceProblem::toString)
                .containsExactly("p.yaml:2:5: the file is not UTF-8 text (byte 10)");
    }

    @Test
    void aCharacterYamlForbidsIsAProblemAtItsPlace() {
        LocatedReader.ReadResult r = LocatedReader.readYaml("p.yaml", "a: 1\nb: \u0001x\n");

        assertThat(r.problems()).extracting(SourceProblem::toString)
                .containsExactly("p.yaml:2:4: not valid YAML: the character U+0001 is not allowed");
    }

    @Test
    void aFileOverTheBoundIsRefusedBeforeItIsParsed() throws IOException {
        Path file = Files.writeString(dir.resolve("big.yaml"), "a: [" + "1, ".repeat(1000) + "1]\n");

        LocatedReader.ReadResult r = LocatedReader.readFile(file, 100, "file");

        assertThat(r.root()).isNull();
        assertThat(r.problems()).singleElement().satisfies(p ->
                assertThat(p.message()).startsWith("the file is larger than 100 bytes"));
    }
}
