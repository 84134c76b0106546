package dev.toolguard.policy.expr;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random expressions of the subset, evaluated by us and by Google's CEL on the same inputs: they must
 * agree on every case. Any two errors count as equal, and a compile rejection must be matched by one;
 * the single planned difference is a literal regular expression that does not compile, which CEL reports
 * only if it runs it, and we report when compiling.
 *
 * <p>{@code -Dtoolguard.cel.seed=<n>|random} and {@code -Dtoolguard.cel.cases=<n>} change the run.
 */
class CelDifferentialTest {

    private static final long DEFAULT_SEED = 20261121L;
    private static final int DEFAULT_CASES = 10_000;
    private static final int SHOWN = 10;

    @Test
    void ourEvaluatorAgreesWithCelOnRandomExpressions() {
        long seed = seed();
        int cases = Integer.getInteger("toolguard.cel.cases", DEFAULT_CASES);
        CelOracle oracle = new CelOracle();
        RandomCases generator = new RandomCases(seed);
        List<String> disagreements = new ArrayList<>();
        int disagreeing = 0;
        int values = 0;
        int errors = 0;
        int rejected = 0;
        for (int i = 0; i < cases; i++) {
            RandomCases.Case c = generator.next();
            CelOracle.Outcome theirs = oracle.evaluate(c.expression(), c.args(), c.ctx(), c.tool());
            Outcome ours = ours(c);
            if (!agree(ours, theirs)) {
                disagreeing++;
                if (disagreements.size() < SHOWN) {
                    disagreements.add(describe(i, c, ours, theirs));
                }
            } else if (theirs instanceof CelOracle.Value) {
                values++;
            } else if (theirs instanceof CelOracle.Failed) {
                errors++;
            } else {
                rejected++;
            }
        }
        System.out.printf("CEL differential: seed %d, %d cases: %d values, %d errors, %d rejected, %d disagreements%n",
                seed, cases, values, errors, rejected, disagreeing);
        assertThat(disagreeing)
                .as("disagreements with CEL, seed %d (rerun with -Dtoolguard.cel.seed=%d):%n%s",
                        seed, seed, String.join("\n", disagreements))
                .isZero();
        // the generator must keep exercising values, not only errors and rejections
        assertThat(values).as("cases with a value").isGreaterThan(cases / 2);
        assertThat(errors).as("cases with an error").isPositive();
        assertThat(rejected).as("cases rejected when compiling").isPositive();
    }

    private static long seed() {
        String property = System.getProperty("toolguard.cel.seed", "");
        if (property.isBlank()) {
            return DEFAULT_SEED;
        }
        if (property.equals("random")) {
            return System.nanoTime();
        }
        return Long.parseLong(property.trim());
    }

    private sealed interface Outcome {
    }

    private record Rejected(List<ExpressionProblem> problems) implements Outcome {
    }

    private record Evaluated(Object value) implements Outcome {
    }

    private static Outcome ours(RandomCases.Case c) {
        ExpressionCompiler.Compilation compilation = ExpressionCompiler.compile(c.expression());
        if (!compilation.ok()) {
            return new Rejected(compilation.problems());
        }
        return new Evaluated(compilation.expression().evaluate(c.args(), c.ctx(), c.tool()));
    }

    private static boolean agree(Outcome ours, CelOracle.Outcome theirs) {
        if (ours instanceof Rejected rejected) {
            if (theirs instanceof CelOracle.Rejected) {
                return true;
            }
            // a literal pattern that does not compile is our compile problem; CEL fails only if it gets
            // to run it, and otherwise has a value
            return !(theirs instanceof CelOracle.Rejected) && rejected.problems().stream()
                    .allMatch(p -> p.message().startsWith("invalid regular expression"));
        }
        Object value = ((Evaluated) ours).value();
        if (value instanceof EvalError) {
            return theirs instanceof CelOracle.Failed;
        }
        return theirs instanceof CelOracle.Value v && same(value, v.value());
    }

    /** Equal values of equal types: an int is never the same as a double here. */
    static boolean same(Object ours, Object theirs) {
        Object a = Values.normalize(ours);
        if (a == null || theirs == null) {
            return a == theirs;
        }
        if (a instanceof Double x) {
            return theirs instanceof Double y && Double.compare(x, y) == 0;
        }
        if (a instanceof List<?> l) {
            if (!(theirs instanceof List<?> m) || l.size() != m.size()) {
                return false;
            }
            for (int i = 0; i < l.size(); i++) {
                if (!same(l.get(i), m.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> l) {
            if (!(theirs instanceof Map<?, ?> m) || l.size() != m.size()) {
                return false;
            }
            for (Map.Entry<?, ?> entry : l.entrySet()) {
                if (!m.containsKey(entry.getKey()) || !same(entry.getValue(), m.get(entry.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return a.getClass() == theirs.getClass() && a.equals(theirs);
    }

    private static String describe(int index, RandomCases.Case c, Outcome ours, CelOracle.Outcome theirs) {
        return "#" + index + "  " + c.expression()
                + "\n    args=" + c.args() + "\n    ctx=" + c.ctx() + "\n    tool=" + c.tool()
                + "\n    ours:  " + ours + "\n    CEL:   " + theirs;
    }
}
