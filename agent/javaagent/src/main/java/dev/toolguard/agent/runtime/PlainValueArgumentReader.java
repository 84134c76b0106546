package dev.toolguard.agent.runtime;

import dev.toolguard.agent.config.ArgumentBounds;
import dev.toolguard.instrumentation.ToolMethod;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a call's Java arguments into the JSON-like values a policy sees (SPEC §7): strings, numbers,
 * booleans, enums (as names), records and beans (as objects of their properties), maps, lists, arrays,
 * Optionals, and the usual value types (UUID, dates, URI) as text. A value that contains itself, is none of
 * these, or passes a bound ({@code arguments.max_depth}, {@code max_items}, {@code max_string}, SPEC §13.9)
 * cannot be read, which denies the call naming the JSON pointer where reading stopped, rather than letting
 * a policy see half of it.
 */
public final class PlainValueArgumentReader implements ArgumentReader {

    private final ArgumentBounds bounds;

    public PlainValueArgumentReader() {
        this(ArgumentBounds.DEFAULT);
    }

    public PlainValueArgumentReader(ArgumentBounds bounds) {
        this.bounds = bounds;
    }

    public ArgumentBounds bounds() {
        return bounds;
    }

    /** Bean properties by class: the public no-argument getters, found once per class. */
    private static final ClassValue<List<Method>> GETTERS = new ClassValue<>() {
        @Override
        protected List<Method> computeValue(Class<?> type) {
            return getters(type);
        }
    };

    @Override
    public Result read(ToolMethod method, Object[] args) {
        int n = args == null ? 0 : args.length;
        List<String> names = method.parameterNames();
        Map<String, Object> out = new LinkedHashMap<>(n * 2);
        Conversion conversion = null;
        for (int i = 0; i < n; i++) {
            String name = i < names.size() ? names.get(i) : "arg" + i;
            if (name == null) {
                continue; // framework plumbing (a ToolContext, a memory id): not an argument of the model
            }
            Object v = args[i];
            Object value;
            try {
                checkLength(v, bounds);
                value = scalar(v);
                if (value == NOT_SCALAR) {
                    if (conversion == null) {
                        conversion = new Conversion(bounds); // only a container argument needs cycle detection
                    }
                    value = conversion.plain(v, 0);
                }
            } catch (Unreadable e) {
                return Result.unreadable("/" + pointerSegment(name) + e.path, e.getMessage());
            }
            out.put(name, value);
        }
        return Result.of(out);
    }

    @Override
    public Result readNamed(Object args) {
        return NamedArguments.read(args, this);
    }

    /** A map of arguments by name from a framework (MCP, a parsed JSON object), made plain the same way. */
    public static Result readMap(Map<?, ?> args) {
        return new PlainValueArgumentReader().readArgumentMap(args);
    }

    /** A map of arguments by name, made plain within this reader's bounds. */
    Result readArgumentMap(Map<?, ?> args) {
        Map<String, Object> out = new LinkedHashMap<>();
        Conversion conversion = new Conversion(bounds);
        int count = 0;
        for (Map.Entry<?, ?> e : args.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (name.length() > bounds.maxString()) {
                return Result.unreadable("", longKey(bounds));
            }
            if (++count > bounds.maxItems()) {
                return Result.unreadable("/" + pointerSegment(name), tooMany(bounds));
            }
            try {
                out.put(name, conversion.plain(e.getValue(), 0));
            } catch (Unreadable u) {
                return Result.unreadable("/" + pointerSegment(name) + u.path, u.getMessage());
            }
        }
        return Result.of(out);
    }

    /** A JSON pointer reference token: {@code ~} and {@code /} escaped as RFC 6901 says. */
    static String pointerSegment(String name) {
        return name.indexOf('~') < 0 && name.indexOf('/') < 0 ? name : name.replace("~", "~0").replace("/", "~1");
    }

    static String tooMany(ArgumentBounds bounds) {
        return "more than " + bounds.maxItems() + " items in the arguments (arguments.max_items)";
    }

