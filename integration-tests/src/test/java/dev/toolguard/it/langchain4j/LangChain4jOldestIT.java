package dev.toolguard.it.langchain4j;

import java.nio.file.Path;

/**
 * The same scenarios on the oldest LangChain4j line the docs claim (1.0.x): there a tool error reaches the
 * model straight from {@code DefaultToolExecutor}, and the tools come from {@code toolSpecifications()}.
 */
class LangChain4jOldestIT extends SupportDeskScenarios {

    @Override
    SupportDeskRun start(Path dir, Path config) throws Exception {
        return SupportDeskRun.onOldest(dir, config);
    }

    @Override
    String langChain4jVersion() {
        return SupportDeskRun.OLDEST_VERSION;
    }
}
