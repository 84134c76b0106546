package dev.toolguard.sample.quarkus;

import dev.langchain4j.agent.tool.Tool;
import jakarta.enterprise.context.ApplicationScoped;

/** The tools of case questions, given to one method of the assistant with {@code @ToolBox}. */
@ApplicationScoped
public class CaseTools {

    @Tool(name = "archive_case", value = "Archives a support case")
    public String archiveCase(String caseId) {
        System.out.println("  [tool body] archive_case " + caseId);
        return "archived " + caseId;
    }

    @Tool(name = "purge_case", value = "Erases a support case and its history")
    public String purgeCase(String caseId) {
        System.out.println("  [tool body] purge_case " + caseId);
        return "purged " + caseId;
    }
}
