package dev.toolguard.sample.springai;

import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.function.FunctionToolCallback;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.function.Function;

/**
 * E-mail, offered to the model as a function tool: a plain {@link Function} wrapped by Spring AI's
 * {@link FunctionToolCallback}, with no annotated method of its own.
 */
@Configuration(proxyBeanMethods = false)
public class Mailer {

    /** The model's arguments for {@code send_email}. */
    public record EmailRequest(String to, String subject, String body) {
    }

    @Bean
    ToolCallback sendEmailTool() {
        Function<EmailRequest, String> send = Mailer::send;
        return FunctionToolCallback.builder("send_email", send)
                .description("Sends an e-mail from the support desk")
                .inputType(EmailRequest.class)
                .build();
    }

    static String send(EmailRequest email) {
        System.out.println("  tool ran: send_email to " + email.to() + " subject " + email.subject());
        return "sent to " + email.to();
    }
}
