package dev.toolguard.policy.load;

import java.util.List;

/** Loads a bundle from files, directories ({@code *.yaml|*.yml|*.json}) and http(s) URLs (SPEC §3). */
public final class BundleLoader {

    private BundleLoader() {
    }

    /** Loads and compiles every source as one bundle. Never throws for bad input: problems are in the result. */
    public static LoadResult load(List<String> sources) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
