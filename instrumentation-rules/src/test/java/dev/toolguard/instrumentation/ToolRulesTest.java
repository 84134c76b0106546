package dev.toolguard.instrumentation;

import dev.toolguard.policy.load.Nearest;
import dev.toolguard.api.GuardedTool;
import dev.toolguard.instrumentation.rule.AnnotatedToolRule;
import dev.toolguard.instrumentation.rule.ClassToolRule;
import dev.toolguard.instrumentation.rule.Globs;
import dev.toolguard.instrumentation.rule.ParameterNaming;
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

    private static ToolRules guardedTool() {
        return new ToolRules(List.of(AnnotatedToolRule.of("guarded-tool", GuardedTool.class.getName())),
                ParameterNaming.COMPILED_NAMES);
    }

    interface Wiping {
        @GuardedTool(name = "wipe")
        String wipe(String what);
    }

    public static class Wiper implements Wiping {
        @Override
        public String wipe(String what) {
            return what;
        }
    }

    public abstract static class AbstractWiper {
        @GuardedTool(name = "wipe_all")
        public abstract String wipeAll(String scope);

        @GuardedTool(name = "archive")
        public String archive(String scope) {
            return scope;
        }
    }

    public static class DiskWiper extends AbstractWiper {
        @Override
        public String wipeAll(String scope) {
            return scope;
        }

        @Override
        public String archive(String scope) {
            return scope;
        }
    }

    interface Generic<T> {
        @GuardedTool(name = "convert")
        T convert(T value);
    }

    public static class StringConverter implements Generic<String> {
        @Override
        public String convert(String value) {
            return value;
        }
    }

    interface SafeWiping extends Wiping {
        @Override
        default String wipe(String what) {
            return "nothing wiped";
        }
    }

    @Test
    void aDefaultMethodOfASubInterfaceThatOverridesAnAnnotatedMethodIsGuardedToo() {
        assertThat(guardedTool().types().matches(type(SafeWiping.class))).isTrue();
        assertThat(guardedTool().toolsOf(type(SafeWiping.class))).singleElement()
                .satisfies(m -> assertThat(m.tool().toolName()).isEqualTo("wipe"));
    }

    @Test
    void anAnnotationOnAnInterfaceMethodGuardsItsImplementationUnderTheNameItGives() {
        assertThat(guardedTool().types().matches(type(Wiper.class))).isTrue();
        assertThat(guardedTool().toolsOf(type(Wiper.class))).singleElement().satisfies(m -> {
            assertThat(m.tool().toolName()).isEqualTo("wipe");
            assertThat(m.tool().signature()).endsWith("Wiper#wipe(String)");
            assertThat(m.tool().parameterNames()).containsExactly("what");
        });
    }

    @Test
    void anAnnotationOnAnAbstractOrOverriddenMethodGuardsEveryOverride() {
        assertThat(guardedTool().toolsOf(type(DiskWiper.class))).extracting(m -> m.tool().toolName())
                .containsExactlyInAnyOrder("wipe_all", "archive");
    }

    @Test
    void aGenericInterfaceMethodGuardsTheImplementationOfItsTypeArgumentNotOnlyTheBridge() {
        assertThat(guardedTool().toolsOf(type(StringConverter.class))).singleElement().satisfies(m -> {
            assertThat(m.tool().toolName()).isEqualTo("convert");
            assertThat(m.method().getDescriptor()).isEqualTo("(Ljava/lang/String;)Ljava/lang/String;");
        });
    }

    private static TypeDescription type(Class<?> c) {
        return TypeDescription.ForLoadedType.of(c);
    }

    @Test
    void guardedToolTakesItsNameFromTheAnnotationElseTheMethod() {
        ToolRules rules = guardedTool();

        List<ToolRules.Match> tools = rules.toolsOf(type(RefundTools.class));

        assertThat(tools).extracting(m -> m.tool().toolName()).containsExactlyInAnyOrder("issue_refund", "resetPassword");
        ToolMethod refund = tools.stream().filter(m -> m.tool().toolName().equals("issue_refund")).findFirst().orElseThrow().tool();
        assertThat(refund.parameterNames()).containsExactly("customer_id", "amount");
        assertThat(refund.signature()).isEqualTo(RefundTools.class.getName() + "#issueRefund(String,double)");
        assertThat(refund.ruleSet()).isEqualTo("guarded-tool");
    }

    @Test
    void aTypeWithoutTheAnnotationIsNotEvenACandidate() {
        ToolRules rules = guardedTool();

        assertThat(rules.types().matches(type(Archive.class))).isFalse();
        assertThat(rules.types().matches(type(RefundTools.class))).isTrue();
    }

    @Test
    void aClassRuleNamesArgumentsItselfAndCoversOverloadsByGlob() {
        ToolRules rules = new ToolRules(List.of(new ClassToolRule("dev.toolguard.**Tools", "reset*", "reset_password",
                List.of("address"))), ParameterNaming.COMPILED_NAMES);

        List<ToolRules.Match> tools = rules.toolsOf(type(RefundTools.class));

        assertThat(tools).singleElement().satisfies(m -> {
            assertThat(m.tool().toolName()).isEqualTo("reset_password");
            assertThat(m.tool().parameterNames()).containsExactly("address");
            assertThat(m.tool().ruleSet()).isEqualTo("rules");
        });
    }

    @Test
    void anImplementsRuleMatchesImplementationsNotTheInterface() {
        ToolRules rules = new ToolRules(List.of(new SubtypeToolRule(Task.class.getName(), "run", null, List.of())), ParameterNaming.COMPILED_NAMES);

        assertThat(rules.types().matches(type(Task.class))).isFalse();
        assertThat(rules.toolsOf(type(Archive.class))).singleElement()
                .satisfies(m -> assertThat(m.tool().toolName()).isEqualTo("run"));
    }

    @Test
    void anAnnotationRuleReadsTheNameFromTheGivenAttribute() {
        ToolRules rules = new ToolRules(List.of(new AnnotatedToolRule("rules", Action.class.getName(), "value", null,
                null, List.of())), ParameterNaming.COMPILED_NAMES);

        assertThat(rules.toolsOf(type(Archive.class))).singleElement()
                .satisfies(m -> assertThat(m.tool().toolName()).isEqualTo("archive_ticket"));
    }

    @Test
    void theFirstRuleThatMatchesAMethodNamesIt() {
        ToolRules rules = new ToolRules(List.of(
                new ClassToolRule(RefundTools.class.getName(), "issueRefund", "first", List.of()),
                new ClassToolRule(RefundTools.class.getName(), "*", null, List.of())), ParameterNaming.COMPILED_NAMES);

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

    @Test
    void aRulesFileEntryThatMatchesAClassButNoMethodIsAMissNamingTheNearestMethods() {
        ToolRules rules = new ToolRules(List.of(new ClassToolRule(RefundTools.class.getName(), "issueRefnd", null,
                List.of(), "rules.yaml:2:5")), ParameterNaming.COMPILED_NAMES);

        ToolRules.Found found = rules.find(type(RefundTools.class));

        assertThat(found.tools()).isEmpty();
        assertThat(found.misses()).singleElement().satisfies(m -> {
            assertThat(m.rule().origin()).isEqualTo("rules.yaml:2:5");
            assertThat(m.className()).isEqualTo(RefundTools.class.getName());
            assertThat(m.nearest()).containsExactly("issueRefund");
        });
        assertThat(rules.entriesMatchingNoClass()).isEmpty();
    }

    @Test
    void aRulesFileEntryThatMatchedNoClassIsKnownAsSuchAndTheFrameworksRulesNeverAre() {
        ToolRules rules = new ToolRules(List.of(AnnotatedToolRule.of("guarded-tool", GuardedTool.class.getName()),
                new ClassToolRule("com.acme.CrmClinet", "update*", null, List.of(), "rules.yaml:5:5")),
                ParameterNaming.COMPILED_NAMES);

        rules.find(type(RefundTools.class));

        assertThat(rules.entriesMatchingNoClass()).extracting(r -> r.entry()).containsExactly("class com.acme.CrmClinet");
        assertThat(Nearest.names("com.acme.CrmClinet", List.of("com.acme.CrmClient", "com.acme.Billing")))
                .containsExactly("com.acme.CrmClient");
    }
}
