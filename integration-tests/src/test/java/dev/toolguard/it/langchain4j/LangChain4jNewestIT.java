package dev.toolguard.it.langchain4j;

import java.nio.file.Path;

/** The sample's scenarios on the LangChain4j it is built with, the newest release. */
class LangChain4jNewestIT extends SupportDeskScenarios {

    @Override
    SupportDeskRun start(Path dir, Path config) throws Exception {
        return SupportDeskRun.onNewest(dir, config);
    }

    @Override
    String langChain4jVersion() {
        return SupportDeskRun.NEWEST_VERSION;
    }
}
