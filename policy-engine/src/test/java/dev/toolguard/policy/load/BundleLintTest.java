package dev.toolguard.policy.load;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Lint warnings of bundles that load (SPEC §11 {@code validate}): located, one type, the bundle still loads. */
class BundleLintTest {

    private static final String HEADER = "apiVersion: toolguard.dev/v1\nkind: Policy\n";

    private static List<LintWarning> lint(String text) {
        LoadResult result = BundleLoader.loadTexts(Map.of("p.yaml", text));
        assertThat(result.errors()).isEmpty();
        assertThat(result.ok()).isTrue();
        return result.warnings();
    }

    @Test
    void aCleanPolicyHasNoWarnings() {
        assertThat(lint(HEADER + """
                roles:
                  l1: [refund, "crm.*"]
                tools:
                  refund:
                    arguments: {type: object, properties: {amount: {type: number}}}
                    rules:
                      - when: args.amount <= 200
                        action: allow
                  crm.read: {action: allow}
                sequences:
                  - {name: s, after: [crm.read], deny: [refund], within: session}
                """)).isEmpty();
    }

    @Test
    void aRoleNamingAToolNoEntryMatchesIsAWarningAtThatNameWithTheNearestTool() {
        List<LintWarning> warnings = lint(HEADER + """
                roles:
                  l1: [refund, refnud]
                tools:
                  refund: {action: allow}
                """);
        assertThat(warnings).singleElement().satisfies(w -> {
            assertThat(w.code()).isEqualTo("unmatched-tool");
            assertThat(w.toString()).startsWith("p.yaml:4:16: warning: role 'l1' names 'refnud', which no tools entry"
                    + " matches").contains("did you mean refund?").endsWith("[unmatched-tool]");
        });
    }

    @Test
    void aToolMatchedByAGlobKeyIsKnownButTheGlobKeyIsItselfAWarning() {
        List<LintWarning> warnings = lint(HEADER + """
                roles:
                  l1: [crm.read]
                tools:
                  "crm.*": {action: allow}
                """);
        assertThat(warnings).singleElement().satisfies(w -> {
            assertThat(w.code()).isEqualTo("glob-tool-key");
            assertThat(w.position().line()).isEqualTo(6);
            assertThat(w.message()).contains("'crm.*' is a glob");
        });
    }

    @Test
    void sequencesNamingUndefinedToolsAreWarnings_afterOnlyUnderDefaultDeny() {
        String sequences = """
                tools:
                  email.send: {action: allow}
                sequences:
                  - {name: exfil, after: [crm.read], deny: [email.sned], within: session}
                """;
        assertThat(lint(HEADER + sequences)).extracting(LintWarning::message)
                .anySatisfy(m -> assertThat(m).startsWith("sequence 'exfil' (after) names 'crm.read'"))
                .anySatisfy(m -> assertThat(m).startsWith("sequence 'exfil' (deny) names 'email.sned'")
                        .contains("did you mean email.send?"))
                .hasSize(2);
        // under default: allow a tool without an entry runs, so it is history a sequence can follow
        assertThat(lint(HEADER + "default: allow\n" + sequences)).extracting(LintWarning::message)
                .singleElement().satisfies(m -> assertThat(m).startsWith("sequence 'exfil' (deny)"));
    }

    @Test
    void anArgumentNameOnAToolWithoutASchemaIsAWarningAtItsColumn_oncePerName() {
        List<LintWarning> warnings = lint(HEADER + """
                tools:
                  issue_refund:
                    rules:
                      - when: args.amout <= 200
                        action: allow
                      - when: args.amout > 200 && args.reason == "x"
                        action: deny
                """).stream().filter(w -> !w.code().equals("condition-can-error")).toList();
        assertThat(warnings).extracting(LintWarning::code).containsOnly("unchecked-argument");
        assertThat(warnings).extracting(LintWarning::toString).containsExactly(
                "p.yaml:6:15: warning: 'args.amout' is not checked against any argument names: tool 'issue_refund' has"
                        + " no arguments schema with properties, so a misspelt name reads as absent; declare"
                        + " arguments.properties [unchecked-argument]",
                "p.yaml:8:35: warning: 'args.reason' is not checked against any argument names: tool 'issue_refund'"
                        + " has no arguments schema with properties, so a misspelt name reads as absent; declare"
                        + " arguments.properties [unchecked-argument]");
    }

    @Test
    void aLimitsGlobNoToolEntryMatchesIsAWarning() {
        assertThat(lint(HEADER + """
                tools:
                  read_file: {action: allow}
                limits:
                  - {tools: [read_file, "search*"], limit: 100, per: 1m, key: ctx.user.id}
                """)).singleElement().satisfies(w -> {
            assertThat(w.code()).isEqualTo("unmatched-tool");
            assertThat(w.position().line()).isEqualTo(6);
            assertThat(w.message()).startsWith("limits[0] names 'search*', which no tools entry matches");
        });
    }

    @Test
    void aLimitConditionThatCanErrorOnArgumentsIsAWarningNamingTheEntry() {
        assertThat(lint(HEADER + """
                tools:
                  read_file:
                    arguments: {type: object, properties: {size: {type: integer}}}
                    action: allow
                    rate_limit:
                      - {limit: 60, per: 1m}
                      - {limit: 5, per: 1m, when: args.size > 1000}
                """)).singleElement().satisfies(w -> {
            assertThat(w.code()).isEqualTo("condition-can-error");
            assertThat(w.message()).startsWith("tools.read_file.rate_limit[1]: args.size")
                    .contains("this limit applies");
        });
    }

    @Test
    void aFileWithoutApiVersionOrKindIsAWarning() {
        assertThat(lint("tools:\n  t: {action: allow}\n")).singleElement().satisfies(w -> {
            assertThat(w.code()).isEqualTo("missing-header");
            assertThat(w.toString()).startsWith("p.yaml:1:1: warning: the file has no apiVersion and no kind");
        });
        assertThat(lint("kind: Policy\ntools:\n  t: {action: allow}\n")).singleElement()
                .satisfies(w -> assertThat(w.message()).startsWith("the file has no apiVersion:"));
    }

    @Test
    void aBundleThatFailsToLoadHasErrorsAndNoWarnings() {
        LoadResult result = BundleLoader.loadTexts(Map.of("p.yaml", "tools:\n  t: {acton: allow}\n"));
        assertThat(result.ok()).isFalse();
        assertThat(result.warnings()).isEmpty();
    }
}
