package dev.toolguard.policy.cases;

import dev.toolguard.policy.decide.Action;
import dev.toolguard.policy.decide.ToolCall;

import java.util.List;
import java.util.Map;

/**
 * One entry of a cases file (SPEC §11): a call, the tools allowed earlier in its session, and what the
 * policy must decide for it.
 *
 * @param name           what the case shows, unique within its file
 * @param tool           the tool called
 * @param args           the call's arguments (JSON-like values)
 * @param ctx            the call's context tree
 * @param history        tools allowed earlier in the same session, oldest first
 * @param expect         the action the decision must have
 * @param rule           the rule id that must decide, or null when any rule will do
 * @param reasonContains text the decision's reason must contain, or null when any reason will do
 * @param file           the cases file, as named by the user
 * @param line           the 1-based line where the case starts
 */
public record GoldenCase(
        String name,
        String tool,
        Map<String, Object> args,
        Map<String, Object> ctx,
        List<String> history,
        Action expect,
        String rule,
        String reasonContains,
        String file,
        int line) {

    public GoldenCase {
        args = args == null ? Map.of() : args;
        ctx = ctx == null ? Map.of() : ctx;
        history = history == null ? List.of() : List.copyOf(history);
    }

    /** The call the case proposes to the engine. */
    public ToolCall call() {
        return new ToolCall(tool, args, ctx);
    }

    /** Where the case is written, for failure lines: {@code cases.yaml:12}. */
    public String location() {
        return file + ":" + line;
    }
}
