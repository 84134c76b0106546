package dev.toolguard.agent.instrument.exec;

import dev.toolguard.agent.instrument.Hook;
import dev.toolguard.agent.instrument.InstrumentationModule;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The process egress sensor (SPEC §18): {@code ProcessBuilder.start()}, {@code ProcessBuilder.startPipeline} and
 * {@code Runtime.exec} all start a process through one private {@code ProcessBuilder.start(Redirect[])}.
 */
public final class ProcessModule extends InstrumentationModule {

    @Override
    public dev.toolguard.policy.egress.EgressKind sensedEgress() {
        return dev.toolguard.policy.egress.EgressKind.EXEC;
    }

    @Override
    public String name() {
        return "process";
    }

    @Override
    public String markerClass() {
        return "java.lang.ProcessBuilder";
    }

    @Override
    public String versionArtifact() {
        return null;
    }

    @Override
    public String supportedVersions() {
        return "the JDK 17 to 25 ProcessBuilder and Runtime.exec";
    }

    @Override
    public List<Hook> hooks() {
        return List.of(Hook.of(Hook.Role.SENSES_EGRESS, "java.lang.ProcessBuilder",
                named("start").and(takesArguments(1)), "start(Redirect[])", advice("StartAdvice")));
    }
}
