package dev.toolguard.instrumentation;

import dev.toolguard.instrumentation.file.RulesFile;
import dev.toolguard.instrumentation.rule.AnnotatedToolRule;
import dev.toolguard.instrumentation.rule.ClassToolRule;
import dev.toolguard.instrumentation.rule.SubtypeToolRule;
import dev.toolguard.policy.values.SourceProblem;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RulesFileTest {

    @Test
    void eachKindOfEntryBecomesItsRule() {
        RulesFile.Result r = RulesFile.read("rules.yaml", """
                tools:
                  - class: com.acme.billing.RefundService
                    method: issueRefund
                    name: issue_refund
                    parameters: [customer_id, amount, reason]
                  - implements: com.acme.agent.AgentTool
                    method: execute
                  - annotation: com.acme.ai.AgentAction
                    name_from: value
                """);

        assertThat(r.problems()).isEmpty();
        assertThat(r.rules()).hasSize(3);
        assertThat(r.rules().get(0)).isInstanceOf(ClassToolRule.class);
        assertThat(r.rules().get(1)).isInstanceOf(SubtypeToolRule.class);
        assertThat(r.rules().get(2)).isInstanceOf(AnnotatedToolRule.class);
    }

    @Test
    void anUnknownKeyIsReportedAtItsLineAndColumn() {
        RulesFile.Result r = RulesFile.read("rules.yaml", """
                tools:
                  - class: com.acme.RefundService
                    methd: issueRefund
                """);

        assertThat(r.rules()).isEmpty();
        assertThat(r.problems()).extracting(SourceProblem::toString)
                .anySatisfy(p -> assertThat(p).startsWith("rules.yaml:3:5: unknown key 'methd'"))
                .anySatisfy(p -> assertThat(p).contains("missing required key 'method'"));
    }

    @Test
    void anEntryNeedsExactlyOneOfClassImplementsOrAnnotation() {
        RulesFile.Result none = RulesFile.read("rules.yaml", "tools:\n  - method: run\n");
        RulesFile.Result two = RulesFile.read("rules.yaml", "tools:\n  - class: A\n    implements: B\n    method: run\n");

        assertThat(none.problems()).extracting(SourceProblem::message)
                .contains("a tools item needs one of class, implements or annotation");
        assertThat(two.problems()).extracting(SourceProblem::message)
                .contains("a tools item takes only one of class, implements or annotation");
    }

    @Test
    void nameFromIsOnlyForAnnotations() {
        RulesFile.Result r = RulesFile.read("rules.yaml", "tools:\n  - class: A\n    method: run\n    name_from: value\n");

        assertThat(r.problems()).extracting(SourceProblem::toString)
                .containsExactly("rules.yaml:4:5: name_from is for annotation items only");
    }

    @Test
    void aFileWithoutToolsIsAnError() {
        RulesFile.Result r = RulesFile.read("rules.yaml", "tool: []\n");

        assertThat(r.ok()).isFalse();
        assertThat(r.problems()).extracting(SourceProblem::message)
                .anySatisfy(m -> assertThat(m).startsWith("unknown key 'tool'"))
                .contains("missing required key 'tools'");
    }

    @Test
    void brokenYamlIsReportedWithItsPosition() {
        RulesFile.Result r = RulesFile.read("rules.yaml", "tools:\n  - class: [A\n");

        assertThat(r.ok()).isFalse();
        assertThat(r.problems().get(0).source()).isEqualTo("rules.yaml");
        assertThat(r.problems().get(0).line()).isPositive();
    }

    /** A salvaged rule as {@code class A issueRefund @rules.yaml:2:3}, {@code annotation B *}. */
    private static String described(dev.toolguard.instrumentation.rule.ToolRule r) {
        if (r instanceof AnnotatedToolRule a) {
            return "annotation " + a.annotation();
        }
        return r.entry() + " " + r.methodGlob() + " @" + r.origin();
    }

    @Test
    void aFileThatDoesNotParseIsStillReadForTheEntriesItNames() {
        RulesFile.Result r = RulesFile.read("rules.yaml", """
                tools:
                  - class: com.acme.billing.RefundService   # refunds
                    method: "issueRefund"
                    parameters: [customer_id, amount
                  - implements: com.acme.agent.AgentTool
                	method: execute
                  - {annotation: com.acme.ai.AgentAction, name_from: value}
                """);

        assertThat(r.ok()).isFalse();
        assertThat(r.rules()).isEmpty();
        assertThat(r.salvaged()).extracting(RulesFileTest::described).containsExactly(
                "class com.acme.billing.RefundService issueRefund @rules.yaml:2:3",
                "implements com.acme.agent.AgentTool execute @rules.yaml:5:3",
                "annotation com.acme.ai.AgentAction");
    }

    @Test
    void aMistypedKeyIsReadAsTheKeyItIsNearestAndAnEntryWithoutAMethodNamesEveryMethod() {
        RulesFile.Result r = RulesFile.read("rules.yaml", """
                tools:
                  - clas: com.acme.RefundService
                    methd: issueRefund
                  - class: com.acme.CrmClient
                    name: update_account
                  - implments: com.acme.agent.AgentTool
                    parameters:
                      - query
                    metod: execute
                """);

        assertThat(r.ok()).isFalse();
        assertThat(r.salvaged()).extracting(RulesFileTest::described).containsExactly(
                "class com.acme.RefundService issueRefund @rules.yaml:2:3",
                "class com.acme.CrmClient * @rules.yaml:4:3",
                "implements com.acme.agent.AgentTool execute @rules.yaml:6:3");
    }

    @Test
    void whatCannotBeANameIsNotTakenForOne() {
        RulesFile.Result r = RulesFile.read("rules.yaml", """
                tools:
                  - class: [com.acme.A
                    method: run
                  - class: com.acme.B
                    method: a b c
                  - name: orphan
                    method: lonely
                """);

        // the first entry's class is no name; the second's method none either, so every method of B;
        // an entry with nothing to find its classes by guards nothing
        assertThat(r.salvaged()).extracting(RulesFileTest::described).containsExactly(
                "class com.acme.B * @rules.yaml:4:3");
    }

    @Test
    void aFileWithoutProblemsHasNothingSalvaged() {
        RulesFile.Result r = RulesFile.read("rules.yaml", "tools:\n  - class: A\n    method: run\n");

        assertThat(r.ok()).isTrue();
        assertThat(r.salvaged()).isEmpty();
    }

    @Test
    void aRulesFileThatIsNotThereOffersTheNearestFileBesideItAndSalvagesItsEntries(@org.junit.jupiter.api.io.TempDir
                                                                                  java.nio.file.Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("rules.yaml"), "tools:\n  - class: com.acme.A\n    method: run\n");
        java.nio.file.Files.writeString(dir.resolve("policy.yaml"), "tools: {}\n");

        RulesFile.Result r = RulesFile.read(dir.resolve("rule.yaml"));

        assertThat(r.ok()).isFalse();
        assertThat(r.problems()).extracting(SourceProblem::message)
                .anySatisfy(m -> assertThat(m).contains("no such file"))
                .anySatisfy(m -> assertThat(m).startsWith("did you mean rules.yaml?"));
        assertThat(r.salvaged()).extracting(RulesFileTest::described)
                .containsExactly("class com.acme.A run @" + dir.resolve("rules.yaml") + ":2:5");
        assertThat(RulesFile.read(dir.resolve("nothing-like-it.yaml")).salvaged()).isEmpty();
    }
}
