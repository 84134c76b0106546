package dev.toolguard.it.langchain4j;

import java.nio.file.Path;
import java.util.List;

/** The programmatic-tool scenarios on LangChain4j 1.4.0, the first release whose AI services run every tool call through one method. */
class LangChain4jProgrammaticTools14IT extends LangChain4jProgrammaticToolsIT {

    @Override
    List<Path> langChain4j() throws Exception {
        return LangChain4jSample.libsWith(Path.of(System.getProperty("toolguard.it.langchain4j.executors.dir")),
                System.getProperty("toolguard.it.langchain4j.executors.version"));
    }
}
