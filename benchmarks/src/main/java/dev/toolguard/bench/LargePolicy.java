package dev.toolguard.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The large bundle of {@code large_policy_over_small}: the benchmark policy ({@code benchmarks/config/policy.yaml},
 * five rules on {@code issue_refund}) grown to 1,000 tools, 200 roles and 100 forbid entries that do not apply to the
 * measured call. Deciding that call must not cost more because the rest of the bundle is large. The generated tools,
 * roles and forbid entries are shaped like real ones: globs and exact names, conditions on arguments and context.
 */
final class LargePolicy {

    static final int TOOLS = 1000;
    static final int ROLES = 200;
    static final int FORBIDS = 100;

    private LargePolicy() {
    }

    /** Writes the bundle into {@code dir} and returns its file. */
    static Path write(Path dir) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("large-policy.yaml");
            Files.writeString(file, yaml());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String yaml() {
        String small;
        try {
            // from the repository root (run.sh) or from the benchmarks module (its tests)
            Path policy = Path.of(Policies.POLICY);
            small = Files.readString(Files.exists(policy) ? policy : Path.of("config/policy.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the small bundle's sections, each followed by the generated entries that do not touch issue_refund
        int rolesAt = small.indexOf("roles:\n");
        int forbidAt = small.indexOf("forbid:\n");
        int toolsAt = small.indexOf("tools:\n", forbidAt);
        StringBuilder y = new StringBuilder();
        y.append(small, 0, forbidAt);
        int generatedTools = TOOLS - 2; // issue_refund and update_crm_record are the small bundle's
        for (int r = 2; r < ROLES; r++) {
            y.append(String.format(Locale.ROOT, "  role_%03d: [\"gen.ns%03d.*\"", r, r % 100));
            for (int k = 0; k < 5; k++) {
                y.append(String.format(Locale.ROOT, ", gen.t%04d", (r * 5 + k) % generatedTools));
            }
            y.append("]\n");
        }
        y.append(small, forbidAt, toolsAt);
        for (int f = 2; f < FORBIDS; f++) {
            y.append(String.format(Locale.ROOT, "  - tools: [gen.t%04d, \"gen.ns%03d.*\"]%n", f * 7 % generatedTools, f));
            if (f % 2 == 0) {
                y.append("    when: has(args.amount) && args.amount > ").append(f * 10).append('\n');
            }
            y.append("    reason: generated guardrail ").append(f).append('\n');
        }
        y.append(small.substring(toolsAt));
        if (y.charAt(y.length() - 1) != '\n') {
            y.append('\n');
        }
        for (int t = 0; t < generatedTools; t++) {
            y.append(String.format(Locale.ROOT, "  gen.t%04d:%n", t));
            y.append("    rules:\n");
            y.append(String.format(Locale.ROOT, "      - when: '\"role_%03d\" in ctx.user.roles && args.amount <= %d'%n",
                    2 + t % (ROLES - 2), 100 + t));
            y.append("        action: allow\n");
            y.append("      - action: deny\n");
            y.append("        reason: generated tool ").append(t).append('\n');
        }
        return y.toString();
    }
}
