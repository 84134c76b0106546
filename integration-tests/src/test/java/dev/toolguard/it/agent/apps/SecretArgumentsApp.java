package dev.toolguard.it.agent.apps;

import dev.toolguard.api.GuardedTool;
import dev.toolguard.api.ToolCallDeniedException;

import java.util.concurrent.Callable;

/** Calls tools whose arguments carry secrets, under rules that fail on them; prints what the caller sees. */
public class SecretArgumentsApp {

    public static final String PASSWORD = "hunter2-correct-horse";
    public static final String ACCESS_TOKEN = "tok_9f8e7d6c5b4a3f2e";
    public static final String CARD = "4111 1111 1111 1111";

    @GuardedTool(name = "login")
    public String login(String user, String password, String accessToken) {
        System.out.println("body ran");
        return "ok";
    }

    @GuardedTool(name = "refresh")
    public String refresh(String password, String accessToken, String note) {
        System.out.println("body ran");
        return "ok";
    }

    public static void main(String[] args) {
        SecretArgumentsApp app = new SecretArgumentsApp();
        call("login", () -> app.login("ada", PASSWORD, ACCESS_TOKEN));
        call("refresh", () -> app.refresh(PASSWORD, ACCESS_TOKEN, "card " + CARD));
        System.out.println("done");
    }

    private static void call(String what, Callable<String> call) {
        try {
            System.out.println(what + ": " + call.call());
        } catch (ToolCallDeniedException e) {
            System.out.println(what + ": denied rule=" + e.rule() + " reason=" + e.reason() + " message="
                    + e.getMessage());
        } catch (Exception e) {
            System.out.println(what + ": failed " + e);
        }
    }
}
