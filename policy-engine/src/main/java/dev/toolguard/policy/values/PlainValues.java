package dev.toolguard.policy.values;

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
 * The one converter from Java objects to the JSON-like values a policy sees (SPEC §7): strings, numbers
 * (Long, Double, or an exact BigDecimal), booleans, null, and maps and lists of them. Enums become their names,
 * records and beans objects of their properties, Optionals their content, and the usual value types (UUID,
 * dates, URI) text. Used for a call's arguments and for the context values a source takes from a framework.
 *
 * <p>A value that contains itself, is none of these, or passes a bound of {@link ValueBounds}
 * ({@code arguments.max_depth}, {@code max_items}, {@code max_string}, SPEC §13.9) is not converted: the result
 * names the JSON pointer where reading stopped and why ({@link Converted}), and the caller denies the call
 * rather than let a policy see half of it. An application object's {@code toString()} is never called.
 */
public final class PlainValues {

    /** Bean properties by class: the public no-argument getters, found once per class. */
    private static final ClassValue<List<Method>> GETTERS = new ClassValue<>() {
        @Override
        protected List<Method> computeValue(Class<?> type) {
            return getters(type);
        }
    };

    /** Marks a value that {@link #scalar} does not convert. */
    private static final Object NOT_SCALAR = new Object();

    /** What {@link #simple} returns for a value that needs a whole conversion. */
    public static final Object NEEDS_CONVERSION = NOT_SCALAR;

    private final ValueBounds bounds;
    /** The containers open on the way down: a value met again inside itself is a cycle. */
    private IdentityHashMap<Object, Boolean> open;
    /** Items counted so far, so that shared sub-values cannot multiply the work past {@code max_items}. */
    private int items;

    private PlainValues(ValueBounds bounds) {
        this.bounds = bounds;
    }

    /**
     * One conversion: the values converted by it share one {@code max_items} count (a call's arguments are one
     * conversion, so many small arguments cannot add up past the bound). Not thread-safe.
     */
    public static PlainValues within(ValueBounds bounds) {
        return new PlainValues(bounds);
    }

    /** One value converted on its own within {@code bounds}. */
    public static Converted of(Object value, ValueBounds bounds) {
        return within(bounds).convert(value);
    }

    public ValueBounds bounds() {
        return bounds;
    }

    /** The value converted, or where and why not. Never throws for a value it cannot convert. */
    public Converted convert(Object value) {
        try {
            return Converted.of(plain(value, 0));
        } catch (Unreadable e) {
            return Converted.unreadable(e.path, e.getMessage());
        }
    }

    /**
     * A map of values by name (a framework's arguments, a parsed JSON object) as a map of plain values. The entries
     * are like a method's parameters: bounded in number by {@code max_items} on their own, while what is inside
     * them counts together; a problem's pointer starts with the entry's name.
     */
    public Converted convertEntries(Map<?, ?> entries) {
        Map<String, Object> out = new LinkedHashMap<>();
        int count = 0;
        for (Map.Entry<?, ?> e : entries.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (name.length() > bounds.maxString()) {
                return Converted.unreadable("", bounds.longKey());
            }
            if (++count > bounds.maxItems()) {
                return Converted.unreadable("/" + pointerSegment(name), bounds.tooMany());
            }
            Converted c = convert(e.getValue());
            if (!c.ok()) {
                return c.under(name);
            }
            out.put(name, c.value());
        }
        return Converted.of(out);
    }

    /**
     * The plain form of a value that needs no walk (a string within the bounds, a number, a boolean, an enum,
     * null), or {@link #NEEDS_CONVERSION}: so that the common call of scalar arguments allocates nothing here.
     */
    public static Object simple(Object value, ValueBounds bounds) {
        if (value instanceof CharSequence text && text.length() > bounds.maxString()) {
            return NEEDS_CONVERSION;
        }
        return scalar(value);
    }

    /** A JSON pointer reference token: {@code ~} and {@code /} escaped as RFC 6901 says. */
    public static String pointerSegment(String name) {
        return name.indexOf('~') < 0 && name.indexOf('/') < 0 ? name : name.replace("~", "~0").replace("/", "~1");
    }

    /** Why a value cannot be read, and where inside it (a JSON pointer suffix). */
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

    private Object plain(Object v, int depth) {
        // text is measured before it is copied: a huge StringBuilder is refused, not turned into a String
        if (v instanceof CharSequence text && text.length() > bounds.maxString()) {
            throw new Unreadable(bounds.tooLong(text.length()), "");
        }
        Object s = scalar(v);
        if (s != NOT_SCALAR) {
            return s;
        }
        if (depth >= bounds.maxDepth()) {
            throw new Unreadable(bounds.tooDeep(), "");
        }
        if (open == null) {
            open = new IdentityHashMap<>(); // only a container needs cycle detection
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

    /** The plain form of a value that is not a container, or {@link #NOT_SCALAR}. */
    private static Object scalar(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double) {
            return v; // already plain: the same object, not a second box of the same number
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float) {
            return ((Number) v).doubleValue();
        }
        if (v instanceof java.math.BigInteger bi) {
            return bi.bitLength() < 64 ? (Object) bi.longValue() : new java.math.BigDecimal(bi);
        }
        if (v instanceof java.math.BigDecimal decimal) {
            // 12.50 is the double 12.5; 200.0000000000000001 stays exact, so it is not <= 200 (SPEC §13.9)
            return ValueEquality.number(decimal);
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

    /** Counts one more item (element, entry, property); past the bound, reading stops where it is. */
    private void item() {
        if (++items > bounds.maxItems()) {
            throw new Unreadable(bounds.tooMany(), "");
        }
    }

    private String key(Object key) {
        if (key instanceof CharSequence text && text.length() > bounds.maxString()) {
            throw new Unreadable(bounds.longKey(), "");
        }
        String name = String.valueOf(key);
        if (name.length() > bounds.maxString()) {
            throw new Unreadable(bounds.longKey(), "");
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
