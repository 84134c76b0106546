package dev.toolguard.agent.advice;

import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §13.1/§13.2: the one transformation failure the agent does not say is a class whose super type has no class
 * file (the JVM cannot define it either); every other missing type still counts, as the class is defined unguarded.
 */
class MissingSuperTypeTest {

    /** The JDK's class files, less the one named: as a loader that lacks it. */
    private static BiFunction<ClassLoader, String, byte[]> without(String missing) {
        return (loader, name) -> {
            if (name.equals(missing)) {
                return null;
            }
            try {
                ClassFileLocator.Resolution r = ClassFileLocator.ForClassLoader.ofSystemLoader().locate(name);
                return r.isResolved() ? r.resolve() : null;
            } catch (IOException e) {
                return null;
            }
        };
    }

    private static Throwable cannotResolve(String name) {
        return new TypePool.Resolution.NoSuchTypeException(name);
    }

    @Test
    void aMissingInterfaceOrFarSuperTypeIsOneTheJvmSharesSoTheFailureNeedNotBeSaid() {
        assertThat(MissingSuperType.of("java.util.ArrayList", null, cannotResolve("java.util.RandomAccess"),
                without("java.util.RandomAccess"))).isEqualTo("java.util.RandomAccess");
        // ArrayList -> AbstractList -> AbstractCollection -> Collection
        assertThat(MissingSuperType.of("java.util.ArrayList", null,
                new IllegalStateException("describing", cannotResolve("java.util.Collection")),
                without("java.util.Collection"))).isEqualTo("java.util.Collection");
    }

    @Test
    void aMissingTypeThatIsNoSuperTypeIsARealFailureToGuard() {
        // a parameter type (forEach(Consumer)): the JVM defines ArrayList without it
        assertThat(MissingSuperType.of("java.util.ArrayList", null, cannotResolve("java.util.function.Consumer"),
                without("java.util.function.Consumer"))).isNull();
    }

    @Test
    void aSuperTypeWhoseClassFileIsThereAfterAllOrAnyOtherFailureIsSaid() {
        assertThat(MissingSuperType.of("java.util.ArrayList", null, cannotResolve("java.util.RandomAccess"),
                without("nothing.Missing"))).isNull();
        assertThat(MissingSuperType.of("java.util.ArrayList", null, new StackOverflowError(),
                without("java.util.RandomAccess"))).isNull();
        // the class's own file unreadable: nothing can be shown
        assertThat(MissingSuperType.of("com.acme.Gone", null, cannotResolve("java.util.RandomAccess"),
                without("java.util.RandomAccess"))).isNull();
    }
}
