package dev.toolguard.agent.context;

import dev.toolguard.api.ToolGuard;

import java.util.Map;
import java.util.function.Consumer;

/** Source {@code api}: what the application set with {@code ToolGuard.context()} or {@code ToolGuard.runAs}. */
public final class ApiContextSource implements ContextSource {

    public static final String NAME = "api";

    @Override
    public void contribute(CallSite call, ContextTree ctx) {
        Map<String, Object> snapshot = ToolGuard.snapshot();
        if (!snapshot.isEmpty()) {
            ctx.adopt(snapshot); // unmodifiable at every level and rebuilt on change, so it need not be copied
        }
    }

    /** The api source takes no mapping: the application writes context paths itself. */
    static final class Factory implements ContextSourceFactory {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public ContextSource create(Map<String, String> mapping, Consumer<String> problem) {
            if (!mapping.isEmpty()) {
                problem.accept("the api source takes no mapping: use api: {}");
                return null;
            }
            return new ApiContextSource();
        }
    }
}
