package dev.toolguard.bench;

import dev.toolguard.policy.decide.PolicyEngine;
import dev.toolguard.policy.load.BundleLoader;
import dev.toolguard.policy.load.LoadResult;

import java.util.List;

/** Loads the benchmark policy for the benchmarks that use the engine directly. */
final class Policies {

    static final String POLICY = "benchmarks/config/policy.yaml";

    private Policies() {
    }

    static PolicyEngine benchEngine() {
        return engineOf(POLICY);
    }

    /** The bench policy grown to 1,000 tools, 200 roles and 100 forbid entries ({@link LargePolicy}). */
    static PolicyEngine largeEngine() {
        return engineOf(LargePolicy.write(java.nio.file.Path.of("benchmarks/target/large-policy")).toString());
    }

    private static PolicyEngine engineOf(String source) {
        LoadResult loaded = BundleLoader.load(List.of(source));
        if (!loaded.ok()) {
            throw new IllegalStateException("benchmark policy does not load: " + loaded.errors());
        }
        return new PolicyEngine(loaded.bundle());
    }
}