    static String tooDeep(ArgumentBounds bounds) {
        return "nested more than " + bounds.maxDepth() + " levels deep (arguments.max_depth)";
    }

    static String tooLong(long length, ArgumentBounds bounds) {
        return "a string of " + length + " characters, longer than arguments.max_string (" + bounds.maxString() + ")";
    }

    static String longKey(ArgumentBounds bounds) {
        return "a key longer than arguments.max_string (" + bounds.maxString() + " characters)";
    }

    /** Text is measured before it is copied: a huge StringBuilder is refused, not turned into a String. */
    private static void checkLength(Object v, ArgumentBounds bounds) {
        if (v instanceof CharSequence text && text.length() > bounds.maxString()) {
            throw new Unreadable(tooLong(text.length(), bounds), "");
        }
    }

    /** Marks a value that {@link #scalar} does not convert. */
    private static final Object NOT_SCALAR = new Object();

    /** The plain form of a value that is not a container, or {@link #NOT_SCALAR}. */
    private static Object scalar(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float || v instanceof Double) {
            return ((Number) v).doubleValue();
        }
        if (v instanceof java.math.BigInteger bi) {
            return bi.bitLength() < 64 ? (Object) bi.longValue() : bi.doubleValue();
        }
        if (v instanceof java.math.BigDecimal decimal) {
            // 12.50 is the double 12.5 as before; 200.0000000000000001 stays exact, so it is not <= 200 (SPEC §13.9)
            double d = decimal.doubleValue();
            return Double.isFinite(d) && java.math.BigDecimal.valueOf(d).compareTo(decimal) == 0 ? (Object) d : decimal;
        }
        if (v instanceof Character || v instanceof CharSequence || v instanceof java.util.UUID
                || v instanceof java.time.temporal.TemporalAccessor || v instanceof java.time.temporal.TemporalAmount
                || v instanceof java.net.URI || v instanceof java.net.URL || v instanceof java.util.Date
                || v instanceof java.util.Locale || v instanceof java.util.Currency) {
            return v.toString();
        }
        if (v instanceof Enum<?> e) {
            return e.name();
        }
        return NOT_SCALAR;
    }

    /** Why a value cannot be read, and where inside the argument (a JSON pointer suffix). */
    private static final class Unreadable extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String path;

        Unreadable(String message, String path) {
            super(message, null, false, false);
            this.path = path;
        }

        Unreadable under(String segment) {
            return new Unreadable(getMessage(), "/" + pointerSegment(segment) + path);
        }
    }

    /**
     * One call's conversion: the containers open on the way down (a value met again inside itself is a cycle)
     * and the items counted so far, so that shared sub-values cannot multiply the work past {@code max_items}.
     */
    private static final class Conversion {
        private final ArgumentBounds bounds;
        private final IdentityHashMap<Object, Boolean> open = new IdentityHashMap<>();
        private int items;

        Conversion(ArgumentBounds bounds) {
            this.bounds = bounds;
        }

        Object plain(Object v, int depth) {
            checkLength(v, bounds);
            Object s = scalar(v);
            if (s != NOT_SCALAR) {
                return s;
            }
            if (depth >= bounds.maxDepth()) {
                throw new Unreadable(tooDeep(bounds), "");
            }
            if (open.put(v, Boolean.TRUE) != null) {
                throw new Unreadable("a " + v.getClass().getName() + " that contains itself", "");
            }
            try {
                return container(v, depth);
            } finally {
                open.remove(v);
            }
        }

        /** Counts one more item (element, entry, property); past the bound, reading stops where it is. */
        private void item() {
            if (++items > bounds.maxItems()) {
                throw new Unreadable(tooMany(bounds), "");
            }
        }

        private String key(Object key) {
            if (key instanceof CharSequence text && text.length() > bounds.maxString()) {
                throw new Unreadable(longKey(bounds), "");
            }
            String name = String.valueOf(key);
            if (name.length() > bounds.maxString()) {
                throw new Unreadable(longKey(bounds), "");
            }
            return name;
        }

        private Object container(Object v, int depth) {
            if (v instanceof Optional<?> o) {
                return o.isPresent() ? plain(o.get(), depth + 1) : null;
            }
            if (v instanceof Map<?, ?> m) {
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    String key = key(e.getKey());
                    try {
                        item();
                        out.put(key, plain(e.getValue(), depth + 1));
                    } catch (Unreadable u) {
                        throw u.under(key);
                    }
                }
                return out;
            }
            if (v instanceof Collection<?> c) {
                List<Object> out = new ArrayList<>(Math.min(c.size(), bounds.maxItems()));
                int i = 0;
                for (Object x : c) {
                    try {
                        item();
                        out.add(plain(x, depth + 1));
                    } catch (Unreadable u) {
                        throw u.under(Integer.toString(i));
                    }
                    i++;
                }
                return out;
            }
            if (v.getClass().isArray()) {
                int n = Array.getLength(v);
                List<Object> out = new ArrayList<>(Math.min(n, bounds.maxItems()));
                for (int i = 0; i < n; i++) {
                    try {
                        item();
                        out.add(plain(Array.get(v, i), depth + 1));
                    } catch (Unreadable u) {
                        throw u.under(Integer.toString(i));
                    }
                }
                return out;
            }
            if (v instanceof Record) {
                Map<String, Object> out = new LinkedHashMap<>();
                for (RecordComponent rc : v.getClass().getRecordComponents()) {
                    Object value;
                    try {
                        Method accessor = rc.getAccessor();
                        accessor.setAccessible(true);
                        value = accessor.invoke(v);
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        throw new Unreadable("record component " + rc.getName() + " cannot be read", "/" + rc.getName());
                    }
                    try {
                        item();
                        out.put(rc.getName(), plain(value, depth + 1));
                    } catch (Unreadable u) {
                        throw u.under(rc.getName());
                    }
                }
                return out;
            }
            List<Method> getters = GETTERS.get(v.getClass());
            if (getters.isEmpty()) {
                throw new Unreadable("a " + v.getClass().getName() + " is neither a plain value nor a bean with properties", "");
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (Method g : getters) {
                String property = propertyName(g);
                Object value;
                try {
                    value = g.invoke(v);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new Unreadable("property " + property + " of a " + v.getClass().getName() + " cannot be read",
                            "/" + property);
                }
                try {
                    item();
                    out.put(property, plain(value, depth + 1));
                } catch (Unreadable u) {
                    throw u.under(property);
                }
            }
            return out;
        }
    }

    private static List<Method> getters(Class<?> type) {
        if (!Modifier.isPublic(type.getModifiers()) || type.getName().startsWith("java.")) {
            return List.of();
        }
        List<Method> out = new ArrayList<>();
        for (Method m : type.getMethods()) {
            if (m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers()) && m.getReturnType() != void.class
                    && m.getDeclaringClass() != Object.class && propertyName(m) != null) {
                out.add(m);
            }
        }
        out.sort((a, b) -> propertyName(a).compareTo(propertyName(b)));
        return List.copyOf(out);
    }

    /** {@code getAmount} and {@code isActive} (boolean) name properties {@code amount} and {@code active}. */
    private static String propertyName(Method m) {
        String n = m.getName();
        String rest;
        if (n.startsWith("get") && n.length() > 3) {
            rest = n.substring(3);
        } else if (n.startsWith("is") && n.length() > 2 && (m.getReturnType() == boolean.class || m.getReturnType() == Boolean.class)) {
            rest = n.substring(2);
        } else {
            return null;
        }
        if (!Character.isUpperCase(rest.charAt(0))) {
            return null;
        }
        return rest.length() > 1 && Character.isUpperCase(rest.charAt(1))
                ? rest : Character.toLowerCase(rest.charAt(0)) + rest.substring(1);
    }
}
