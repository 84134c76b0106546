package dev.toolguard.agent.runtime;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A call's arguments by parameter name, in parameter order, as the policy reads them: the tool's own list of names
 * beside the call's values, read in place. A hash map cost every guarded call a table and an entry per argument (about
 * 220 bytes for three arguments); tools have few parameters, so finding a name by scanning is as quick as hashing it.
 * Immutable. A parameter whose name is null (framework plumbing such as a Spring AI {@code ToolContext}) is not an
 * argument: it is skipped, never shown.
 */
final class ArgumentMap extends AbstractMap<String, Object> {

    /** Above this many parameters the duplicate check below would cost more than a hash map saves. */
    private static final int MAX_SCANNED = 16;

    private final List<String> names;
    private final Object[] values;
    private final int size;

    private ArgumentMap(List<String> names, Object[] values, int size) {
        this.names = names;
        this.values = values;
        this.size = size;
    }

    /**
     * The arguments {@code values[i]} named {@code names.get(i)}. When the names cannot key the values one to one
     * (a value without a name, which is then {@code arg<i>}, a name given twice, or very many), a {@link LinkedHashMap}
     * built the way the reader always built it: a later value of a repeated name replaces the earlier one.
     *
     * @param values read in place, never written: the caller must not change it either
     */
    static Map<String, Object> of(List<String> names, Object[] values) {
        int n = values.length;
        if (n > names.size() || n > MAX_SCANNED || repeats(names, n)) {
            Map<String, Object> out = new LinkedHashMap<>(n * 2);
            for (int i = 0; i < n; i++) {
                String name = i < names.size() ? names.get(i) : "arg" + i;
                if (name != null) {
                    out.put(name, values[i]);
                }
            }
            return out;
        }
        int size = 0;
        for (int i = 0; i < n; i++) {
            if (names.get(i) != null) {
                size++;
            }
        }
        return new ArgumentMap(names, values, size);
    }

    private static boolean repeats(List<String> names, int n) {
        for (int i = 1; i < n; i++) {
            String name = names.get(i);
            for (int j = 0; name != null && j < i; j++) {
                if (name.equals(names.get(j))) {
                    return true;
                }
            }
        }
        return false;
    }

    private int indexOf(Object key) {
        if (key != null) {
            for (int i = 0; i < values.length; i++) {
                if (key.equals(names.get(i))) {
                    return i;
                }
            }
        }
        return -1;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public Object get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    /** The walk the audit writer, the redaction and the call-shape check use: no iterator, no entry objects. */
    @Override
    public void forEach(BiConsumer<? super String, ? super Object> action) {
        for (int i = 0; i < values.length; i++) {
            String name = names.get(i);
            if (name != null) {
                action.accept(name, values[i]);
            }
        }
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next = skipUnnamed(0);

                    @Override
                    public boolean hasNext() {
                        return next < values.length;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (next >= values.length) {
                            throw new NoSuchElementException();
                        }
                        Entry<String, Object> e = new SimpleImmutableEntry<>(names.get(next), values[next]);
                        next = skipUnnamed(next + 1);
                        return e;
                    }
                };
            }
        };
    }

    private int skipUnnamed(int from) {
        int i = from;
        while (i < values.length && names.get(i) == null) {
            i++;
        }
        return i;
    }
}
