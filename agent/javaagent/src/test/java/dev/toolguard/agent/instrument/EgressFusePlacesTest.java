package dev.toolguard.agent.instrument;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §13.4 with §18: the places a sensor names for its fuse ({@link EgressFuse.At}) are in the library it senses
 * (here the versions on this module's test class path; LateUnfitLibrariesIT runs OkHttp 3): a place that names no
 * method would leave the fuse nowhere, which nothing else would notice.
 */
class EgressFusePlacesTest {

    @Test
    void everyPlaceOfEverySensorsFuseNamesMethodsThatExist() {
        TypePool pool = TypePool.Default.of(ClassFileLocator.ForClassLoader.of(getClass().getClassLoader()));
        List<EgressFuse.At> places = Modules.SENSORS.stream().flatMap(m -> m.egressFuses().stream()).toList();

        assertThat(places).extracting(EgressFuse.At::type).contains(
                "org.apache.hc.client5.http.impl.classic.CloseableHttpClient",
                "org.apache.hc.client5.http.impl.classic.InternalExecRuntime", "okhttp3.OkHttpClient",
                "okhttp3.internal.http.RealInterceptorChain");
        assertThat(places).allSatisfy(at -> {
            TypeDescription type = pool.describe(at.type()).resolve();
            assertThat(type.getDeclaredMethods().filter(at.methods())).as(at.shape()).isNotEmpty();
        });
    }
}
