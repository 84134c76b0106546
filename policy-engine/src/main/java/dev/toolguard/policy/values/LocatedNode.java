package dev.toolguard.policy.values;

/**
 * A value read from a YAML or JSON source together with where it starts, so every later check can say
 * {@code file:line:col}. A tree of {@link LocatedMap}, {@link LocatedList} and {@link LocatedScalar}.
 */
public sealed interface LocatedNode permits LocatedMap, LocatedList, LocatedScalar {

    /** Where the value starts in its source. */
    SourcePosition position();

    /** What kind of value this is, for messages: "a mapping", "a list", "a string", "a number", ... */
    String kind();

    /**
     * The value as plain JSON-like Java values: {@code Map<String,Object>} (insertion order kept),
     * {@code List<Object>}, {@code String}, {@code Long}, {@code Double}, {@code Boolean} or {@code null}.
     */
    Object toPlain();

    /** This node as a mapping, or null after reporting that {@code what} must be a mapping. */
    default LocatedMap asMap(String what, Problems problems) {
        if (this instanceof LocatedMap map) {
            return map;
        }
        problems.add(position(), what + " must be a mapping, not " + kind());
        return null;
    }

    /** This node as a list, or null after reporting that {@code what} must be a list. */
    default LocatedList asList(String what, Problems problems) {
        if (this instanceof LocatedList list) {
            return list;
        }
        problems.add(position(), what + " must be a list, not " + kind());
        return null;
    }

    /** This node as a string value, or null after reporting that {@code what} must be a string. */
    default String asString(String what, Problems problems) {
        if (this instanceof LocatedScalar scalar && scalar.value() instanceof String s) {
            return s;
        }
        problems.add(position(), what + " must be a string, not " + kind());
        return null;
    }

    /**
     * The text of any scalar (string, number, boolean), as written; for values a user may write
     * unquoted that are text to us (a version label {@code 1.2}, an expression {@code true}).
     */
    default String asText(String what, Problems problems) {
        if (this instanceof LocatedScalar scalar && scalar.value() != null) {
            return scalar.text();
        }
        problems.add(position(), what + " must be a string, not " + kind());
        return null;
    }

    /** This node as a whole number, or null after reporting that {@code what} must be an integer. */
    default Long asLong(String what, Problems problems) {
        if (this instanceof LocatedScalar scalar && scalar.value() instanceof Long l) {
            return l;
        }
        problems.add(position(), what + " must be an integer, not " + kind());
        return null;
    }

    /** This node as a number (integer or decimal), or null after reporting that {@code what} must be a number. */
    default Double asNumber(String what, Problems problems) {
        if (this instanceof LocatedScalar scalar && scalar.value() instanceof Number n) {
            return n.doubleValue();
        }
        problems.add(position(), what + " must be a number, not " + kind());
        return null;
    }

    /** This node as true/false, or null after reporting that {@code what} must be true or false. */
    default Boolean asBoolean(String what, Problems problems) {
        if (this instanceof LocatedScalar scalar && scalar.value() instanceof Boolean b) {
            return b;
        }
        problems.add(position(), what + " must be true or false, not " + kind());
        return null;
    }

    /** This node as a duration ({@link Durations}), or null after reporting why not. */
    default java.time.Duration asDuration(String what, Problems problems) {
        return Durations.parse(this, what, problems);
    }
}
