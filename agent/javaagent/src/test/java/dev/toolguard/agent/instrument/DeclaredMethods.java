package dev.toolguard.agent.instrument;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

import java.util.List;

/** For the hooks' tests: which declared methods of a framework class, read from its class file, a matcher takes. */
public final class DeclaredMethods {

    private static final TypePool POOL = TypePool.Default.ofSystemLoader();

    private DeclaredMethods() {
    }

    /** The matching methods of {@code type} (synthetic lambda bodies included), as {@code name + descriptor}. */
    public static List<String> matching(String type, ElementMatcher<MethodDescription> matcher) {
        TypeDescription t = POOL.describe(type).resolve();
        return t.getDeclaredMethods().filter(matcher).stream().map(d -> d.getInternalName() + d.getDescriptor()).toList();
    }
}
