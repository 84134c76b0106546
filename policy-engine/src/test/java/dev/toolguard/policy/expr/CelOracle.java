package dev.toolguard.policy.expr;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.extensions.CelExtensions;
import dev.cel.extensions.CelStringExtensions;
import dev.cel.parser.CelStandardMacro;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Google's CEL for Java, configured as SPEC §4 describes the language: {@code args} and {@code ctx} as
 * {@code map(string, dyn)}, {@code tool} a string, the standard macros, {@code lowerAscii} from the strings
 * extension, and numbers compared by value across int and double.
 */
final class CelOracle {

    /** What CEL made of one expression and one input. */
    sealed interface Outcome {
    }

    record Rejected(String message) implements Outcome {
    }

    record Failed(String message) implements Outcome {
    }

    record Value(Object value) implements Outcome {
    }

    private final Cel cel;

    CelOracle() {
        // SPEC §4 differs from CEL's default here on purpose: numbers compare by value across int and double
        CelOptions options = CelOptions.current().enableHeterogeneousNumericComparisons(true).build();
        CelStringExtensions strings = CelExtensions.strings(CelStringExtensions.Function.LOWER_ASCII);
        this.cel = CelFactory.standardCelBuilder()
                .setOptions(options)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addCompilerLibraries(strings)
                .addRuntimeLibraries(strings)
                .addVar("args", MapType.create(SimpleType.STRING, SimpleType.DYN))
                .addVar("ctx", MapType.create(SimpleType.STRING, SimpleType.DYN))
                .addVar("tool", SimpleType.STRING)
                .build();
    }

    Outcome evaluate(String source, Map<String, Object> args, Map<String, Object> ctx, String tool) {
        CelValidationResult compiled = cel.compile(source);
        if (compiled.hasError()) {
            return new Rejected(compiled.getErrorString());
        }
        try {
            Object value = cel.createProgram(compiled.getAst())
                    .eval(Map.of("args", toCel(args), "ctx", toCel(ctx), "tool", tool));
            return new Value(fromCel(value));
        } catch (Exception e) {
            return new Failed(String.valueOf(e.getMessage()));
        }
    }

    /** Our inputs in the forms CEL for Java accepts: Long, Double, NullValue. */
    static Object toCel(Object value) {
        if (value == null) {
            return NullValue.NULL_VALUE;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte || value instanceof BigInteger) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float || value instanceof BigDecimal) {
            return ((Number) value).doubleValue();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put((String) k, toCel(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(toCel(v)));
            return copy;
        }
        return value;
    }

    /** CEL's results in our forms: plain Java null for null. */
    static Object fromCel(Object value) {
        if (value instanceof NullValue) {
            return null;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(fromCel(k), fromCel(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(fromCel(v)));
            return copy;
        }
        return value;
    }
}
