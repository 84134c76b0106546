package dev.toolguard.agent.reload;

import dev.toolguard.policy.load.PolicyBundle;

import java.util.List;

/** A bundle standing for a loaded one: only its identity matters to reloading. */
record TestBundle(String name, String version, String sha256, List<String> sources) implements PolicyBundle {
    static TestBundle of(String sha) {
        return new TestBundle("support-agent", "v-" + sha, sha, List.of());
    }
}
