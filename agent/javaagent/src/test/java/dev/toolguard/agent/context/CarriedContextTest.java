package dev.toolguard.agent.context;

import dev.toolguard.agent.config.ConfigProblem;
import dev.toolguard.agent.config.ContextSourceSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A context captured on the thread that asked the model, adopted by the worker thread that runs the tool. */
class CarriedContextTest {

    private final ExecutorService worker = Executors.newSingleThreadExecutor();
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final ContextAssembler assembler = ContextSourceRegistry.standard(Map.of())
            .assemble(List.of(new ContextSourceSpec("mdc", Map.of("user.id", "userId"), "toolguard.yaml:1:1")), problems);

    @AfterEach
    void clean() {
        MDC.clear();
        worker.shutdownNow();
    }

    private Map<String, Object> onWorker(Object captured) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            Object token = CarriedContext.adopt(captured);
            try {
                return assembler.assemble(new CallSite(null, null, null));
            } finally {
                CarriedContext.restore(token);
            }
        }, worker).get(10, TimeUnit.SECONDS);
    }

    private Map<String, Object> onWorkerAfterwards() throws Exception {
        return CompletableFuture.supplyAsync(() -> assembler.assemble(new CallSite(null, null, null)), worker)
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void aWorkerThatAdoptsACaptureDecidesWithTheCallersContextAndForgetsItAfterwards() throws Exception {
        MDC.put("userId", "alice");
        CarriedContext.Captured captured = CarriedContext.capture(assembler.assemble(new CallSite(null, null, null)));
        MDC.clear();

        assertThat(onWorker(captured)).isEqualTo(Map.of("user", Map.of("id", "alice")));
        assertThat(onWorkerAfterwards()).isEmpty();
    }

    @Test
    void onlyACaptureOfTheAgentsOwnCanBeAdopted() throws Exception {
        Map<String, Object> forged = Map.of("user", Map.of("id", "admin"));

        assertThat(CarriedContext.adopt(forged)).isNull();
        assertThat(onWorker(forged)).isEmpty();
    }

    @Test
    void aCaptureOnAThreadThatCarriesAContextPassesThatContextOn() throws Exception {
        MDC.put("userId", "alice");
        CarriedContext.Captured first = CarriedContext.capture(assembler.assemble(new CallSite(null, null, null)));
        MDC.clear();
        CarriedContext.Captured second = CompletableFuture.supplyAsync(() -> {
            Object token = CarriedContext.adopt(first);
            try {
                // the worker's own sources know nobody: what it passes on is what it carries
                return CarriedContext.capture(Map.of());
            } finally {
                CarriedContext.restore(token);
            }
        }, worker).get(10, TimeUnit.SECONDS);

        assertThat(second.context()).isEqualTo(Map.of("user", Map.of("id", "alice")));
    }

    @Test
    void nestedAdoptionsRestoreWhatWasCarriedBefore() {
        CarriedContext.Captured outer = CarriedContext.capture(Map.of("user", Map.of("id", "alice")));
        CarriedContext.Captured inner = CarriedContext.capture(Map.of("user", Map.of("id", "bob")));
        Object outerToken = CarriedContext.adopt(outer);
        Object innerToken = CarriedContext.adopt(inner);
        assertThat(CarriedContext.current()).isEqualTo(inner.context());
        CarriedContext.restore(innerToken);
        assertThat(CarriedContext.current()).isEqualTo(outer.context());
        CarriedContext.restore(outerToken);
        assertThat(CarriedContext.current()).isNull();
    }
}
