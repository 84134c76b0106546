package dev.toolguard.policy.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolguard.policy.values.PlainValues;

import java.math.BigDecimal;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * A recorded call's {@code args} and {@code ctx} as the JSON-like values the engine reads, with every value the log
 * hid (a {@code [REDACTED]} value or part of one, a string cut with {@code [TRUNCATED +N chars]}, a list or map whose
 * end was cut, a container too deep or cyclic) watched: reading one is noted in {@link HiddenReads}, so that a decision
 * that read it is reported undecidable instead of guessed. Key presence is not a read: redaction keeps the key.
 */
final class RecordedValues {

    static final String REDACTED = "redacted";
    static final String TRUNCATED = "truncated";

    private static final Pattern CUT_STRING = Pattern.compile("\\[TRUNCATED \\+\\d+ chars]$");
    private static final Pattern CUT_LIST = Pattern.compile("^\\[TRUNCATED \\+\\d+ items]$");

    private RecordedValues() {
    }

    /** The recorded object at {@code pointer} ({@code /args}) as a watched map; null when it is not an object. */
    static Map<String, Object> object(JsonNode node, String pointer, HiddenReads reads) {
        if (node == null || !node.isObject()) {
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) convert(node, pointer, reads);
        return map;
    }

    private static Object convert(JsonNode node, String pointer, HiddenReads reads) {
        if (node.isObject()) {
            Map<String, Object> values = new LinkedHashMap<>();
            Map<String, HiddenReads.Hidden> hidden = new HashMap<>();
            HiddenReads.Hidden whole = null;
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = e.getKey();
                String at = pointer + "/" + PlainValues.pointerSegment(key);
                if (key.equals("[TRUNCATED]") || key.contains("[REDACTED]") || CUT_STRING.matcher(key).find()) {
                    // a map cut short, or a key hidden: no read of this map can be trusted, not even has()
                    whole = whole != null ? whole : new HiddenReads.Hidden(key.contains("[REDACTED]") ? at : pointer,
                            key.contains("[REDACTED]") ? REDACTED : TRUNCATED);
                }
                values.put(key, convert(e.getValue(), at, reads));
                HiddenReads.Hidden h = hiddenLeaf(e.getValue(), at);
                if (h != null) {
                    hidden.put(key, h);
                }
            }
            return new WatchedMap(values, hidden, whole, reads);
        }
        if (node.isArray()) {
            List<Object> values = new ArrayList<>(node.size());
            Map<Integer, HiddenReads.Hidden> hidden = new HashMap<>();
            HiddenReads.Hidden whole = null;
            for (int i = 0; i < node.size(); i++) {
                JsonNode item = node.get(i);
                String at = pointer + "/" + i;
                if (i == node.size() - 1 && item.isTextual() && CUT_LIST.matcher(item.asText()).matches()) {
                    whole = new HiddenReads.Hidden(pointer, TRUNCATED);
                }
                values.add(convert(item, at, reads));
                HiddenReads.Hidden h = hiddenLeaf(item, at);
                if (h != null) {
                    hidden.put(i, h);
                }
            }
            return new WatchedList(values, hidden, whole, reads);
        }
        return scalar(node);
    }

    /** Why the recorded leaf is not the original, or null when it is the original. */
    private static HiddenReads.Hidden hiddenLeaf(JsonNode node, String pointer) {
        if (!node.isTextual()) {
            return null;
        }
        String s = node.asText();
        if (s.contains("[REDACTED]")) {
            return new HiddenReads.Hidden(pointer, REDACTED);
        }
        if (CUT_STRING.matcher(s).find() || s.equals("[TOO DEEP]") || s.equals("[CYCLE]") || s.startsWith("[UNSUPPORTED ")) {
            return new HiddenReads.Hidden(pointer, TRUNCATED);
        }
        return null;
    }

    /**
     * A number as the agent passed it: whole numbers as Long, fractions as Double when the written text is exactly
     * that Double, else the exact BigDecimal (SPEC §13.9: numbers compare exactly).
     */
    private static Object scalar(JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : new BigDecimal(node.bigIntegerValue());
        }
        BigDecimal exact = node.decimalValue();
        double d = exact.doubleValue();
        return Double.isFinite(d) && new BigDecimal(Double.toString(d)).compareTo(exact) == 0 ? (Object) d : exact;
    }

    /** A recorded JSON object whose hidden values are noted when read. */
    static final class WatchedMap extends AbstractMap<String, Object> {
        private final Map<String, Object> values;
        private final Map<String, HiddenReads.Hidden> hidden;
        private final HiddenReads.Hidden whole;
        private final HiddenReads reads;

        WatchedMap(Map<String, Object> values, Map<String, HiddenReads.Hidden> hidden, HiddenReads.Hidden whole,
                   HiddenReads reads) {
            this.values = values;
            this.hidden = hidden;
            this.whole = whole;
            this.reads = reads;
        }

        private Object read(Object key, Object value) {
            if (whole != null) {
                reads.read(whole);
            }
            if (!hidden.isEmpty()) {
                reads.read(hidden.get(key));
            }
            return value;
        }

        @Override
        public Object get(Object key) {
            return read(key, values.get(key));
        }

        @Override
        public boolean containsKey(Object key) {
            if (whole != null) {
                reads.read(whole);
            }
            return values.containsKey(key);
        }

        @Override
        public int size() {
            if (whole != null) {
                reads.read(whole);
            }
            return values.size();
        }

        @Override
        public void forEach(BiConsumer<? super String, ? super Object> action) {
            values.forEach((k, v) -> action.accept(k, read(k, v)));
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    Iterator<Entry<String, Object>> it = values.entrySet().iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return it.hasNext();
                        }

                        @Override
                        public Entry<String, Object> next() {
                            Entry<String, Object> e = it.next();
                            return new SimpleImmutableEntry<>(e.getKey(), e.getValue()) {
                                @Override
                                public Object getValue() {
                                    return read(getKey(), super.getValue());
                                }
                            };
                        }
                    };
                }

                @Override
                public int size() {
                    return WatchedMap.this.size();
                }
            };
        }
    }

    /** A recorded JSON array whose hidden items are noted when read. */
    static final class WatchedList extends AbstractList<Object> implements RandomAccess {
        private final List<Object> values;
        private final Map<Integer, HiddenReads.Hidden> hidden;
        private final HiddenReads.Hidden whole;
        private final HiddenReads reads;

        WatchedList(List<Object> values, Map<Integer, HiddenReads.Hidden> hidden, HiddenReads.Hidden whole,
                    HiddenReads reads) {
            this.values = values;
            this.hidden = hidden;
            this.whole = whole;
            this.reads = reads;
        }

        @Override
        public Object get(int index) {
            if (whole != null) {
                reads.read(whole);
            }
            if (!hidden.isEmpty()) {
                reads.read(hidden.get(index));
            }
            return values.get(index);
        }

        @Override
        public int size() {
            if (whole != null) {
                reads.read(whole);
            }
            return values.size();
        }
    }
}
