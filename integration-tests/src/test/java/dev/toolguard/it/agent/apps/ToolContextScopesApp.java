package dev.toolguard.it.agent.apps;

import dev.toolguard.api.ToolCallDeniedException;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.annotation.Tool;

import java.util.List;
import java.util.Map;

/**
 * A Spring AI {@code @Tool} handed the agent's scopes in its real {@code ToolContext}, as a Spring AI application
 * puts them there: one call per argument, {@code granted} (["crm_*"]), {@code empty} ([]) or {@code opaque} (a list
 * holding an object that is not a plain value). The body prints a line when it runs.
 */
public class ToolContextScopesApp {

    /** Stands for an application object that is not a plain value. */
    static final class Scope {
    }

    @Tool(name = "crm_delete", description = "deletes a CRM contact")
    public String deleteContact(String id, ToolContext toolContext) {
        System.out.println("body ran " + id);
        return "deleted " + id;
    }

    public static void main(String[] args) {
        ToolContextScopesApp app = new ToolContextScopesApp();
        for (String variant : args) {
            Object scopes = switch (variant) {
                case "granted" -> List.of("crm_*");
                case "empty" -> List.of();
                case "opaque" -> List.of("crm_*", new Scope());
                default -> throw new IllegalArgumentException(variant);
            };
            try {
                System.out.println(variant + ": ok " + app.deleteContact("c1",
                        new ToolContext(Map.of("agent.scopes", scopes, "session.id", "s-" + variant))));
            } catch (ToolCallDeniedException e) {
                System.out.println(variant + ": denied rule=" + e.rule() + " message=" + e.getMessage());
            }
        }
        System.out.println("done");
    }
}
