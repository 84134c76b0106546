package dev.toolguard.policy.load;

import dev.toolguard.policy.decide.Action;
import dev.toolguard.policy.values.SourcePosition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The lint of a bundle: the one place where warnings about a bundle that loads are collected
 * ({@link LintWarning}). Checks that need one spot of the file add their finding as the compiler reads it
 * ({@link #add}); checks that need the whole bundle (a role naming a tool that no {@code tools} entry defines)
 * are told what each file names and run at {@link #finish}, once every file is read.
 */
final class BundleLint {

    /** Codes of the checks made here; another check adds its own. */
    static final String UNMATCHED_TOOL = "unmatched-tool";
    static final String GLOB_TOOL_KEY = "glob-tool-key";
    static final String UNCHECKED_ARGUMENT = "unchecked-argument";
    static final String MISSING_HEADER = "missing-header";
    /** A deny, require_approval or forbid condition that can error on caller input, and so applies (SPEC §4). */
    static final String CONDITION_CAN_ERROR = "condition-can-error";

    /** A tool name or glob written somewhere other than a {@code tools} key, to be matched against the keys. */
    private record Reference(SourcePosition position, String where, String tool, boolean onlyUnderDefaultDeny) {
    }

    private final List<LintWarning> warnings = new ArrayList<>();
    private final List<Reference> references = new ArrayList<>();

    /** A finding at one spot. */
    void add(SourcePosition at, String code, String message) {
        warnings.add(new LintWarning(at, code, message));
    }

    /**
     * A tool named outside {@code tools}; warned about at {@link #finish} when no {@code tools} entry can match it.
     *
     * @param onlyUnderDefaultDeny true where a tool without an entry still matters under {@code default: allow}
     *                             (a sequence's {@code after}: such a tool runs, and its calls are history)
     */
    void toolNamed(SourcePosition at, String where, String tool, boolean onlyUnderDefaultDeny) {
        references.add(new Reference(at, where, tool, onlyUnderDefaultDeny));
    }

    /** The warnings, once the whole bundle is known. */
    List<LintWarning> finish(Collection<String> exactTools, Collection<ToolPattern> globTools, Action defaultAction) {
        List<LintWarning> out = new ArrayList<>(warnings);
        for (Reference r : references) {
            if (r.onlyUnderDefaultDeny() && defaultAction == Action.ALLOW) {
                continue;
            }
            if (!canMatchAnEntry(r.tool(), exactTools, globTools)) {
                out.add(new LintWarning(r.position(), UNMATCHED_TOOL, r.where() + " names '" + r.tool()
                        + "', which no tools entry matches: " + (ToolPattern.of(r.tool()).exact() ? "that tool"
                        : "such a tool") + " is decided by default (" + defaultAction.wireName()
                        + ") before " + r.where() + " is looked at" + nearest(r.tool(), exactTools)));
            }
        }
        // in the order of the files, as a reader goes through them
        out.sort(java.util.Comparator.comparing((LintWarning w) -> w.position().source())
                .thenComparingInt(w -> w.position().line()).thenComparingInt(w -> w.position().column()));
        return List.copyOf(out);
    }

    /**
     * Whether some {@code tools} key can match the name: for a glob, an exact key it matches, or any glob key
     * (two globs may overlap; saying they cannot would take more than a lint should guess).
     */
    private static boolean canMatchAnEntry(String tool, Collection<String> exactTools, Collection<ToolPattern> globTools) {
        ToolPattern p = ToolPattern.of(tool);
        if (p.exact()) {
            return exactTools.contains(tool) || globTools.stream().anyMatch(g -> g.matches(tool));
        }
        return !globTools.isEmpty() || exactTools.stream().anyMatch(p::matches);
    }

    /** {@code (did you mean crm.read_account?)} for a name a few keys away from a defined tool. */
    private static String nearest(String tool, Collection<String> exactTools) {
        List<String> near = Nearest.names(tool, List.copyOf(exactTools));
        return near.isEmpty() ? "" : " (did you mean " + String.join(", ", near) + "?)";
    }
}
