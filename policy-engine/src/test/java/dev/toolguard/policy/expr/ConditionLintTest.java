package dev.toolguard.policy.expr;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which reads of caller-controlled input the lint calls unguarded (SPEC §4 "Errors never widen"). */
class ConditionLintTest {

    private static String findings(String source) {
        return ConditionLint.of(source, name -> name.equals("checked")).stream()
                .map(f -> f.path() + " " + f.problem()).toList().toString();
    }

    @Test
    void anUnguardedReadOfArgsOrCtxIsFound() {
        assertThat(findings("args.amount > 100 && ctx.user.tier == 'gold'"))
                .isEqualTo("[args.amount can be missing, ctx.user.tier can be missing]");
    }

    @Test
    void hasOnTheLeftOfAndOrInATernaryConditionGuards() {
        assertThat(findings("has(args.amount) && args.amount > 100")).isEqualTo("[]");
        assertThat(findings("!has(ctx.tier) || ctx.tier == 'gold'")).isEqualTo("[]");
        assertThat(findings("has(ctx.tier) ? ctx.tier == 'gold' : false")).isEqualTo("[]");
        assertThat(findings("has(ctx.user) && has(ctx.user.roles) && 'x' in ctx.user.roles && ctx.user.id == 'u'"))
                .isEqualTo("[ctx.user.id can be missing]");
    }

    @Test
    void hasOfANestedFieldIsTheGuardItsWriterChose() {
        // has(ctx.user.tier) errors when ctx.user is missing, as in CEL: the fail-closed idiom of SPEC §3, not flagged
        assertThat(findings("has(ctx.user.tier) && ctx.user.tier == 'gold'")).isEqualTo("[]");
    }

    @Test
    void aDivisorMustBeTestedNonZero() {
        assertThat(findings("has(args.a) && has(args.q) && args.a / args.q > 1")).isEqualTo("[args.q can be 0]");
        assertThat(findings("has(args.a) && has(args.q) && args.q != 0 && args.a / args.q > 1")).isEqualTo("[]");
        assertThat(findings("has(args.a) && args.a % 2 == 0")).isEqualTo("[]");
    }

    @Test
    void argumentsTheSchemaRequiresAndTypesAndOtherVariablesAreNotFlagged() {
        assertThat(findings("args.checked > 1 && tool == 'x' && [1, 2].exists(v, v > 1)")).isEqualTo("[]");
    }
}
