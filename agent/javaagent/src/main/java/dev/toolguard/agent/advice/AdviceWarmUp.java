package dev.toolguard.agent.advice;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.VisibilityBridgeStrategy;
import net.bytebuddy.dynamic.scaffold.InstrumentedType;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.matcher.LatentMatcher;
import net.bytebuddy.pool.TypePool;

import java.util.Map;

import static net.bytebuddy.matcher.ElementMatchers.named;

/**
 * Loads ByteBuddy's machinery on a thread of its own while the agent starts. Two parts of it were on the application's
 * path: the installer's transformer class, which ByteBuddy generates with its own class-writing DSL when the class is
 * first initialized (in the middle of the installation, on the thread that starts the agent); and the advice and class
 * writing of a transformation, some 370 classes, first needed when the application's first class with tools loads,
 * on the application's thread. Here the transformer class is initialized, and the tool advice is put into a sample
 * class once: the bytes are made and dropped, never defined, and no tool is registered.
 *
 * <p>Nothing depends on it: a warm-up that fails, or has not finished, leaves the loading to the installation and the
 * first transformation, as before (a class being loaded by this thread is waited for, not loaded twice).
 */
final class AdviceWarmUp {

    /** A class of a tool's shape: what the warm-up instruments. */
    static final class Sample {
        Object call(String text, int count, Map<String, Object> more) {
            return text + count + more;
        }
    }

    private AdviceWarmUp() {
    }

    /** Starts the warm-up on a daemon thread; returns it. */
    static Thread start() {
        Thread t = new Thread(() -> {
            try {
                // the installer's transformer class, which ByteBuddy generates when the class is first initialized
                Class.forName(AgentBuilder.Default.class.getName() + "$ExecutingTransformer", true,
                        AdviceWarmUp.class.getClassLoader());
                instrumentedSample();
            } catch (ClassNotFoundException | RuntimeException | LinkageError e) {
                // only a warm-up: the first real transformation loads what this did not
            }
        }, "toolguard-warm-up");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * The sample's class file with the tool advice in {@code call}, made as the installer makes a tool's (described
     * from its class file, redefined without class format changes).
     */
    static byte[] instrumentedSample() {
        ClassFileLocator locator = ClassFileLocator.ForClassLoader.of(AdviceWarmUp.class.getClassLoader());
        TypePool pool = TypePool.Default.of(locator);
        // by name: the sample is described from its class file, never loaded
        TypeDescription sample = pool.describe(AdviceWarmUp.class.getName() + "$Sample").resolve();
        return new ByteBuddy()
                .with(Implementation.Context.Disabled.Factory.INSTANCE)
                .with(InstrumentedType.Factory.Default.FROZEN)
                .with(VisibilityBridgeStrategy.Default.NEVER)
                .redefine(sample, locator)
                .ignoreAlso(LatentMatcher.ForSelfDeclaredMethod.NOT_DECLARED)
                .visit(Advice.withCustomMapping().bind(ToolAdvice.ToolId.class, 0).to(ToolAdvice.class)
                        .withExceptionHandler(ToolInstaller.reportFailureAt("toolguard warm-up"))
                        .on(named("call")))
                .make(pool)
                .getBytes();
    }
}
