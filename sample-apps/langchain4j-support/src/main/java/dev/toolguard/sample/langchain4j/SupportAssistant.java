package dev.toolguard.sample.langchain4j;

import dev.langchain4j.service.SystemMessage;

/** The AI service: LangChain4j implements it, runs the tool-calling loop and returns the model's answer. */
public interface SupportAssistant {

    @SystemMessage("You are the support desk's assistant. Use the tools to act for the signed-in employee.")
    String answer(String question);
}
