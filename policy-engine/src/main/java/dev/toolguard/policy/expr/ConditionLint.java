package dev.toolguard.policy.expr;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Finds where a condition can error on input the caller controls (SPEC §4 "Errors never widen"): a read of
 * {@code args.…} or {@code ctx.…} that no {@code has()} on the left of an {@code &&} (or in a {@code ?:} condition)
 * guards, and a division or modulus by a value that no {@code != 0} or {@code > 0} test guards. On a {@code deny} or
 * {@code require_approval} rule, or a {@code forbid}, such an error applies the rule: the lint says so, so that a
 * policy writer who meant "only when the value is there" writes the guard. Load-time only; never on the hot path.
 */
public final class ConditionLint {

    /** One place a condition can error, at its 1-based column inside the expression. */
    public record Finding(int column, String path, String problem) {
    }

    private ConditionLint() {
    }

    /**
     * @param source  the condition's text
     * @param checked top-level argument names whose presence and type the tool's schema already guarantees
     * @return what can error, in source order, each path once; empty when the text does not parse
     */
    public static List<Finding> of(String source, Predicate<String> checked) {
        Ast ast;
        try {
            ast = Parser.parse(source);
        } catch (RuntimeException e) {
            return List.of(); // loading reports the expression itself
        }
        List<Finding> out = new ArrayList<>();
        new Walk(checked, out).walk(ast, Set.of());
        return out;
    }

    private static final class Walk {
        private final Predicate<String> checked;
        private final List<Finding> out;
        private final Set<String> said = new HashSet<>();

        Walk(Predicate<String> checked, List<Finding> out) {
            this.checked = checked;
            this.out = out;
        }

        void walk(Ast node, Set<String> guarded) {
            if (node instanceof Ast.Binary b) {
                if (b.op() == Ast.Operator.AND || b.op() == Ast.Operator.OR) {
                    walk(b.left(), guarded);
                    walk(b.right(), union(guarded, guards(b.left(), b.op() == Ast.Operator.AND)));
                    return;
                }
                walk(b.left(), guarded);
                walk(b.right(), guarded);
                if ((b.op() == Ast.Operator.DIVIDE || b.op() == Ast.Operator.MODULO) && !(b.right() instanceof Ast.Literal)) {
                    String divisor = path(b.right());
                    if (divisor == null || !guarded.contains("nonzero:" + divisor)) {
                        say(b.column(), divisor == null ? "a divisor" : divisor, "can be 0");
                    }
                }
            } else if (node instanceof Ast.Conditional c) {
                walk(c.condition(), guarded);
                walk(c.whenTrue(), union(guarded, guards(c.condition(), true)));
                walk(c.whenFalse(), union(guarded, guards(c.condition(), false)));
            } else if (node instanceof Ast.Select s) {
                String p = path(s);
                if (p == null) {
                    walk(s.operand(), guarded);
                } else if (!isGuarded(p, guarded)) {
                    say(s.column(), p, "can be missing");
                }
            } else if (node instanceof Ast.Index i) {
                String p = path(i);
                if (p == null) {
                    walk(i.operand(), guarded);
                    walk(i.index(), guarded);
                } else if (!isGuarded(p, guarded)) {
                    say(i.column(), p, "can be missing");
                }
            } else if (node instanceof Ast.Unary u) {
                walk(u.operand(), guarded);
            } else if (node instanceof Ast.ListLiteral l) {
                l.elements().forEach(e -> walk(e, guarded));
            } else if (node instanceof Ast.Call c) {
                if (c.target() != null) {
                    walk(c.target(), guarded);
                }
                c.arguments().forEach(a -> walk(a, guarded));
            } else if (node instanceof Ast.Comprehension c) {
                walk(c.range(), guarded); // the predicate reads the range's elements, not args or ctx again
            }
            // has(a.b.c) is itself the guard its writer chose: that it errors when a.b is missing is documented
            // (policy-reference.md) and is the fail-closed idiom of SPEC §3's forbid, so it is not flagged
        }

        private boolean isGuarded(String path, Set<String> guarded) {
            if (path.startsWith("args.") && path.indexOf('.', 5) < 0 && checked.test(path.substring(5))) {
                return true;
            }
            for (String g : guarded) {
                if (g.equals(path) || g.startsWith(path + ".")) {
                    return true; // has(ctx.user.roles) also says ctx.user is there
                }
            }
            return false;
        }

        private void say(int column, String path, String problem) {
            if (said.add(path + problem)) {
                out.add(new Finding(column, path, problem));
            }
        }
    }

    /** What {@code condition} being {@code holds} proves: the paths {@code has()} found, the values tested non-zero. */
    private static Set<String> guards(Ast condition, boolean holds) {
        Set<String> out = new LinkedHashSet<>();
        collect(condition, holds, out);
        return out;
    }

    private static void collect(Ast node, boolean holds, Set<String> out) {
        if (node instanceof Ast.Has h) {
            String p = path(h.select());
            if (p != null && holds) {
                out.add(p);
            }
        } else if (node instanceof Ast.Unary u && u.op() == Ast.Operator.NOT) {
            collect(u.operand(), !holds, out);
        } else if (node instanceof Ast.Binary b) {
            if ((b.op() == Ast.Operator.AND && holds) || (b.op() == Ast.Operator.OR && !holds)) {
                collect(b.left(), holds, out);
                collect(b.right(), holds, out);
            } else if (holds && (b.op() == Ast.Operator.NOT_EQUAL || b.op() == Ast.Operator.GREATER)
                    && b.right() instanceof Ast.Literal lit && lit.value() instanceof Number n && n.doubleValue() == 0) {
                String p = path(b.left());
                if (p != null) {
                    out.add("nonzero:" + p);
                }
            }
        }
    }

    /** {@code args.a.b} or {@code ctx.a["b"]} as a dotted path, or null when not a read of args or ctx. */
    private static String path(Ast node) {
        if (node instanceof Ast.Ident id) {
            return id.name().equals("args") || id.name().equals("ctx") ? id.name() : null;
        }
        if (node instanceof Ast.Select s) {
            String p = path(s.operand());
            return p == null ? null : p + "." + s.field();
        }
        if (node instanceof Ast.Index i && i.index() instanceof Ast.Literal lit && lit.value() instanceof String key) {
            String p = path(i.operand());
            return p == null ? null : p + "." + key;
        }
        return null;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        if (b.isEmpty()) {
            return a;
        }
        Set<String> out = new HashSet<>(a);
        out.addAll(b);
        return out;
    }
}
