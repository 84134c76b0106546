package dev.toolguard.agent.instrument.guardedtool;

import dev.toolguard.agent.instrument.InstrumentationModule;
import dev.toolguard.instrumentation.rule.AnnotatedToolRule;

import java.util.List;

/**
 * ToolGuard's own annotation, {@code @GuardedTool} from {@code toolguard-api}: the tool is named by its
 * {@code name()}, else by the method. No framework, so nothing to check and no hooks.
 */
public final class GuardedToolModule extends InstrumentationModule {

    @Override
    public String name() {
        return "guarded-tool";
    }

    @Override
    public String markerClass() {
        return null;
    }

    @Override
    public String versionArtifact() {
        return null;
    }

    @Override
    public String supportedVersions() {
        return "this agent's own API";
    }

    @Override
    public List<AnnotatedToolRule> toolAnnotations() {
        return List.of(AnnotatedToolRule.of(name(), "dev.toolguard.api.GuardedTool"));
    }
}
