package dev.toolguard.policy.load;

import java.util.List;

/**
 * One bundle-level {@code limits} entry (SPEC §14): a rate limit shared by every tool its globs match, one counter
 * per key across all of them.
 *
 * @param tools the tool globs it counts
 * @param limit the bucket, its key and condition; its rule id is {@code limits[i]}
 */
public record CrossToolLimit(List<ToolPattern> tools, RateLimit limit) {

    public boolean counts(String tool) {
        for (ToolPattern p : tools) {
            if (p.matches(tool)) {
                return true;
            }
        }
        return false;
    }
}
