package dev.toolguard.it.springai;

import java.nio.file.Path;

/** The sample on the oldest Spring AI line supported: 1.1 (Spring Boot 3.5), where the chat model runs the tools. */
class SpringAi11ConversationIT extends GuardedConversation {

    @Override
    Path sampleJar() {
        return SampleRun.JAR_SPRING_AI_1_1;
    }
}
