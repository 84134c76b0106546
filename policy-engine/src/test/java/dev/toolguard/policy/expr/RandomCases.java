package dev.toolguard.policy.expr;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random expressions of the subset over random JSON-like inputs. The inputs are made first and the
 * expression second, so that most paths it reads exist and hold the type the expression wants: most cases
 * then exercise values rather than missing keys. A few per cent are deliberately ill-typed.
 */
final class RandomCases {

    record Case(String expression, Map<String, Object> args, Map<String, Object> ctx, String tool) {
    }

    enum Want { BOOL, INT, DOUBLE, STRING, LIST, ANY }

    private static final String[] KEYS = {"a", "b", "c", "n", "x", "amount", "name", "email", "roles", "user",
            "items", "flag", "tags", "id", "score", "s", "limit"};
    private static final String[] STRINGS = {"", "a", "ab", "abc", "A", "Ab", "b", "x.y", "support_l1",
            "support_l2", "é", "12", "-3", "1.5", "1e2", "true", "ABC", "a b", "alice@example.com", " 7"};
    private static final String[] PATTERNS = {"a", "^a", "b$", "a.c", "[ab]+", "(?i)A", "^$", ".*", "\\\\d",
            "^[a-z]+@[a-z.]+$", "x|y", "[", "(a"};
    private static final String[] TOOLS = {"issue_refund", "crm.read_contact", "email.send_external", "a"};

    private final Random random;
    private final List<Path> paths = new ArrayList<>();
    private final List<Local> scope = new ArrayList<>();
    private int variables;

    private record Path(String text, Object value) {
    }

    private record Local(String name, Want type) {
    }

    RandomCases(long seed) {
        this.random = new Random(seed);
    }

    Case next() {
        Map<String, Object> args = object(0);
        Map<String, Object> ctx = context();
        String tool = TOOLS[random.nextInt(TOOLS.length)];
        paths.clear();
        scope.clear();
        variables = 0;
        index("args", args, 0);
        index("ctx", ctx, 0);
        String expression = expr(random.nextInt(10) < 8 ? Want.BOOL : Want.values()[random.nextInt(6)], 4);
        return new Case(expression, args, ctx, tool);
    }

    // ---- inputs ----

