package dev.toolguard.agent.runtime;

import dev.toolguard.instrumentation.ToolMethod;
import dev.toolguard.policy.values.Converted;
import dev.toolguard.policy.values.PlainValues;
import dev.toolguard.policy.values.ValueBounds;

import java.util.List;
import java.util.Map;

/**
 * Reads a call's Java arguments by parameter name with the values toolkit's one converter ({@link PlainValues}),
 * within the configured {@link ValueBounds} (SPEC §13.9): all of a call's arguments are one conversion, so their
 * items count together. An argument that cannot be converted denies the call, naming the JSON pointer where
 * reading stopped, rather than letting a policy see half of it.
 */
public final class PlainValueArgumentReader implements ArgumentReader {

    private static final Object[] NO_ARGUMENTS = {};

    private final ValueBounds bounds;

    public PlainValueArgumentReader() {
        this(ValueBounds.DEFAULT);
    }

    public PlainValueArgumentReader(ValueBounds bounds) {
        this.bounds = bounds;
    }

    public ValueBounds bounds() {
        return bounds;
    }

    @Override
    public Result read(ToolMethod method, Object[] args) {
        Object[] raw = args == null ? NO_ARGUMENTS : args;
        List<String> names = method.parameterNames();
        // the plain values are the call's own objects for strings, numbers and booleans: the array the advice made
        // for this call is read in place, and copied only when a value had to be converted (nothing writes either)
        Object[] values = raw;
        PlainValues conversion = null;
        for (int i = 0; i < raw.length; i++) {
            String name = i < names.size() ? names.get(i) : "arg" + i;
            if (name == null) {
                continue; // framework plumbing (a ToolContext, a memory id): not an argument of the model
            }
            Object value = PlainValues.simple(raw[i], bounds);
            if (value == PlainValues.NEEDS_CONVERSION) {
                if (conversion == null) {
                    conversion = PlainValues.within(bounds); // one per call: its arguments' items count together
                }
                Converted c = conversion.convert(raw[i]);
                if (!c.ok()) {
                    return Result.unreadable(c.under(name).pointer(), c.problem());
                }
                value = c.value();
            }
            if (value != raw[i]) {
                if (values == raw) {
                    values = raw.clone();
                }
                values[i] = value;
            }
        }
        return Result.of(ArgumentMap.of(names, values));
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
    @SuppressWarnings("unchecked")
    Result readArgumentMap(Map<?, ?> args) {
        Converted c = PlainValues.within(bounds).convertEntries(args);
        return c.ok() ? Result.of((Map<String, Object>) c.value()) : Result.unreadable(c.pointer(), c.problem());
    }
}
