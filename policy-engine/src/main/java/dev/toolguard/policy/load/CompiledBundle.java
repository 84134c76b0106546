package dev.toolguard.policy.load;

import dev.toolguard.policy.decide.Action;

import dev.toolguard.policy.egress.EgressDefaults;
import java.util.List;
import java.util.Map;

/**
 * The bundle as {@link BundleLoader} compiles it: immutable, every schema and expression compiled, tools
 * indexed by exact name and by glob. One instance is shared by every deciding thread.
 */
public final class CompiledBundle implements PolicyBundle {

    private final String name;
    private final String version;
    private final String sha256;
    private final List<String> sources;
    private final Action defaultAction;
    private final Map<String, List<ToolPattern>> roles;
    private final List<ForbidEntry> forbids;
    private final Map<String, ToolPolicy> exactTools;
    private final List<ToolPolicy> globTools;
    private final List<SequenceRule> sequences;
    private final List<LintWarning> warnings;
    private final BundleSignature signature;
    private final List<CrossToolLimit> limits;
    private final EgressDefaults egressDefaults;
    private final boolean egressSequences;
    /** Each tool's forbid entries, worked out at its first call; see {@link #forbidsFor}. */
    private final java.util.concurrent.ConcurrentHashMap<String, List<ForbidEntry>> forbidsByTool =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** How many tools' forbid lists are kept: tool names are the application's, but a framework may pass any. */
    static final int FORBID_INDEX_MAX_TOOLS = 4096;

    CompiledBundle(String name, String version, String sha256, List<String> sources, Action defaultAction,
                   Map<String, List<ToolPattern>> roles, List<ForbidEntry> forbids, Map<String, ToolPolicy> exactTools,
                   List<ToolPolicy> globTools, List<SequenceRule> sequences, List<CrossToolLimit> limits,
                   EgressDefaults egressDefaults, List<LintWarning> warnings) {
        this(name, version, sha256, sources, defaultAction, roles, forbids, exactTools, globTools, sequences, limits,
                egressDefaults, warnings, null);
    }

    private CompiledBundle(String name, String version, String sha256, List<String> sources, Action defaultAction,
                           Map<String, List<ToolPattern>> roles, List<ForbidEntry> forbids,
                           Map<String, ToolPolicy> exactTools, List<ToolPolicy> globTools,
                           List<SequenceRule> sequences, List<CrossToolLimit> limits, EgressDefaults egressDefaults,
                           List<LintWarning> warnings, BundleSignature signature) {
        this.signature = signature;
        this.egressDefaults = egressDefaults;
        boolean egressEvents = false;
        for (SequenceRule s : sequences) {
            egressEvents |= s.namesEgress();
        }
        this.egressSequences = egressEvents;
        this.limits = List.copyOf(limits);
        this.name = name;
        this.version = version;
        this.sha256 = sha256;
        this.sources = List.copyOf(sources);
        this.defaultAction = defaultAction;
        this.roles = roles == null ? null : Map.copyOf(roles);
        this.forbids = List.copyOf(forbids);
        this.exactTools = Map.copyOf(exactTools);
        this.globTools = List.copyOf(globTools);
        this.sequences = List.copyOf(sequences);
        this.warnings = List.copyOf(warnings);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public String sha256() {
        return sha256;
    }

    @Override
    public List<String> sources() {
        return sources;
    }

    @Override
    public List<LintWarning> warnings() {
        return warnings;
    }

    @Override
    public BundleSignature signature() {
        return signature;
    }

    /** The same bundle, marked as signed: only after its signed manifest was checked (SPEC §15). */
    public CompiledBundle signedBy(BundleSignature by) {
        return new CompiledBundle(name, version, sha256, sources, defaultAction, roles, forbids, exactTools, globTools,
                sequences, limits, egressDefaults, warnings, by);
    }

    /** The decision for a tool no entry names: deny unless a file says {@code default: allow}. */
    public Action defaultAction() {
        return defaultAction;
    }

    /** True when some file has a {@code roles} section, which turns on step 3 of SPEC §5. */
    public boolean hasRoles() {
        return roles != null;
    }

    /** Role name -> the tool globs it grants; empty when the bundle has no roles. */
    public Map<String, List<ToolPattern>> roles() {
        return roles == null ? Map.of() : roles;
    }

    /** The forbid entries of every file, concatenated in file-name order. */
    public List<ForbidEntry> forbids() {
        return forbids;
    }

    /**
     * The forbid entries that apply to a tool (those without {@code tools}, and those whose globs match it), in bundle
     * order. A call is checked against these alone, so that entries for other tools cost it nothing: the list is
     * worked out at a tool's first call and kept, for up to {@value #FORBID_INDEX_MAX_TOOLS} tools (past that,
     * worked out per call, with the same result).
     */
    public List<ForbidEntry> forbidsFor(String tool) {
        if (forbids.isEmpty()) {
            return forbids;
        }
        if (tool == null) {
            return applying(null);
        }
        List<ForbidEntry> kept = forbidsByTool.get(tool);
        if (kept != null) {
            return kept;
        }
        List<ForbidEntry> applying = applying(tool);
        if (forbidsByTool.size() < FORBID_INDEX_MAX_TOOLS) {
            forbidsByTool.putIfAbsent(tool, applying);
        }
        return applying;
    }

    private List<ForbidEntry> applying(String tool) {
        List<ForbidEntry> out = new java.util.ArrayList<>();
        for (ForbidEntry f : forbids) {
            if (f.appliesTo(tool)) {
                out.add(f);
            }
        }
        return List.copyOf(out);
    }

    /** The bundle-level {@code limits} of every file, in file-name order (rule id {@code limits[i]}). */
    public List<CrossToolLimit> limits() {
        return limits;
    }

    /** The top-level {@code egress} of the bundle (SPEC §18); allow and allow when no file sets it. */
    public EgressDefaults egressDefaults() {
        return egressDefaults;
    }

    /** True when some sequence names an egress event: only then are egress events remembered and checked. */
    public boolean egressSequences() {
        return egressSequences;
    }

    /** The sequences of every file, in file-name order. */
    public List<SequenceRule> sequences() {
        return sequences;
    }

    /**
     * The entry for a tool: the one with exactly its name, else the first glob entry that matches it
     * (files in name order, entries in the order written), else null.
     */
    public ToolPolicy tool(String tool) {
        ToolPolicy exact = exactTools.get(tool);
        if (exact != null) {
            return exact;
        }
        for (ToolPolicy p : globTools) {
            if (p.pattern().matches(tool)) {
                return p;
            }
        }
        return null;
    }

    /** Every tool entry, exact names first. */
    public List<ToolPolicy> tools() {
        List<ToolPolicy> all = new java.util.ArrayList<>(exactTools.values());
        all.addAll(globTools);
        return all;
    }
}
