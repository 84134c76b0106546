package dev.toolguard.agent.admin;

import java.util.List;

/** What {@code GET /tools} lists (SPEC §7, §12): every guarded method, and the policy entry deciding it now. */
@FunctionalInterface
public interface GuardedTools {

    /** The guarded tools, read against the bundle deciding at this moment. */
    List<Tool> current();

    /**
     * @param tool          the tool name policies use
     * @param method        {@code class#method(parameter types)}, or the framework's call site for a tool it serves
     *                      by name (an MCP tool)
     * @param module        what made it a tool: a built-in module ({@code langchain4j}, ...) or {@code rules}
     * @param entry         the policy entry deciding it: {@code tools.<key>} (the key may be a glob),
     *                      {@code default}, or null while no policy is loaded
     * @param defaultAction for {@code default}, the bundle's default ({@code allow}/{@code deny}); else null
     */
    record Tool(String tool, String method, String module, String entry, String defaultAction) {
    }
}
