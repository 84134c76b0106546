package dev.toolguard.agent.advice;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The gate of a JVM start (SPEC §13.1): while the transformer is installed on a thread of its own, a class that may
 * hold tools waits and is transformed by it, one the first test rules out goes on at once, and when no transformer
 * comes (a failure, or none within the bound) a held class is refused, never defined as it is.
 */
class InstallGateTest {

    private static final byte[] CLASS_FILE = {1, 2, 3};
    private static final byte[] TRANSFORMED = {4};
    private static final byte[] REFUSING = {9};

    private final List<String> said = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Thread> started = new CopyOnWriteArrayList<>();

    /** The first test: classes named {@code tools/...} may hold tools, no other does. */
    private static boolean mayMatch(ClassLoader loader, String name, byte[] bytes) {
        return name.startsWith("tools/");
    }

    private static byte[] refusing(ClassLoader loader, String name, byte[] bytes) {
        return REFUSING;
    }

    /** The transformer ByteBuddy would register: it transforms every class it is given. */
    private static final ClassFileTransformer INSTALLED = new ClassFileTransformer() {
        @Override
        public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
                                java.security.ProtectionDomain domain, byte[] bytes) {
            return TRANSFORMED;
        }
    };

    /** An instrumentation that nothing but {@link InstallGate#capturing} may register with. */
    private static final Instrumentation JVM = (Instrumentation) Proxy.newProxyInstance(
            InstallGateTest.class.getClassLoader(), new Class<?>[] {Instrumentation.class}, (proxy, method, args) -> {
                throw new AssertionError("the installed transformer reached the JVM: " + method.getName());
            });

    private InstallGate gate(Duration wait) {
        return new InstallGate(InstallGateTest::mayMatch, InstallGateTest::refusing, said::add, wait);
    }

    /** Starts the installation, which registers its transformer and then waits for {@link #release}. */
    private void installUntilReleased(InstallGate gate) {
        gate.installBeside(() -> {
            started.add(Thread.currentThread());
            gate.capturing(JVM).addTransformer(INSTALLED, true);
            awaitLatch(release);
        });
    }

    /** An installation's wait for the test to let it go on. */
    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void endInstallations() {
        release.countDown();
    }

    private static CompletableFuture<byte[]> load(InstallGate gate, String name) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return gate.transform(null, InstallGateTest.class.getClassLoader(), name, null, null, CLASS_FILE);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aClassThatMayHoldToolsWaitsForTheInstallationAndIsTransformedByIt() throws Exception {
        InstallGate gate = gate(InstallGate.WAIT);
        installUntilReleased(gate);
        await().atMost(Duration.ofSeconds(10)).until(() -> !started.isEmpty());

        CompletableFuture<byte[]> held = load(gate, "tools/Refunds");
        // its transformer is registered, but the installation has not ended (the sensors' retransformation is still
        // to come): the class waits
        assertThatThrownBy(() -> held.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        release.countDown();

        assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo(TRANSFORMED);
        assertThat(said).isEmpty();
    }

    @Test
    void aClassTheFirstTestRulesOutGoesOnAtOnceWhileTheInstallationRuns() throws Exception {
        InstallGate gate = gate(InstallGate.WAIT);
        installUntilReleased(gate);

        assertThat(load(gate, "app/Main").get(10, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void afterTheInstallationEveryClassGoesToTheInstalledTransformer() throws Exception {
        InstallGate gate = gate(InstallGate.WAIT);
        installUntilReleased(gate);
        release.countDown();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(load(gate, "app/Main").get(10, TimeUnit.SECONDS)).isEqualTo(TRANSFORMED));
    }

    @Test
    void whenTheInstallationFailsAHeldClassIsRefusedAndThatIsSaid() throws Exception {
        InstallGate gate = gate(InstallGate.WAIT);
        CountDownLatch go = new CountDownLatch(1);
        gate.installBeside(() -> {
            awaitLatch(go);
            throw new IllegalStateException("no ByteBuddy today");
        });
        CompletableFuture<byte[]> held = load(gate, "tools/Refunds");
        go.countDown();

        assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo(REFUSING);
        assertThat(load(gate, "tools/Later").get(10, TimeUnit.SECONDS)).isEqualTo(REFUSING);
        assertThat(load(gate, "app/Main").get(10, TimeUnit.SECONDS)).isNull();
        // a retransformation (another agent's) starts from the class's own bytes: the class stays refused
        assertThat(gate.transform(null, getClass().getClassLoader(), "tools/Refunds", String.class, null, CLASS_FILE))
                .isEqualTo(REFUSING);
        assertThat(said).singleElement().asString().startsWith("toolguard: installing the instrumentation failed:"
                + " java.lang.IllegalStateException: no ByteBuddy today; every class that may hold tools is refused");
    }

    @Test
    void anInstallationThatRegistersNoTransformerHasHeldClassesRefused() throws Exception {
        InstallGate gate = gate(InstallGate.WAIT);
        gate.installBeside(() -> { });

        assertThat(load(gate, "tools/Refunds").get(10, TimeUnit.SECONDS)).isEqualTo(REFUSING);
        assertThat(said).singleElement().asString().contains("the installation registered no transformer");
    }

    @Test
    void aHeldClassWhoseWaitRunsOutIsRefusedAndThoseAfterItAreTransformedOnceTheInstallationEnds() throws Exception {
        InstallGate gate = gate(Duration.ofMillis(200));
        installUntilReleased(gate);

        assertThat(load(gate, "tools/Refunds").get(10, TimeUnit.SECONDS)).isEqualTo(REFUSING);
        assertThat(load(gate, "tools/Meanwhile").get(10, TimeUnit.SECONDS)).isEqualTo(REFUSING);
        release.countDown();
        // the installation ended late, and well: a class that loads after it is guarded as usual
        await().atMost(Duration.ofSeconds(10)).until(() -> started.get(0).getState() == Thread.State.TERMINATED);
        assertThat(load(gate, "tools/Later").get(10, TimeUnit.SECONDS)).isEqualTo(TRANSFORMED);
        assertThat(said).singleElement().asString().isEqualTo("toolguard: the instrumentation was not installed within"
                + " 200 ms; every class that may hold tools is refused until it is: its methods are denied");
    }

    @Test
    void aClassTheInstallationItselfLoadsIsNeverHeld() throws Exception {
        InstallGate gate = gate(InstallGate.WAIT);
        AtomicReference<byte[]> ownLoad = new AtomicReference<>(CLASS_FILE);
        gate.installBeside(() -> {
            try {
                // before its transformer is registered (a JDK class ByteBuddy needs, say), and after
                ownLoad.set(gate.transform(null, null, "tools/Own", null, null, CLASS_FILE));
                gate.capturing(JVM).addTransformer(INSTALLED, true);
                assertThat(gate.transform(null, null, "tools/Own2", null, null, CLASS_FILE)).isEqualTo(TRANSFORMED);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(load(gate, "tools/Refunds").get(10, TimeUnit.SECONDS)).isEqualTo(TRANSFORMED);
        assertThat(ownLoad.get()).isNull();
        assertThat(said).isEmpty();
    }

    @Test
    void theInstallationsRetransformationsGoToItsTransformerWithoutWaiting() throws Exception {
        InstallGate gate = gate(InstallGate.WAIT);
        installUntilReleased(gate);
        await().atMost(Duration.ofSeconds(10)).until(() -> !started.isEmpty());

        byte[] retransformed = gate.transform(null, null, "java/net/HttpURLConnection", String.class, null, CLASS_FILE);

        assertThat(retransformed).isEqualTo(TRANSFORMED);
    }

    @Test
    void anInterruptDoesNotCutAHeldClasssWaitShortAndIsKept() throws Exception {
        InstallGate gate = gate(InstallGate.WAIT);
        installUntilReleased(gate);
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        AtomicReference<byte[]> defined = new AtomicReference<>();
        Thread loading = new Thread(() -> {
            try {
                defined.set(gate.transform(null, getClass().getClassLoader(), "tools/Refunds", null, null, CLASS_FILE));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        loading.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> loading.getState() == Thread.State.TIMED_WAITING);

        loading.interrupt();
        await().atMost(Duration.ofSeconds(10)).until(() -> loading.getState() == Thread.State.TIMED_WAITING);
        release.countDown();
        loading.join(10_000);

        assertThat(defined.get()).isEqualTo(TRANSFORMED);
        assertThat(stillInterrupted.get()).isTrue();
    }

    @Test
    void aRetransformationBeforeThereIsATransformerKeepsAClassThatMayHoldToolsRefused() throws Exception {
        InstallGate gate = gate(InstallGate.WAIT);
        CountDownLatch go = new CountDownLatch(1);
        gate.installBeside(() -> {
            awaitLatch(go);
            gate.capturing(JVM).addTransformer(INSTALLED, true);
        });
        try {
            assertThat(gate.transform(null, getClass().getClassLoader(), "tools/Refunds", String.class, null, CLASS_FILE))
                    .isEqualTo(REFUSING);
            assertThat(gate.transform(null, getClass().getClassLoader(), "app/Main", String.class, null, CLASS_FILE))
                    .isNull();
        } finally {
            go.countDown();
        }
    }

    @Test
    void onceAWaitRanOutLaterClassesAreRefusedAtOnceUntilTheInstallationEnds() throws Exception {
        InstallGate gate = gate(Duration.ofSeconds(4));
        installUntilReleased(gate);
        assertThat(load(gate, "tools/Refunds").get(30, TimeUnit.SECONDS)).isEqualTo(REFUSING);

        // no second wait of the bound: refused before a wait could have ended
        CompletableFuture<byte[]> later = load(gate, "tools/Later");
        assertThat(later.get(2, TimeUnit.SECONDS)).isEqualTo(REFUSING);
        assertThat(said).hasSize(1);
    }
}
