package dev.toolguard.sample.quarkus;

import io.quarkiverse.langchain4j.RegisterAiService;
import io.quarkiverse.langchain4j.ToolBox;

/**
 * The support assistant, a Quarkus LangChain4j AI service: its tools are the {@link SupportTools}, except for case
 * questions, which get the {@link CaseTools} instead ({@code @ToolBox}); both get the {@link OrderTools} of a tool
 * provider.
 */
@RegisterAiService(chatLanguageModelSupplier = ScriptedChatModel.Supplier.class, tools = SupportTools.class,
        toolProviderSupplier = OrderTools.class)
public interface SupportAssistant {

    String chat(String question);

    @ToolBox(CaseTools.class)
    String chatAboutCases(String question);
}
