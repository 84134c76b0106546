package dev.toolguard.agent.config;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code policy.signing} (SPEC §15): the Ed25519 public keys any one of which may sign the policy bundle, and
 * whether an unsigned bundle is refused.
 *
 * @param publicKeys PEM files of the trusted public keys; empty means bundles are not checked for signatures
 * @param required   true refuses a bundle that is not signed; the default is true when keys are set
 */
public record PolicySigning(List<Path> publicKeys, boolean required) {

    public static final PolicySigning NONE = new PolicySigning(List.of(), false);

    public PolicySigning {
        publicKeys = List.copyOf(publicKeys);
    }

    /** True when sources are checked against a signed manifest at all. */
    public boolean configured() {
        return !publicKeys.isEmpty() || required;
    }
}
