package dev.toolguard.sample.springai;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A support agent built the way a Spring AI application is: a {@code ChatClient} over a chat model, {@code @Tool}
 * methods and a function tool, the caller from Spring Security and the tenant in the tool context. The chat model
 * is scripted (no network, no keys) and prints every request it receives, so a run shows what the model read.
 */
@SpringBootApplication
public class SupportAgentApplication {

    public static void main(String[] args) {
        // the script runs at start; exiting closes the context so the run ends like a batch job
        System.exit(SpringApplication.exit(SpringApplication.run(SupportAgentApplication.class, args)));
    }
}
