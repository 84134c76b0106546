package dev.toolguard.agent.runtime;

import dev.toolguard.instrumentation.ToolMethod;

import java.util.Map;

/** Turns a call's raw Java arguments into the JSON-like argument object a policy sees (SPEC §7). */
@FunctionalInterface
public interface ArgumentReader {

    /**
     * The arguments, or why they cannot be read.
     *
     * @param args    arguments by parameter name, or null when one cannot be converted
     * @param field   the argument that could not be converted (a JSON pointer such as {@code /order}), or null
     * @param problem what is wrong with it, or null
     */
    record Result(Map<String, Object> args, String field, String problem) {
        public static Result of(Map<String, Object> args) {
            return new Result(args, null, null);
        }

        public static Result unreadable(String field, String problem) {
            return new Result(null, field, problem);
        }

        public boolean ok() {
            return args != null;
        }
    }

    /** Never throws for a value it cannot convert: that is a result, and the call is denied. */
    Result read(ToolMethod method, Object[] args);

    /**
     * Arguments a framework hook hands over by name (a map, or a JSON object as text), within the same bounds
     * as {@link #read}. Never throws for a value it cannot convert.
     */
    default Result readNamed(Object args) {
        return NamedArguments.read(args, new PlainValueArgumentReader());
    }
}
