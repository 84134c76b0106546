package dev.toolguard.policy.values;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LocatedReaderTest {

    @Test
    void yamlValuesCarryTheirLineAndColumn() {
        var result = LocatedReader.read("p.yaml", "a: 1\nb:\n  c: [x, 'y']\n");

        LocatedMap root = (LocatedMap) result.root();
        LocatedMap b = (LocatedMap) root.get("b");
        LocatedList c = (LocatedList) b.get("c");
        assertThat(root.keyPosition("b")).isEqualTo(new SourcePosition("p.yaml", 2, 1));
        assertThat(b.keyPosition("c")).isEqualTo(new SourcePosition("p.yaml", 3, 3));
        assertThat(c.get(1).position()).isEqualTo(new SourcePosition("p.yaml", 3, 10));
    }

    @Test
    void jsonValuesCarryTheirLineAndColumn() {
        var result = LocatedReader.read("p.json", "{\"a\": 1,\n  \"b\": {\"c\": [true, \"y\"]}}");

        LocatedMap root = (LocatedMap) result.root();
        LocatedList c = (LocatedList) ((LocatedMap) root.get("b")).get("c");
        assertThat(root.keyPosition("b")).isEqualTo(new SourcePosition("p.json", 2, 3));
        assertThat(c.get(1).position()).isEqualTo(new SourcePosition("p.json", 2, 21));
    }

    @Test
    void yamlAndJsonGiveTheSamePlainValues() {
        Object fromYaml = LocatedReader.read("p.yaml", "a: 1\nb: 2.5\nc: [x, true, null]\nd: {e: f}\n").root().toPlain();
        Object fromJson = LocatedReader.read("p.json",
                "{\"a\":1,\"b\":2.5,\"c\":[\"x\",true,null],\"d\":{\"e\":\"f\"}}").root().toPlain();

        assertThat(fromYaml).isEqualTo(fromJson)
                .isEqualTo(Map.of("a", 1L, "b", 2.5, "c", java.util.Arrays.asList("x", true, null), "d", Map.of("e", "f")));
    }

    @Test
    void yamlOneOneBooleansStayStrings() {
        LocatedMap root = (LocatedMap) LocatedReader.read("p.yaml", "country: no\nswitch: on\n").root();

        assertThat(root.toPlain()).isEqualTo(Map.of("country", "no", "switch", "on"));
    }

    @Test
    void yamlSyntaxErrorIsLocated() {
        var result = LocatedReader.read("bad.yaml", "a: [1, 2\nb: 3\n");

        assertThat(result.root()).isNull();
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.source()).isEqualTo("bad.yaml");
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.message()).startsWith("not valid YAML: ");
        });
    }

    @Test
    void jsonSyntaxErrorIsLocated() {
        var result = LocatedReader.read("bad.json", "{\"a\": 1,\n \"b\": }");

        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.column()).isEqualTo(7);
            assertThat(p.message()).startsWith("JSON syntax");
        });
    }

    @Test
    void duplicateKeyIsReportedAtTheSecondKey() {
        var result = LocatedReader.read("p.yaml", "a: 1\nb: 2\na: 3\n");

        assertThat(result.problems()).extracting(SourceProblem::toString)
                .containsExactly("p.yaml:3:1: duplicate key 'a' (first at line 1)");
    }

    @Test
    void recursiveAliasIsAProblemNotAHang() {
        var result = LocatedReader.read("p.yaml", "a: &x [1, *x]\n");

        assertThat(result.problems()).extracting(SourceProblem::message)
                .anyMatch(m -> m.contains("alias") || m.contains("recursive"));
    }

    @Test
    void emptyDocumentIsAProblem() {
        var result = LocatedReader.read("p.yaml", "# nothing\n");

        assertThat(result.problems()).extracting(SourceProblem::toString).containsExactly("p.yaml:1:1: the document is empty");
    }

    @Test
    void unknownKeysAreReportedWithTheExpectedOnes() {
        LocatedMap rule = (LocatedMap) LocatedReader.read("p.yaml", "action: allow\nacton: deny\n").root();
        Problems problems = new Problems();

        boolean ok = rule.allowOnly(problems, "action", "reason", "when", "approval");

        assertThat(ok).isFalse();
        assertThat(problems.list()).extracting(SourceProblem::toString)
                .containsExactly("p.yaml:2:1: unknown key 'acton' (expected one of: action, reason, when, approval)");
    }

    @Test
    void wrongTypeIsReportedAtTheValue() {
        LocatedMap map = (LocatedMap) LocatedReader.read("p.yaml", "limit: [1]\nname: x\n").root();
        Problems problems = new Problems();

        Long limit = map.longValue("limit", problems);
        String name = map.string("name", problems);

        assertThat(limit).isNull();
        assertThat(name).isEqualTo("x");
        assertThat(problems.list()).extracting(SourceProblem::toString)
                .containsExactly("p.yaml:1:8: 'limit' must be an integer, not a list");
    }

    @Test
    void absentKeyIsNullWithoutAProblem() {
        LocatedMap map = (LocatedMap) LocatedReader.read("p.yaml", "a: 1\n").root();
        Problems problems = new Problems();

        assertThat(map.string("b", problems)).isNull();
        assertThat(problems.isEmpty()).isTrue();
    }

    @Test
    void textReadsAnyScalarAsWritten() {
        LocatedMap map = (LocatedMap) LocatedReader.read("p.yaml", "version: 1.10\n").root();

        assertThat(map.text("version", new Problems())).isEqualTo("1.10");
    }

    @Test
    void stringsAcceptsOneStringForAListOfOne() {
        LocatedMap map = (LocatedMap) LocatedReader.read("p.yaml", "tools: drop_table\nmore: [a, b]\n").root();
        Problems problems = new Problems();

        assertThat(map.strings("tools", problems)).containsExactly("drop_table");
        assertThat(map.strings("more", problems)).containsExactly("a", "b");
    }

    @Test
    void durationsParseEveryUnit() {
        assertThat(Durations.parse("250ms")).contains(Duration.ofMillis(250));
        assertThat(Durations.parse("2s")).contains(Duration.ofSeconds(2));
        assertThat(Durations.parse("10m")).contains(Duration.ofMinutes(10));
        assertThat(Durations.parse("1.5h")).contains(Duration.ofMinutes(90));
        assertThat(Durations.parse("1d")).contains(Duration.ofDays(1));
        assertThat(Durations.parse("0")).contains(Duration.ZERO);
    }

    @Test
    void badDurationIsReportedAtTheValue() {
        LocatedMap map = (LocatedMap) LocatedReader.read("p.yaml", "per: 1 hour\n").root();
        Problems problems = new Problems();

        assertThat(map.duration("per", problems)).isNull();
        assertThat(problems.list()).singleElement().satisfies(p -> {
            assertThat(p.position()).isEqualTo(new SourcePosition("p.yaml", 1, 6));
            assertThat(p.message()).contains("'1 hour' is not a duration");
        });
    }

    @Test
    void columnInsidePlainValueMapsToTheFile() {
        LocatedMap map = (LocatedMap) LocatedReader.read("p.yaml", "when: args.x > 1\n").root();
        LocatedScalar when = (LocatedScalar) map.get("when");

        assertThat(when.positionInValue(6)).isEqualTo(new SourcePosition("p.yaml", 1, 12));
    }

    @Test
    void columnInsideQuotedValueSkipsTheQuote() {
        LocatedMap map = (LocatedMap) LocatedReader.read("p.yaml", "when: 'args.x > 1'\n").root();
        LocatedScalar when = (LocatedScalar) map.get("when");

        assertThat(when.positionInValue(6)).isEqualTo(new SourcePosition("p.yaml", 1, 13));
    }

    @Test
    void columnInsideBlockValueLandsOnItsContentLines() {
        LocatedMap map = (LocatedMap) LocatedReader.read("p.yaml", "when: |\n    a &&\n    b.c\n").root();
        LocatedScalar when = (LocatedScalar) map.get("when");

        assertThat(when.positionInValue(6)).isEqualTo(new SourcePosition("p.yaml", 3, 5));
    }

    @Test
    void columnInsideJsonStringSkipsTheQuote() {
        LocatedMap map = (LocatedMap) LocatedReader.read("p.json", "{\"when\": \"args.x > 1\"}").root();
        LocatedScalar when = (LocatedScalar) map.get("when");

        assertThat(when.positionInValue(1)).isEqualTo(new SourcePosition("p.json", 1, 11));
    }

    @Test
    void listOfMixedItemsReportsTheNonStrings() {
        LocatedList list = (LocatedList) ((LocatedMap) LocatedReader.read("p.yaml", "t: [a, 1]\n").root()).get("t");
        Problems problems = new Problems();

        List<String> strings = list.strings("'t'", problems);

        assertThat(strings).containsExactly("a");
        assertThat(problems.list()).extracting(SourceProblem::toString)
                .containsExactly("p.yaml:1:8: 't' item must be a string, not a number");
    }
}
