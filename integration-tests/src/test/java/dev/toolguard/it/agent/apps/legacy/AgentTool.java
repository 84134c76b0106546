package dev.toolguard.it.agent.apps.legacy;

/** An application's own tool interface, unknown to ToolGuard but named in rules.yaml by {@code implements}. */
public interface AgentTool {
    String execute(String input);
}
