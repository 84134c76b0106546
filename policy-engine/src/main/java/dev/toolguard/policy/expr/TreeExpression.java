package dev.toolguard.policy.expr;

import java.util.List;
import java.util.Map;

/** An expression run by the tree evaluator. */
final class TreeExpression implements Expression {

    private final String source;
    private final Node root;
    private final int localSlots;
    private final List<ArgumentReference> argumentReferences;

    TreeExpression(String source, Node root, int localSlots, List<ArgumentReference> argumentReferences) {
        this.source = source;
        this.root = root;
        this.localSlots = localSlots;
        this.argumentReferences = argumentReferences;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public Object evaluate(Map<String, Object> args, Map<String, Object> ctx, String tool) {
        try {
            Node.Activation activation = new Node.Activation(
                    args == null ? Map.of() : args, ctx == null ? Map.of() : ctx, tool, localSlots);
            return root.eval(activation);
        } catch (StackOverflowError e) {
            return new EvalError("value nested too deeply to evaluate");
        } catch (RuntimeException | Error e) {
            // a bug of ours or a misbehaving input collection: an error value, never an exception to the caller
            return new EvalError("internal error evaluating expression: " + e);
        }
    }

    @Override
    public List<ArgumentReference> argumentReferences() {
        return argumentReferences;
    }

    @Override
    public String toString() {
        return source;
    }
}