    private Map<String, Object> context() {
        Map<String, Object> ctx = object(1);
        Map<String, Object> user = object(2);
        user.put("id", pick(STRINGS));
        List<Object> roles = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            roles.add(random.nextBoolean() ? "support_l1" : pick(STRINGS));
        }
        user.put("roles", roles);
        if (random.nextBoolean()) {
            user.put("email", "alice@example.com");
        }
        ctx.put("user", user);
        if (random.nextBoolean()) {
            ctx.put("tenant", pick(STRINGS));
        }
        return ctx;
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = random.nextInt(depth == 0 ? 7 : 4); i > 0; i--) {
            map.put(pick(KEYS), value(depth + 1));
        }
        return map;
    }

    private Object value(int depth) {
        int roll = random.nextInt(100);
        if (roll < 25) {
            return integer();
        } else if (roll < 40) {
            return decimal();
        } else if (roll < 60) {
            return pick(STRINGS);
        } else if (roll < 70) {
            return random.nextBoolean();
        } else if (roll < 75) {
            return null;
        } else if (roll < 90 && depth < 3) {
            List<Object> list = new ArrayList<>();
            int kind = random.nextInt(5);
            for (int i = random.nextInt(5); i > 0; i--) {
                list.add(switch (kind) {
                    case 0 -> integer();
                    case 1 -> pick(STRINGS);
                    case 2 -> decimal();
                    case 3 -> value(depth + 1);
                    default -> random.nextBoolean() ? integer() : pick(STRINGS);
                });
            }
            return list;
        } else if (depth < 3) {
            return object(depth);
        }
        return integer();
    }

    /** Ints of every Java shape the evaluator must read as int. */
    private Object integer() {
        long value = random.nextInt(10) == 0 ? edgeInteger() : random.nextInt(21) - 10;
        int shape = random.nextInt(10);
        if (shape < 5 && value == (int) value) {
            return (int) value;
        }
        if (shape == 5 && value == (short) value) {
            return (short) value;
        }
        return value;
    }

    private long edgeInteger() {
        long[] edges = {Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1, 1L << 53, (1L << 53) + 1, 200, 2000, 5000,
                Integer.MAX_VALUE, Integer.MIN_VALUE};
        return edges[random.nextInt(edges.length)];
    }

    private Object decimal() {
        double[] values = {0.0, -0.0, 0.5, 1.0, 2.0, -1.5, 150.5, 200.0, 1e10, -2.25, 3.0, 1e300, 9.223372036854776E18};
        double value = random.nextInt(3) == 0 ? values[random.nextInt(values.length)]
                : Math.round(random.nextGaussian() * 40) / 4.0;
        int shape = random.nextInt(10);
        if (shape == 0 && (float) value == value) {
            return (float) value;
        }
        if (shape == 1) {
            // only decimals a double holds exactly: SPEC §13.9 compares a BigDecimal exactly and CEL has no
            // decimals, so 200.0000000000000001 differs by design (ExactNumbersTest pins our side of it)
            return BigDecimal.valueOf(value);
        }
        return value;
    }

    private void index(String text, Object value, int depth) {
        paths.add(new Path(text, value));
        if (depth > 3) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = (String) entry.getKey();
                String access = random.nextInt(6) == 0 ? text + "['" + key + "']" : text + "." + key;
                index(access, entry.getValue(), depth + 1);
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                index(text + "[" + i + "]", list.get(i), depth + 1);
            }
        }
    }

    // ---- expressions ----

    private String expr(Want want, int depth) {
        if (random.nextInt(100) < 3) {
            want = Want.values()[random.nextInt(Want.values().length)];
        }
        if (depth <= 0 || random.nextInt(10) < 2) {
            return leaf(want);
        }
        return switch (want) {
            case BOOL -> bool(depth);
            case INT -> integerExpr(depth);
            case DOUBLE -> doubleExpr(depth);
            case STRING -> stringExpr(depth);
            case LIST -> listExpr(depth);
            case ANY -> expr(Want.values()[random.nextInt(5)], depth);
        };
    }

    private String bool(int depth) {
        int d = depth - 1;
        switch (random.nextInt(13)) {
            case 0: {
                Want side = random.nextBoolean() ? Want.INT : Want.DOUBLE;
                Want other = random.nextInt(3) == 0 ? (side == Want.INT ? Want.DOUBLE : Want.INT) : side;
                return wrap(expr(side, d) + " " + pick("<", "<=", ">", ">=") + " " + expr(other, d));
            }
            case 1:
                return wrap(expr(Want.STRING, d) + " " + pick("<", "<=", ">", ">=") + " " + expr(Want.STRING, d));
            case 2: {
                Want side = Want.values()[random.nextInt(6)];
                return wrap(expr(side, d) + " " + pick("==", "!=") + " " + expr(side, d));
            }
            case 3: {
                Want element = pick(Want.INT, Want.STRING, Want.DOUBLE, Want.ANY);
                return wrap(expr(element, d) + " in " + listOf(element, d));
            }
            case 4:
                return wrap(expr(Want.STRING, d) + " in " + mapPath());
            case 5:
                return wrap(expr(Want.BOOL, d) + " && " + expr(Want.BOOL, d));
            case 6:
                return wrap(expr(Want.BOOL, d) + " || " + expr(Want.BOOL, d));
            case 7:
                return "!" + wrap(expr(Want.BOOL, d));
            case 8:
                return wrap(expr(Want.BOOL, d) + " ? " + expr(Want.BOOL, d) + " : " + expr(Want.BOOL, d));
            case 9:
                return "has(" + mapPath() + "." + pick(KEYS) + ")";
            case 10: {
                String function = pick("startsWith", "endsWith", "contains", "matches", "matches");
                String argument = function.equals("matches") && random.nextInt(4) > 0
                        ? "'" + pick(PATTERNS) + "'" : expr(Want.STRING, d);
                return wrap(expr(Want.STRING, d)) + "." + function + "(" + argument + ")";
            }
            case 11:
                return comprehension(d);
            default:
                return leaf(Want.BOOL);
        }
    }

    private String comprehension(int depth) {
        String variable = "v" + variables++;
        String range;
        Want element;
        if (random.nextInt(4) == 0) {
            range = mapPath();
            element = Want.STRING;
        } else {
            element = pick(Want.INT, Want.STRING, Want.DOUBLE, Want.ANY);
            range = listOf(element, depth);
        }
        scope.add(new Local(variable, element));
        String predicate = expr(Want.BOOL, depth);
        scope.remove(scope.size() - 1);
        return wrap(range) + "." + pick("exists", "all") + "(" + variable + ", " + predicate + ")";
    }

    private String integerExpr(int depth) {
        int d = depth - 1;
        return switch (random.nextInt(8)) {
            case 0, 1 -> wrap(expr(Want.INT, d) + " " + pick("+", "-", "*", "/", "%") + " " + expr(Want.INT, d));
            case 2 -> "size(" + expr(pick(Want.STRING, Want.LIST, Want.ANY), d) + ")";
            case 3 -> wrap(expr(pick(Want.STRING, Want.LIST), d)) + ".size()";
            case 4 -> "int(" + expr(pick(Want.DOUBLE, Want.STRING, Want.INT, Want.ANY), d) + ")";
            case 5 -> "-" + wrap(expr(Want.INT, d));
            case 6 -> wrap(expr(Want.BOOL, d) + " ? " + expr(Want.INT, d) + " : " + expr(Want.INT, d));
            default -> wrap(listOf(Want.INT, d)) + "[" + expr(Want.INT, d) + "]";
        };
    }

    private String doubleExpr(int depth) {
        int d = depth - 1;
        return switch (random.nextInt(5)) {
            case 0, 1 -> wrap(expr(Want.DOUBLE, d) + " " + pick("+", "-", "*", "/") + " " + expr(Want.DOUBLE, d));
            case 2 -> "double(" + expr(pick(Want.INT, Want.STRING, Want.DOUBLE, Want.ANY), d) + ")";
            case 3 -> "-" + wrap(expr(Want.DOUBLE, d));
            default -> wrap(expr(Want.BOOL, d) + " ? " + expr(Want.DOUBLE, d) + " : " + expr(Want.DOUBLE, d));
        };
    }

    private String stringExpr(int depth) {
        int d = depth - 1;
        return switch (random.nextInt(5)) {
            case 0, 1 -> wrap(expr(Want.STRING, d) + " + " + expr(Want.STRING, d));
            case 2 -> "string(" + expr(pick(Want.INT, Want.DOUBLE, Want.STRING, Want.BOOL, Want.ANY), d) + ")";
            case 3 -> wrap(expr(Want.STRING, d)) + ".lowerAscii()";
            default -> wrap(expr(Want.BOOL, d) + " ? " + expr(Want.STRING, d) + " : " + expr(Want.STRING, d));
        };
    }

    private String listExpr(int depth) {
        int d = depth - 1;
        Want element = pick(Want.INT, Want.STRING, Want.DOUBLE, Want.ANY);
        return random.nextInt(3) == 0
                ? wrap(listOf(element, d) + " + " + listOf(element, d))
                : listOf(element, d);
    }

    /** A list literal of {@code element}s, or a path to a list in the inputs. */
    private String listOf(Want element, int depth) {
        if (random.nextInt(3) == 0) {
            String path = pathOf(Want.LIST);
            if (path != null) {
                return path;
            }
        }
        StringBuilder out = new StringBuilder("[");
        for (int i = random.nextInt(4); i > 0; i--) {
            out.append(expr(element, Math.min(depth, 1)));
            if (i > 1) {
                out.append(", ");
            }
        }
        return out.append("]").toString();
    }

    private String mapPath() {
        List<Path> maps = new ArrayList<>();
        for (Path path : paths) {
            if (path.value() instanceof Map) {
                maps.add(path);
            }
        }
        if (maps.isEmpty() || random.nextInt(8) == 0) {
            return pick("args", "ctx", "ctx.user", "args." + pick(KEYS));
        }
        return maps.get(random.nextInt(maps.size())).text();
    }

    private String leaf(Want want) {
        List<String> locals = new ArrayList<>();
        for (Local local : scope) {
            if (local.type() == want || local.type() == Want.ANY || want == Want.ANY) {
                locals.add(local.name());
            }
        }
        if (!locals.isEmpty() && random.nextInt(3) > 0) {
            return locals.get(random.nextInt(locals.size()));
        }
        if (random.nextInt(10) < 4) {
            String path = pathOf(want);
            if (path != null) {
                return path;
            }
        }
        if (random.nextInt(40) == 0) {
            return pick("args", "ctx") + "." + pick(KEYS);
        }
        return switch (want) {
            case BOOL -> pick("true", "false");
            case INT -> integerLiteral();
            case DOUBLE -> doubleLiteral();
            case STRING -> random.nextInt(8) == 0 ? "tool" : stringLiteral();
            case LIST -> "[" + integerLiteral() + ", " + integerLiteral() + "]";
            case ANY -> random.nextInt(10) == 0 ? "null" : leaf(Want.values()[random.nextInt(5)]);
        };
    }

    private String pathOf(Want want) {
        List<Path> matching = new ArrayList<>();
        for (Path path : paths) {
            if (want == Want.ANY || matches(want, path.value())) {
                matching.add(path);
            }
        }
        return matching.isEmpty() ? null : matching.get(random.nextInt(matching.size())).text();
    }

    private static boolean matches(Want want, Object value) {
        return switch (want) {
            case BOOL -> value instanceof Boolean;
            case INT -> value instanceof Integer || value instanceof Long || value instanceof Short;
            case DOUBLE -> value instanceof Double || value instanceof Float || value instanceof BigDecimal;
            case STRING -> value instanceof String;
            case LIST -> value instanceof List;
            case ANY -> true;
        };
    }

    private String integerLiteral() {
        return switch (random.nextInt(12)) {
            case 0 -> String.valueOf(edgeInteger());
            case 1 -> "0x" + Integer.toHexString(random.nextInt(256));
            case 2 -> "-" + random.nextInt(10);
            default -> String.valueOf(random.nextInt(11));
        };
    }

    private String doubleLiteral() {
        return pick("0.0", "0.5", "1.0", "2.0", "-1.5", "150.5", "200.0", "1e3", "2.5e-1", ".5", "1e309", "-0.0");
    }

    private String stringLiteral() {
        String value = pick(STRINGS);
        return switch (random.nextInt(10)) {
            case 0 -> "\"" + value + "\"";
            case 1 -> "'\\x41" + value + "'";
            case 2 -> "'\\u00e9'";
            case 3 -> "r'a\\d'";
            default -> "'" + value + "'";
        };
    }

    /** Usually parenthesised; sometimes not, so that precedence is exercised too. */
    private String wrap(String text) {
        return random.nextInt(5) == 0 ? text : "(" + text + ")";
    }

    @SafeVarargs
    private <T> T pick(T... choices) {
        return choices[random.nextInt(choices.length)];
    }
}
