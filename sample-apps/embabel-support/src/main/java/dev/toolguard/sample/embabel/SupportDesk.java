package dev.toolguard.sample.embabel;

import com.embabel.agent.api.invocation.AgentInvocation;
import com.embabel.agent.core.AgentPlatform;
import com.embabel.agent.domain.io.UserInput;
import com.embabel.agent.spi.config.spring.AgentPlatformConfiguration;
import com.embabel.agent.spi.config.spring.ToolGroupsConfiguration;
import com.embabel.agent.spi.support.springai.SpringAiLlmService;
import com.embabel.common.core.config.CommonPlatformPropertiesLoader;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Import;

import java.util.List;

/**
 * A support desk built on Embabel: Spring Boot starts Embabel's agent platform (set up as Embabel's platform
 * starter does), which finds {@link SupportAgent}; each question is one invocation of the agent, whose answers are
 * printed as {@code assistant: ...}, a run that failed as {@code failed: ...}. The only model is {@link ScriptedChatModel}, registered as Embabel's default
 * LLM. Nothing of ToolGuard is in this code.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@ComponentScan(basePackages = {"dev.toolguard.sample.embabel", "com.embabel.agent.api", "com.embabel.agent.core",
        "com.embabel.agent.experimental", "com.embabel.agent.prompt", "com.embabel.agent.spi", "com.embabel.agent.tools"})
@ConfigurationPropertiesScan(basePackages = {"com.embabel.agent.api", "com.embabel.agent.core",
        "com.embabel.agent.experimental", "com.embabel.agent.prompt", "com.embabel.agent.spi", "com.embabel.agent.tools"})
@Import({CommonPlatformPropertiesLoader.class, AgentPlatformConfiguration.class, ToolGroupsConfiguration.class})
public class SupportDesk {

    /** The questions asked when none are given on the command line. */
    static final List<String> QUESTIONS = List.of(
            "call crm_read_account {\"customerId\":\"c-1001\"}",
            "call issue_refund {\"customerId\":\"c-1002\",\"amount\":900}",
            "call delete_account {\"customerId\":\"c-1003\"}",
            "call issue_refund {\"customerId\":\"c-1004\",\"amount\":50}",
            "call order_status {\"orderId\":\"o-77\"}");

    /** The scripted model, as the LLM named {@code scripted} (application.properties makes it the default). */
    @Bean
    SpringAiLlmService scriptedLlm() {
        return new SpringAiLlmService("scripted", "toolguard-sample", new ScriptedChatModel());
    }

    @Bean
    SupportAgent supportAgent() {
        return new SupportAgent();
    }

    public static void main(String[] args) {
        try (ConfigurableApplicationContext context = SpringApplication.run(SupportDesk.class)) {
            AgentPlatform platform = context.getBean(AgentPlatform.class);
            for (String question : args.length > 0 ? List.of(args) : QUESTIONS) {
                System.out.println("[support] " + question);
                try {
                    SupportAgent.Answer answer = AgentInvocation.create(platform, SupportAgent.Answer.class)
                            .invoke(new UserInput(question));
                    System.out.println("  assistant: " + answer.text());
                } catch (Exception failed) { // invoke throws its future's ExecutionException unchecked
                    System.out.println("  failed: " + rootCause(failed).getMessage());
                }
            }
        }
        System.out.println("done");
    }

    private static Throwable rootCause(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
