package dev.toolguard.it.langchain4j;

import dev.toolguard.it.supportdesk.SupportDeskRun;
import dev.toolguard.it.supportdesk.SupportDeskScenarios;

import java.nio.file.Path;

/** The support desk scenarios on the LangChain4j the sample is built with, the newest release. */
class LangChain4jNewestIT extends SupportDeskScenarios {

    @Override
    protected SupportDeskRun start(Path dir) throws Exception {
        return LangChain4jSample.onNewest(dir, LangChain4jSample.SAMPLE.resolve("toolguard.yaml"));
    }

    @Override
    protected String frameworkLine() {
        return "LangChain4j " + LangChain4jSample.NEWEST_VERSION;
    }

    @Override
    protected String toolClass() {
        return LangChain4jSample.TOOL_CLASS;
    }
}
