package dev.toolguard.it.adversarial.apps;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.toolguard.api.ToolCallDeniedException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Plays an application built on LangChain4j and deployed with whatever LangChain4j jars its class path has (the
 * tests give it stubs): one {@code @Tool} method, called once by {@code main} itself, so that whether the body
 * runs depends on the agent's LangChain4j integration alone. Prints what the caller saw, then {@code waiting},
 * and ends at the first line on standard input, so that a test can read the admin API of the running app.
 */
public class LangChain4jLookupApp {

    @Tool("lookup")
    public String lookup(String id) {
        System.out.println("body ran");
        return "found " + id;
    }

    public static void main(String[] args) throws Exception {
        // an application's AI service has LangChain4j's tool service loaded before any tool is called
        Class.forName("dev.langchain4j.service.tool.ToolService");
        try {
            System.out.println("ok " + new LangChain4jLookupApp().lookup("order-7"));
        } catch (ToolCallDeniedException e) {
            System.out.println("denied rule=" + e.rule() + " message=" + e.getMessage());
        }
        // what an AI service makes of each tool call the model proposes, before it runs a tool's executor (a
        // programmatic tool's lambda, which nothing but the renamed method could decide)
        try {
            ToolExecutionRequest request = ToolExecutionRequest.builder().name("send_email").arguments("{}").build();
            System.out.println("request made for " + request.name());
        } catch (ToolCallDeniedException e) {
            System.out.println("request refused rule=" + e.rule() + " message=" + e.getMessage());
        }
        System.out.println("waiting");
        awaitAnyLine();
    }

    private static void awaitAnyLine() throws IOException {
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }
}
