package dev.toolguard.policy.expr;

import java.util.List;

/**
 * Parses, checks and compiles expressions of the CEL subset (SPEC §4): lexer and parser to an AST with
 * columns, a checker that types it as CEL's checker would, and a planner to the tree evaluator.
 */
public final class ExpressionCompiler {

    private ExpressionCompiler() {
    }

    /**
     * Compiles one expression. On success the result has an expression and no problems; otherwise
     * no expression and at least one problem, each with the column inside {@code source}.
     */
    public static Compilation compile(String source) {
        if (source == null) {
            return failure(new ExpressionProblem(1, "no expression"));
        }
        try {
            Ast ast = Parser.parse(source);
            Checker.Checked checked = Checker.check(ast);
            if (!checked.problems().isEmpty()) {
                return new Compilation(null, checked.problems());
            }
            TreePlanner.Plan plan = TreePlanner.plan(checked);
            return new Compilation(new TreeExpression(source, plan.root(), plan.localSlots(),
                    checked.argumentReferences()), List.of());
        } catch (Lexer.LexFailure e) {
            return failure(new ExpressionProblem(e.column, e.getMessage()));
        } catch (Parser.ParseFailure e) {
            return failure(new ExpressionProblem(e.column, e.getMessage()));
        } catch (StackOverflowError e) {
            return failure(new ExpressionProblem(1, "expression is too complex"));
        } catch (RuntimeException e) {
            return failure(new ExpressionProblem(1, "cannot compile expression: " + e));
        }
    }

    private static Compilation failure(ExpressionProblem problem) {
        return new Compilation(null, List.of(problem));
    }

    /** The outcome of {@link #compile}: exactly one of {@code expression} and a non-empty {@code problems}. */
    public record Compilation(Expression expression, List<ExpressionProblem> problems) {
        public boolean ok() {
            return expression != null;
        }
    }
}
