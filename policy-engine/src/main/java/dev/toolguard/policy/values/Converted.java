package dev.toolguard.policy.values;

/**
 * What {@link PlainValues} made of a Java value: the JSON-like value, or where (a JSON pointer inside the value,
 * {@code ""} for the value itself) and why it could not be converted. Never half a value: a caller that gets a
 * problem denies the call rather than decide on what was read so far.
 *
 * @param value   the JSON-like value when {@link #ok()}, else null
 * @param pointer where conversion stopped (RFC 6901), null when ok
 * @param problem why, null when ok
 */
public record Converted(Object value, String pointer, String problem) {

    public static Converted of(Object value) {
        return new Converted(value, null, null);
    }

    public static Converted unreadable(String pointer, String problem) {
        return new Converted(null, pointer, problem);
    }

    public boolean ok() {
        return problem == null;
    }

    /** The same problem one level further out: under {@code segment} of the enclosing value. */
    public Converted under(String segment) {
        return ok() ? this : unreadable("/" + PlainValues.pointerSegment(segment) + pointer, problem);
    }
}
