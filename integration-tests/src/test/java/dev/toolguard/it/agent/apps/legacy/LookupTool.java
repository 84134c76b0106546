package dev.toolguard.it.agent.apps.legacy;

public class LookupTool implements AgentTool {
    @Override
    public String execute(String input) {
        System.out.println("body ran lookup " + input);
        return "found " + input;
    }
}
