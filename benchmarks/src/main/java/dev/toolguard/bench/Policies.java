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
        LoadResult loaded = BundleLoader.load(List.of(POLICY));
        if (!loaded.ok()) {
            throw new IllegalStateException("benchmark policy does not load: " + loaded.errors());
        }
        return new PolicyEngine(loaded.bundle());
    }
}
