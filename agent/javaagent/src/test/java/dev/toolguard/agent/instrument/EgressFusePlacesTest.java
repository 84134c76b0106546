package dev.toolguard.agent.instrument;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §13.4 with §18: the places a sensor names for its fuse ({@link EgressFuse.At}) are in the library it senses
 * (here the HTTP clients on this module's test class path; LateUnfitLibrariesIT runs OkHttp 3 and javax.mail): a place that names no
 * method would leave the fuse nowhere, which nothing else would notice.
 */
class EgressFusePlacesTest {

    @Test
    void everyPlaceOfEverySensorsFuseNamesMethodsThatExist() {
        TypePool pool = TypePool.Default.of(ClassFileLocator.ForClassLoader.of(getClass().getClassLoader()));
        List<EgressFuse.At> places = Modules.SENSORS.stream().flatMap(m -> m.egressFuses().stream()).toList();

        // the mail APIs are not on this class path (LateUnfitLibrariesIT fuses javax.mail's session)
        List<EgressFuse.At> here = places.stream().filter(at -> pool.describe(at.type()).isResolved()).toList();
        assertThat(here).extracting(EgressFuse.At::type).containsExactlyInAnyOrder(
                "org.apache.hc.client5.http.impl.classic.CloseableHttpClient",
                "org.apache.hc.client5.http.impl.classic.InternalExecRuntime",
                "org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient",
                "org.apache.hc.client5.http.impl.async.MinimalHttpAsyncClient",
                "org.apache.hc.client5.http.impl.async.MinimalH2AsyncClient", "okhttp3.OkHttpClient",
                "okhttp3.internal.http.RealInterceptorChain",
                "okhttp3.internal.connection.RealCall");
        assertThat(here).allSatisfy(at -> {
            TypeDescription type = pool.describe(at.type()).resolve();
            assertThat(type.getDeclaredMethods().filter(at.methods())).as(at.shape()).isNotEmpty();
        });
    }
}
