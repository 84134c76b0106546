package dev.toolguard.agent.egress;

import dev.toolguard.agent.instrument.check.ModuleChecks;
import dev.toolguard.policy.decide.PolicyEngine;
import dev.toolguard.policy.egress.EgressKind;

import java.util.Collection;

/**
 * Egress that no sensor can see. A sensor that does not fit the library or JDK it meets (SPEC §13.4) cannot check what
 * a tool's body sends through it, so a call of a tool whose policy restricts that kind of egress is denied before its
 * body runs rather than let it reach out unchecked (SPEC §18). Tools whose policy allows the kind outright, and every
 * call while all sensors fit, are not affected; the latter costs one read of an empty collection.
 *
 * <p>A sensor is checked when the class it hooks is loaded, which may be inside the very tool body that first makes
 * such an egress. So before the first guarded call is decided every sensor is checked in the system class loader
 * (once: a few class files read), and a sensor that does not fit there stops the calls it concerns before their
 * bodies run. A library in another class loader (a Spring Boot jar's, any child loader) is checked when its class
 * loads, possibly inside the body of a call already allowed: there the sensor's fuse ({@code EgressFuse}, on the
 * constructors of the types it hooks) refuses that call's egress of the kind when its tool restricts it, and this
 * class denies the later calls before their bodies run.
 */
public final class UnseenEgress {

    /** No sensor is watched (the agent's own tests): nothing is unseen. */
    public static final UnseenEgress NONE = new UnseenEgress(null);

    private final ModuleChecks sensors;
    /** Whether every sensor was checked in the system class loader already. */
    private volatile boolean allChecked;

    public UnseenEgress(ModuleChecks sensors) {
        this.sensors = sensors;
    }

    /** Why a call of {@code tool} is denied because an egress its policy restricts could not be checked, or null. */
    public String refusal(String tool, PolicyEngine engine) {
        if (sensors == null) {
            return null;
        }
        if (!allChecked) {
            checkBeforeFirstUse();
        }
        Collection<ModuleChecks.Result> blind = sensors.notApplied();
        if (blind.isEmpty()) {
            return null;
        }
        for (ModuleChecks.Result r : blind) {
            EgressKind kind = r.module().sensedEgress();
            if (kind != null && engine.egressRestricted(tool, kind)) {
                return refusal(unfit(r), kind, tool);
            }
        }
        return null;
    }

    /** What does not fit: {@code the okhttp egress sensor does not fit okhttp 4.12.0 found in this application (...)}. */
    public static String unfit(ModuleChecks.Result r) {
        return "the " + r.module().name() + " egress sensor does not fit " + r.module().name() + " " + r.version()
                + " found in this application (" + String.join("; ", r.problems()) + ")";
    }

    /** Why the egress of {@code kind} of a call of {@code tool}, which its policy restricts, is refused. */
    public static String refusal(String unfit, EgressKind kind, String tool) {
        return unfit + ", so the " + kind.key() + " egress of tool '" + tool + "', which its policy restricts,"
                + " could not be checked";
    }

    private synchronized void checkBeforeFirstUse() {
        if (allChecked) {
            return;
        }
        for (var m : sensors.modules()) {
            sensors.check(m, ClassLoader.getSystemClassLoader());
        }
        allChecked = true;
    }
}
