package dev.toolguard.policy.expr;

/**
 * One node of the tree evaluator. Evaluation returns a value or an {@link EvalError}, never throws for
 * anything the inputs can cause. A later bytecode backend replaces the tree, not the checked AST.
 */
abstract class Node {

    abstract Object eval(Activation activation);

    /** What one evaluation reads: the inputs and the comprehension variables in scope, by slot. */
    static final class Activation {
        final java.util.Map<String, Object> args;
        final java.util.Map<String, Object> ctx;
        final String tool;
        final Object[] locals;

        Activation(java.util.Map<String, Object> args, java.util.Map<String, Object> ctx, String tool, int localSlots) {
            this.args = args;
            this.ctx = ctx;
            this.tool = tool;
            this.locals = localSlots == 0 ? null : new Object[localSlots];
        }
    }
}
