package dev.toolguard.agent.runtime;

import dev.toolguard.instrumentation.ToolMethod;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads arguments that are already plain values (strings, numbers, booleans, enums, records, maps, lists,
 * arrays, Optional), naming them by the tool's parameter names. Anything else cannot be read, which denies
 * the call rather than letting a policy see half of it.
 */
public final class PlainValueArgumentReader implements ArgumentReader {

    private static final int MAX_DEPTH = 32;

    @Override
    public Result read(ToolMethod method, Object[] args) {
        Object[] values = args == null ? new Object[0] : args;
        List<String> names = method.parameterNames();
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            String name = i < names.size() ? names.get(i) : "arg" + i;
            try {
                out.put(name, plain(values[i], 0));
            } catch (IllegalArgumentException e) {
                return Result.unreadable("/" + name, e.getMessage());
            }
        }
        return Result.of(out);
    }

    private static Object plain(Object v, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("nested too deeply");
        }
        if (v == null || v instanceof String || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float || v instanceof Double) {
            return ((Number) v).doubleValue();
        }
        if (v instanceof java.math.BigDecimal || v instanceof java.math.BigInteger) {
            return v instanceof java.math.BigInteger bi && bi.bitLength() < 64 ? (Object) bi.longValue()
                    : ((Number) v).doubleValue();
        }
        if (v instanceof Character || v instanceof CharSequence || v instanceof java.util.UUID
                || v instanceof java.time.temporal.TemporalAccessor || v instanceof java.net.URI) {
            return v.toString();
        }
        if (v instanceof Enum<?> e) {
            return e.name();
        }
        if (v instanceof Optional<?> o) {
            return o.isPresent() ? plain(o.get(), depth + 1) : null;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), plain(x, depth + 1)));
            return out;
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            c.forEach(x -> out.add(plain(x, depth + 1)));
            return out;
        }
        if (v.getClass().isArray()) {
            int n = Array.getLength(v);
            List<Object> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(plain(Array.get(v, i), depth + 1));
            }
            return out;
        }
        if (v instanceof Record) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (RecordComponent rc : v.getClass().getRecordComponents()) {
                try {
                    rc.getAccessor().setAccessible(true);
                    out.put(rc.getName(), plain(rc.getAccessor().invoke(v), depth + 1));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new IllegalArgumentException("record component " + rc.getName() + " cannot be read");
                }
            }
            return out;
        }
        throw new IllegalArgumentException("a " + v.getClass().getName() + " is not a plain value");
    }
}
