package dev.toolguard.policy.cases;

import dev.toolguard.policy.decide.Action;
import dev.toolguard.policy.load.LoadError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CasesFileTest {

    private static final String SPEC_EXAMPLE = """
            cases:
              - name: l1 may refund 150
                tool: issue_refund
                args: {customer_id: c1, amount: 150}
                ctx: {user: {id: u1, roles: [support_l1]}, tenant: acme}
                history: []
                expect: allow
                rule: tools.issue_refund.rules[0]
                reason_contains: ""
            """;

    @Test
    void theSpecExampleParsesIntoOneCase() {
        CasesFile file = CasesFile.parse("cases.yaml", SPEC_EXAMPLE);

        assertThat(file.errors()).isEmpty();
        assertThat(file.cases()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("l1 may refund 150");
            assertThat(c.tool()).isEqualTo("issue_refund");
            assertThat(c.args()).isEqualTo(Map.of("customer_id", "c1", "amount", 150L));
            assertThat(c.ctx()).isEqualTo(Map.of("user", Map.of("id", "u1", "roles", List.of("support_l1")), "tenant", "acme"));
            assertThat(c.history()).isEmpty();
            assertThat(c.expect()).isEqualTo(Action.ALLOW);
            assertThat(c.rule()).isEqualTo("tools.issue_refund.rules[0]");
            assertThat(c.reasonContains()).isEmpty();
            assertThat(c.location()).isEqualTo("cases.yaml:2");
        });
    }

    @Test
    void numbersBecomeLongsAndDoublesAndTextStaysText() {
        CasesFile file = CasesFile.parse("c.yaml", """
                cases:
                  - name: values
                    tool: t
                    args: {i: 7, d: 150.5, s: "150", b: true, n: null, date: 2026-11-21, list: [1, x]}
                    expect: deny
                """);

        Map<String, Object> args = file.cases().get(0).args();
        assertThat(args.get("i")).isEqualTo(7L);
        assertThat(args.get("d")).isEqualTo(150.5);
        assertThat(args.get("s")).isEqualTo("150");
        assertThat(args.get("b")).isEqualTo(true);
        assertThat(args).containsEntry("n", null);
        assertThat(args.get("date")).isEqualTo("2026-11-21");
        assertThat(args.get("list")).isEqualTo(List.of(1L, "x"));
    }

    @Test
    void optionalKeysDefaultToEmptyAndAbsent() {
        CasesFile file = CasesFile.parse("c.yaml", """
                cases:
                  - {name: bare, tool: t, expect: require_approval}
                """);

        GoldenCase c = file.cases().get(0);
        assertThat(c.args()).isEmpty();
        assertThat(c.ctx()).isEmpty();
        assertThat(c.history()).isEmpty();
        assertThat(c.rule()).isNull();
        assertThat(c.reasonContains()).isNull();
        assertThat(c.expect()).isEqualTo(Action.REQUIRE_APPROVAL);
    }

    @Test
    void historyListsToolNamesInOrder() {
        CasesFile file = CasesFile.parse("c.yaml", """
                cases:
                  - {name: h, tool: email.send_external, history: [crm.read_contact, email.send_internal], expect: deny}
                """);

        assertThat(file.cases().get(0).history()).containsExactly("crm.read_contact", "email.send_internal");
    }

    @Test
    void anUnknownCaseKeyIsAnErrorAtItsLineAndColumn() {
        CasesFile file = CasesFile.parse("cases.yaml", """
                cases:
                  - name: typo
                    tool: t
                    expects: allow
                """);

        assertThat(file.cases()).isEmpty();
        assertThat(file.errors()).extracting(LoadError::toString).contains(
                "cases.yaml:4:5: unknown key 'expects' (expected one of: name, tool, args, ctx, history, expect, rule, reason_contains)");
    }

    @Test
    void anUnknownTopLevelKeyIsAnError() {
        CasesFile file = CasesFile.parse("cases.yaml", "case:\n  - {name: a, tool: t, expect: allow}\n");

        assertThat(file.errors()).extracting(LoadError::toString).contains(
                "cases.yaml:1:1: unknown key 'case' (expected one of: cases)");
    }

    @Test
    void aMissingRequiredKeyIsAnErrorAtTheCase() {
        CasesFile file = CasesFile.parse("cases.yaml", """
                cases:
                  - name: no expectation
                    tool: t
                """);

        assertThat(file.errors()).extracting(LoadError::toString).containsExactly("cases.yaml:2:5: missing key 'expect'");
    }

    @Test
    void anUnknownExpectedActionIsAnErrorAtTheValue() {
        CasesFile file = CasesFile.parse("cases.yaml", """
                cases:
                  - name: a
                    tool: t
                    expect: permit
                """);

        assertThat(file.errors()).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(4);
            assertThat(e.column()).isEqualTo(13);
            assertThat(e.message()).contains("permit").contains("allow, deny or require_approval");
        });
    }

    @Test
    void argsThatAreNotAMappingAreAnError() {
        CasesFile file = CasesFile.parse("cases.yaml", """
                cases:
                  - {name: a, tool: t, args: [1, 2], expect: allow}
                """);

        assertThat(file.errors()).extracting(LoadError::message).containsExactly("'args' must be a mapping");
    }

    @Test
    void twoCasesWithTheSameNameAreAnError() {
        CasesFile file = CasesFile.parse("cases.yaml", """
                cases:
                  - {name: same, tool: t, expect: allow}
                  - {name: same, tool: t, expect: deny}
                """);

        assertThat(file.errors()).extracting(LoadError::toString).containsExactly("cases.yaml:3:5: duplicate case name 'same'");
    }

    @Test
    void aDuplicateKeyInsideArgsIsAnError() {
        CasesFile file = CasesFile.parse("cases.yaml", """
                cases:
                  - {name: a, tool: t, args: {amount: 1, amount: 2}, expect: allow}
                """);

        assertThat(file.errors()).extracting(LoadError::message).containsExactly("duplicate key 'amount' (first at line 2)");
    }

    @Test
    void brokenYamlIsAnErrorWithItsLocation() {
        CasesFile file = CasesFile.parse("cases.yaml", "cases:\n  - name: [unclosed\n");

        assertThat(file.errors()).singleElement().satisfies(e -> {
            assertThat(e.file()).isEqualTo("cases.yaml");
            assertThat(e.line()).isGreaterThanOrEqualTo(2);
            assertThat(e.message()).startsWith("not valid YAML: ");
        });
    }

    @Test
    void anEmptyFileIsAnError() {
        assertThat(CasesFile.parse("cases.yaml", "").errors()).extracting(LoadError::message)
                .containsExactly("empty cases file (expected a 'cases' list)");
    }

    @Test
    void aFileThatCannotBeReadIsOneErrorNamingIt(@TempDir Path dir) {
        CasesFile file = CasesFile.read(dir.resolve("missing.yaml"));

        assertThat(file.errors()).singleElement().satisfies(e -> {
            assertThat(e.file()).endsWith("missing.yaml");
            assertThat(e.message()).contains("cannot read cases file");
        });
    }

    @Test
    void aFileIsReadAsUtf8(@TempDir Path dir) throws IOException {
        Path path = dir.resolve("cases.yaml");
        Files.writeString(path, "cases:\n  - {name: grüße, tool: t, args: {city: Tromsø}, expect: allow}\n");

        CasesFile file = CasesFile.read(path);

        assertThat(file.cases().get(0).name()).isEqualTo("grüße");
        assertThat(file.cases().get(0).args()).containsEntry("city", "Tromsø");
    }
}
