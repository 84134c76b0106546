package dev.toolguard.it.langchain4j;

import dev.toolguard.it.supportdesk.SupportDeskRun;
import dev.toolguard.it.supportdesk.SupportDeskScenarios;

import java.nio.file.Path;

/**
 * The same scenarios on the oldest LangChain4j line the docs claim (1.0.x): there a tool error reaches the
 * model straight from {@code DefaultToolExecutor}, and the tools come from {@code toolSpecifications()}.
 */
class LangChain4jOldestIT extends SupportDeskScenarios {

    @Override
    protected SupportDeskRun start(Path dir) throws Exception {
        return LangChain4jSample.onOldest(dir, LangChain4jSample.SAMPLE.resolve("toolguard.yaml"));
    }

    @Override
    protected String frameworkLine() {
        return "LangChain4j " + LangChain4jSample.OLDEST_VERSION;
    }

    @Override
    protected String toolClass() {
        return LangChain4jSample.TOOL_CLASS;
    }
}
