package dev.toolguard.sample.springai;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.CommandLineRunner;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * Plays the script: each user signs in with Spring Security and asks the agent; the tenant and the session travel
 * to the tools in Spring AI's tool context.
 */
@Component
public class SupportDesk implements CommandLineRunner {

    static final String TENANT_KEY = "tenantId";
    static final String SESSION_KEY = "sessionId";

    /** The scripted users' passwords, as a login form would post them. */
    private static final Map<String, String> PASSWORDS = Map.of("alice", "alice-secret", "bob", "bob-secret");

    private final ChatClient chatClient;
    private final AuthenticationManager authenticationManager;

    public SupportDesk(ChatClient chatClient, AuthenticationManager authenticationManager) {
        this.chatClient = chatClient;
        this.authenticationManager = authenticationManager;
    }

    @Override
    public void run(String... args) {
        for (Script.Turn turn : Script.TURNS) {
            signIn(turn.user());
            try {
                System.out.println();
                System.out.println(turn.user() + "> " + turn.message());
                String answer = chatClient.prompt()
                        .user(turn.message())
                        .toolContext(Map.of(TENANT_KEY, "acme", SESSION_KEY, "s-" + turn.user() + "-1"))
                        .call()
                        .content();
                System.out.println("assistant> " + answer);
            } finally {
                SecurityContextHolder.clearContext();
            }
        }
        System.out.println();
        System.out.println("done");
    }

    private void signIn(String user) {
        Authentication signedIn = authenticationManager.authenticate(
                UsernamePasswordAuthenticationToken.unauthenticated(user, PASSWORDS.get(user)));
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(signedIn);
        SecurityContextHolder.setContext(context);
    }
}
