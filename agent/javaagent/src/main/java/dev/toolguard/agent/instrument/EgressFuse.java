package dev.toolguard.agent.instrument;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An egress sensor's fuse (SPEC §13.4, §18): inlined at the start of the constructors of each type a sensor hooks, in
 * a class loader where the sensor does not fit. Such a loader (a Spring Boot jar's, any child loader) is checked only
 * when the library's class loads, which may be inside the body of a guarded call that was allowed while the sensor
 * was still taken to fit; that call's egress through the library must not leave unchecked. The constructors are what
 * certainly exists and runs before any request (a call object is made before it is run; no version removes a
 * constructor, while the hooked methods are what a reshaped release may lack), and the fuse names nothing of the
 * library, so it fits wherever the type is. It refuses when the guarded call running on this thread restricts the
 * sensor's kind of egress; outside guarded calls it does nothing ({@code UnseenEgress} denies the later calls
 * before their bodies run). Not suppressed: its refusal is what the constructor throws.
 *
 * <p>A constructor of a hooked type need not run inside the call: an object of the library made outside it (a client
 * another thread built and handed over after the call began) sends with none. So a sensor also names places every
 * request of its library passes on the calling thread ({@link InstrumentationModule#egressFuses()}: a client's entry
 * points, an object made per request), found by names every supported version has; the fuse goes there too, on the
 * same terms.
 */
public final class EgressFuse {

    /**
     * One more place for a sensor's fuse: the methods (or constructors) of one type that {@code methods} picks.
     *
     * @param type    the binary name of the type; a version that lacks it simply has no fuse there
     * @param methods what the fuse is inlined into; matched by name only, so a reshaped release still has them
     * @param shape   the place as a person reads it, for the docs and tests
     */
    public record At(String type, ElementMatcher<MethodDescription> methods, String shape) {
    }

    /** The key of the kind of egress the sensor sees ({@code http}), bound as a constant when the fuse is woven in. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    public @interface Kind {
    }

    /** What does not fit in this class loader (sensor, version, problems), bound as a constant likewise. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    public @interface Unfit {
    }

    private EgressFuse() {
    }

    @Advice.OnMethodEnter
    static void enter(@Kind String kind, @Unfit String unfit) {
        GuardBridge.egressUnfit(kind, unfit);
    }
}
