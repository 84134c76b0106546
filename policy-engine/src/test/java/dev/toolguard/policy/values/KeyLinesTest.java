package dev.toolguard.policy.values;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class KeyLinesTest {

    @Test
    void pairsAndItemsKeepTheirLineIndentAndDash() {
        assertThat(KeyLines.of("""
                tools:
                  - class: "com.acme.A"   # the one
                    method: 'run'
                    parameters:
                      - id
                # all of it a comment
                  - {annotation: com.acme.B, name_from: value}
                """)).containsExactly(
                new KeyLines.Line(1, 0, false, "tools", ""),
                new KeyLines.Line(2, 2, true, "class", "com.acme.A"),
                new KeyLines.Line(3, 4, false, "method", "run"),
                new KeyLines.Line(4, 4, false, "parameters", ""),
                new KeyLines.Line(5, 6, true, null, "id"),
                new KeyLines.Line(7, 2, true, "annotation", "com.acme.B"),
                new KeyLines.Line(7, 2, false, "name_from", "value"));
    }

    @Test
    void whatAParserRejectsStopsNothing() {
        // a tab, an unclosed list, a duplicate key, an unclosed quote
        assertThat(KeyLines.of("a:\n\tb: [x, y\nb: 1\nb: 2\nc: \"open\n"))
                .extracting(KeyLines.Line::key).containsExactly("a", "b", "b", "b", "c");
    }

    @Test
    void aHashInsideQuotesOrAWordIsNoComment() {
        assertThat(KeyLines.of("a: 'x # y'\nb: c#d # e\n")).extracting(KeyLines.Line::value).containsExactly("x # y", "c#d");
    }

    @Test
    void inlineListsAndPlainValues() {
        assertThat(KeyLines.inlineList("[rules.yaml, 'more rules.yaml']")).containsExactly("rules.yaml", "more rules.yaml");
        assertThat(KeyLines.inlineList("[rules.yaml, other")).containsExactly("rules.yaml", "other");
        assertThat(KeyLines.inlineList("rules.yaml")).containsExactly("rules.yaml");
        assertThat(KeyLines.inlineList("")).isEmpty();
    }

    @Test
    void bytesThatAreNotUtf8AndAMissingFileStopNothing(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rules.yaml");
        Files.write(file, new byte[] {'a', ':', ' ', (byte) 0xff, '\n', 'b', ':', ' ', 'c', '\n'});

        assertThat(KeyLines.of(file)).extracting(KeyLines.Line::key).containsExactly("a", "b");
        assertThat(KeyLines.of(dir.resolve("missing.yaml"))).isEmpty();
    }
}
