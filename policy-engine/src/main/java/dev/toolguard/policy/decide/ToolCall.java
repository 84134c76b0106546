package dev.toolguard.policy.decide;

import java.util.Map;

/**
 * One proposed tool call, as plain JSON-like values: {@code Map<String,Object>}, {@code List<Object>},
 * {@code String}, {@code Long}/{@code Integer}, {@code Double}, {@code Boolean} and {@code null}.
 * The engine never sees application objects; the agent converts them before building a call.
 *
 * @param tool the tool name
 * @param args arguments by parameter name (never null; may be empty)
 * @param ctx the context tree of SPEC §6 (never null; may be empty)
 */
public record ToolCall(String tool, Map<String, Object> args, Map<String, Object> ctx) {
    public ToolCall {
        args = args == null ? Map.of() : args;
        ctx = ctx == null ? Map.of() : ctx;
    }
}
