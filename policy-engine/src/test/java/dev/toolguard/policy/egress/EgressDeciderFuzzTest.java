package dev.toolguard.policy.egress;

import dev.toolguard.policy.fuzz.Fuzz;
import dev.toolguard.policy.load.ToolPattern;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The egress check (SPEC §18) on random rules and random egress: it never throws, it allows exactly when every
 * constraint of the tool's rule for the kind is met (an independent oracle below), a denial inside a tool always
 * names {@code tools.<tool>.egress.<kind>}, and unreadable egress is never allowed where its kind is restricted.
 */
class EgressDeciderFuzzTest {

    private static final List<String> WORDS = List.of("crm", "hr", "accounts", "salaries", "partner.example",
            "evil.example", "a", "", "*", "x*y", "crm.*", "*.example", "systemctl", "/usr/bin/systemctl", "ü", "..");
    private static final List<String> STATEMENTS = List.of("select", "update", "drop", "insert", "other");
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE");

    record Input(EgressDefaults defaults, String tool, ToolEgress entry, Map<EgressKind, EgressRule> rules,
                 EgressRequest request) {
    }

    @Test
    void the_decision_agrees_with_an_oracle_and_never_throws() {
        Fuzz.forAll(Fuzz.seed(0x5eed18L), f -> {
            Map<EgressKind, EgressRule> rules = new EnumMap<>(EgressKind.class);
            for (EgressKind k : EgressKind.values()) {
                if (f.bool()) {
                    rules.put(k, rule(f, k));
                }
            }
            boolean hasEntry = f.oneIn(5) ? false : true;
            String tool = f.oneIn(8) ? null : "t" + f.between(0, 3);
            EgressDefaults d = new EgressDefaults(f.pick(EgressDefaults.Outside.ALLOW, EgressDefaults.Outside.DENY),
                    f.pick(EgressDefaults.Outside.values()));
            return new Input(d, tool, hasEntry && tool != null ? new ToolEgress(tool, rules) : null, rules, request(f));
        }, in -> {
            EgressVerdict v = EgressDecider.decide(in.defaults(), in.tool(), in.entry(), in.request());
            assertThat(v).isNotNull();
            boolean expected = oracle(in);
            assertThat(v.allowed()).as("allowed").isEqualTo(expected);
            if (!v.allowed() && in.tool() != null) {
                assertThat(v.rule()).isEqualTo("tools." + in.tool() + ".egress." + in.request().kind().key());
                assertThat(v.record()).isTrue();
            }
        });
    }

    private static boolean oracle(Input in) {
        if (in.tool() == null) {
            return in.defaults().outsideTools() != EgressDefaults.Outside.DENY;
        }
        if (in.entry() == null) {
            return in.defaults().defaultInTools() == EgressDefaults.Outside.ALLOW;
        }
        EgressRule r = in.rules().get(in.request().kind());
        if (r == null || r.mode() == EgressRule.Mode.DENY) {
            return false;
        }
        if (r.mode() == EgressRule.Mode.ALLOW) {
            return true;
        }
        EgressRequest q = in.request();
        if (q.problem() != null) {
            return false;
        }
        return switch (q.kind()) {
            case SQL -> (r.statements() == null || r.statements().containsAll(q.actions()))
                    && every(q.targets(), r.tables());
            case HTTP -> (r.methods() == null || r.methods().contains(q.actions().get(0)))
                    && (r.hosts() == null || r.hosts().stream().anyMatch(h -> h.name().matches(q.targets().get(0))
                    && (h.port() < 0 || h.port() == q.port())));
            case MAIL -> every(q.targets(), r.recipients());
            case EXEC -> every(q.targets(), r.commands());
        };
    }

    private static boolean every(List<String> values, List<ToolPattern> globs) {
        return globs == null || values.stream().allMatch(v -> globs.stream().anyMatch(g -> g.matches(v)));
    }

    private static EgressRule rule(Fuzz f, EgressKind k) {
        int mode = f.between(0, 2);
        if (mode == 0) {
            return EgressRule.allow(k);
        }
        if (mode == 1) {
            return EgressRule.deny(k);
        }
        return switch (k) {
            case SQL -> new EgressRule(k, EgressRule.Mode.CONSTRAINED,
                    f.bool() ? Set.copyOf(f.subsetOf(STATEMENTS)) : null, f.bool() ? globs(f) : null,
                    null, null, null, null);
            case HTTP -> new EgressRule(k, EgressRule.Mode.CONSTRAINED, null, null,
                    f.bool() ? f.listOf(0, 3, () -> EgressRule.Host.parse(f.pick(WORDS) + (f.bool() ? ":" + f.pick(80, 443, 8443) : ""))) : null,
                    f.bool() ? Set.copyOf(f.subsetOf(METHODS)) : null, null, null);
            case MAIL -> new EgressRule(k, EgressRule.Mode.CONSTRAINED, null, null, null, null,
                    f.bool() ? globs(f) : null, null);
            case EXEC -> new EgressRule(k, EgressRule.Mode.CONSTRAINED, null, null, null, null, null,
                    f.bool() ? globs(f) : null);
        };
    }

    private static List<ToolPattern> globs(Fuzz f) {
        return f.listOf(0, 3, () -> ToolPattern.of(f.pick(WORDS)));
    }

    private static EgressRequest request(Fuzz f) {
        EgressKind kind = f.pick(EgressKind.values());
        if (f.oneIn(10)) {
            return EgressRequest.unreadable(kind, "unreadable");
        }
        return switch (kind) {
            case SQL -> EgressRequest.sql(f.listOf(1, 3, () -> f.pick(STATEMENTS)), f.listOf(0, 3, () -> f.pick(WORDS)));
            case HTTP -> EgressRequest.http(f.pick(METHODS), f.pick(WORDS), f.pick(80, 443, 8443));
            case MAIL -> EgressRequest.mail(f.listOf(0, 3, () -> f.pick(WORDS)));
            case EXEC -> EgressRequest.exec(f.pick(WORDS));
        };
    }
}
