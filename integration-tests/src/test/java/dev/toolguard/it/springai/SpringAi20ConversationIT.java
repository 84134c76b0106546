package dev.toolguard.it.springai;

import java.nio.file.Path;

/** The sample on the newest Spring AI line: 2.0 (Spring Boot 4), where the ChatClient's advisor runs the tools. */
class SpringAi20ConversationIT extends GuardedConversation {

    @Override
    Path sampleJar() {
        return SampleRun.JAR_SPRING_AI_2_0;
    }
}
