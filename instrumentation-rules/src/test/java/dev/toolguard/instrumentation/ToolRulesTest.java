package dev.toolguard.instrumentation;

import dev.toolguard.api.GuardedTool;
import dev.toolguard.instrumentation.rule.AnnotatedToolRule;
import dev.toolguard.instrumentation.rule.BuiltinRuleSets;
import dev.toolguard.instrumentation.rule.ClassToolRule;
import dev.toolguard.instrumentation.rule.Globs;
import dev.toolguard.instrumentation.rule.SubtypeToolRule;
import net.bytebuddy.description.type.TypeDescription;
import org.junit.jupiter.api.Test;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ToolRulesTest {

    @Retention(RetentionPolicy.RUNTIME)
    @interface Action {
        String value();
    }

    interface Task {
        String run(String input);
    }

    public static class RefundTools {
        @GuardedTool(name = "issue_refund")
        public String issueRefund(String customer_id, double amount) {
            return "";
        }

        @GuardedTool
        public String resetPassword(String email) {
            return "";
        }

        public String helper(String x) {
            return x;
        }
    }

    public static class Archive implements Task {
        @Override
        public String run(String input) {
            return input;
        }

        @Action("archive_ticket")
        public void archive(String ticketId) {
        }
    }

    private static TypeDescription type(Class<?> c) {
        return TypeDescription.ForLoadedType.of(c);
    }

    @Test
    void guardedToolTakesItsNameFromTheAnnotationElseTheMethod() {
        ToolRules rules = new ToolRules(BuiltinRuleSets.rules(List.of("guarded-tool")));

        List<ToolRules.Match> tools = rules.toolsOf(type(RefundTools.class));

        assertThat(tools).extracting(m -> m.tool().toolName()).containsExactlyInAnyOrder("issue_refund", "resetPassword");
        ToolMethod refund = tools.stream().filter(m -> m.tool().toolName().equals("issue_refund")).findFirst().orElseThrow().tool();
        assertThat(refund.parameterNames()).containsExactly("customer_id", "amount");
        assertThat(refund.signature()).isEqualTo(RefundTools.class.getName() + "#issueRefund(String,double)");
        assertThat(refund.ruleSet()).isEqualTo("guarded-tool");
    }

    @Test
    void aTypeWithoutTheAnnotationIsNotEvenACandidate() {
        ToolRules rules = new ToolRules(BuiltinRuleSets.rules(List.of("guarded-tool")));

        assertThat(rules.types().matches(type(Archive.class))).isFalse();
        assertThat(rules.types().matches(type(RefundTools.class))).isTrue();
    }

    @Test
    void aClassRuleNamesArgumentsItselfAndCoversOverloadsByGlob() {
        ToolRules rules = new ToolRules(List.of(new ClassToolRule("dev.toolguard.**Tools", "reset*", "reset_password",
                List.of("address"))));

        List<ToolRules.Match> tools = rules.toolsOf(type(RefundTools.class));

        assertThat(tools).singleElement().satisfies(m -> {
            assertThat(m.tool().toolName()).isEqualTo("reset_password");
            assertThat(m.tool().parameterNames()).containsExactly("address");
            assertThat(m.tool().ruleSet()).isEqualTo("rules");
        });
    }

    @Test
    void anImplementsRuleMatchesImplementationsNotTheInterface() {
        ToolRules rules = new ToolRules(List.of(new SubtypeToolRule(Task.class.getName(), "run", null, List.of())));

        assertThat(rules.types().matches(type(Task.class))).isFalse();
        assertThat(rules.toolsOf(type(Archive.class))).singleElement()
                .satisfies(m -> assertThat(m.tool().toolName()).isEqualTo("run"));
    }

    @Test
    void anAnnotationRuleReadsTheNameFromTheGivenAttribute() {
        ToolRules rules = new ToolRules(List.of(new AnnotatedToolRule("rules", Action.class.getName(), "value", null,
                null, List.of())));

        assertThat(rules.toolsOf(type(Archive.class))).singleElement()
                .satisfies(m -> assertThat(m.tool().toolName()).isEqualTo("archive_ticket"));
    }

    @Test
    void theFirstRuleThatMatchesAMethodNamesIt() {
        ToolRules rules = new ToolRules(List.of(
                new ClassToolRule(RefundTools.class.getName(), "issueRefund", "first", List.of()),
                new ClassToolRule(RefundTools.class.getName(), "*", null, List.of())));

        assertThat(rules.toolsOf(type(RefundTools.class))).extracting(m -> m.tool().toolName())
                .containsExactlyInAnyOrder("first", "resetPassword", "helper");
    }

    @Test
    void classGlobsSeparateSegmentsWithOneStarAndCrossThemWithTwo() {
        assertThat(Globs.className("com.acme.*").matcher("com.acme.Refunds").matches()).isTrue();
        assertThat(Globs.className("com.acme.*").matcher("com.acme.billing.Refunds").matches()).isFalse();
        assertThat(Globs.className("com.acme.**").matcher("com.acme.billing.Refunds").matches()).isTrue();
        assertThat(Globs.className("com.acme.Refund$Inner").matcher("com.acme.Refund$Inner").matches()).isTrue();
        assertThat(Globs.methodName("issue*").matcher("issueRefund").matches()).isTrue();
        assertThat(Globs.literalPrefix("com.acme.**Service")).isEqualTo("com.acme.");
    }
}
