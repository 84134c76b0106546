package dev.toolguard.policy.load;

import java.util.List;

/** A bundle loads whole or not at all: either a bundle and no errors, or errors and no bundle. */
public record LoadResult(PolicyBundle bundle, List<LoadError> errors) {
    public boolean ok() {
        return bundle != null && errors.isEmpty();
    }

    /** The lint warnings of the bundle that loaded; none when it did not. */
    public List<LintWarning> warnings() {
        return bundle == null ? List.of() : bundle.warnings();
    }
}
