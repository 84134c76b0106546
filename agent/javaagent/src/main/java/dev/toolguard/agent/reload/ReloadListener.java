package dev.toolguard.agent.reload;

import dev.toolguard.policy.load.LoadError;
import dev.toolguard.policy.load.PolicyBundle;

import java.util.List;

/** Told about every reload attempt, to say it on stderr and in the audit log. Must not throw. */
public interface ReloadListener {

    /**
     * A changed bundle loaded and is about to decide: what must outlive a crash from its first decision on (the
     * last good copy and the signed revision it raises, SPEC §15) is kept now, before the swap. Nothing by default.
     */
    default void adopting(PolicyBundle bundle) {
    }

    /** A changed bundle loaded and now decides. */
    void loaded(PolicyBundle bundle);

    /** A changed bundle failed to load; the previous one keeps deciding. */
    void rejected(List<LoadError> errors);

    /**
     * After a rejected change, the sources load again into the bundle that kept deciding (the broken edit was
     * undone, even back to the very same content): the error is cleared. Nothing by default.
     */
    default void recovered(PolicyBundle deciding) {
    }
}
