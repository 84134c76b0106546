package dev.toolguard.policy.load;

import dev.toolguard.policy.decide.Action;
import dev.toolguard.policy.decide.ApprovalSpec;
import dev.toolguard.policy.expr.Expression;
import dev.toolguard.policy.expr.ExpressionCompiler;
import dev.toolguard.policy.expr.ExpressionProblem;
import dev.toolguard.policy.values.Durations;
import dev.toolguard.policy.values.LocatedList;
import dev.toolguard.policy.values.LocatedMap;
import dev.toolguard.policy.values.LocatedNode;
import dev.toolguard.policy.values.LocatedScalar;
import dev.toolguard.policy.values.Problems;
import dev.toolguard.policy.values.SourcePosition;

import dev.toolguard.policy.egress.EgressDefaults;
import dev.toolguard.policy.egress.EgressReader;
import dev.toolguard.policy.egress.ToolEgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Turns the located trees of a bundle's files (in name order) into a {@link CompiledBundle}, reporting
 * every problem with its position. One instance per load.
 */
final class BundleCompiler {

    static final String API_VERSION = "toolguard.dev/v1";
    private static final Pattern READS_ARGS = Pattern.compile("\\bargs\\b");

    private final Problems problems;

    private String name;
    private String version;
    private Action defaultAction;
    private String defaultFile;
    private Map<String, List<ToolPattern>> roles;
    private final Map<String, String> roleFiles = new LinkedHashMap<>();
    private final List<ForbidEntry> forbids = new ArrayList<>();
    private final Map<String, ToolPolicy> exactTools = new LinkedHashMap<>();
    private final List<ToolPolicy> globTools = new ArrayList<>();
    private final Map<String, String> toolFiles = new LinkedHashMap<>();
    private final List<SequenceRule> sequences = new ArrayList<>();
    private final Map<String, String> sequenceFiles = new LinkedHashMap<>();
    private final List<CrossToolLimit> limits = new ArrayList<>();
    private EgressDefaults egressDefaults = EgressDefaults.ALLOW;
    private final Map<String, String> egressDefaultFiles = new LinkedHashMap<>();
    /** The warnings of a bundle that loads (SPEC §11 lint); every check adds to this one place. */
    private final BundleLint lint = new BundleLint();
    /** {@code tool \0 argument} already warned about as unchecked, so that a name is said once per tool. */
    private final Set<String> uncheckedArguments = new java.util.HashSet<>();

    BundleCompiler(Problems problems) {
        this.problems = problems;
    }

    /** Adds one file's tree; files must come in name order. */
    void add(String file, LocatedNode root) {
        LocatedMap doc = root.asMap("a policy file", problems);
        if (doc == null) {
            return;
        }
        doc.allowOnly(problems, "apiVersion", "kind", "metadata", "default", "mode", "roles", "forbid", "tools", "sequences",
                "limits", "egress");
        String apiVersion = doc.string("apiVersion", problems);
        if (apiVersion != null && !apiVersion.equals(API_VERSION)) {
            problems.add(doc.get("apiVersion").position(), "apiVersion must be " + API_VERSION + ", not '" + apiVersion + "'");
        }
        String kind = doc.string("kind", problems);
        if (kind != null && !kind.equals("Policy")) {
            problems.add(doc.get("kind").position(), "kind must be Policy, not '" + kind + "'");
        }
        if (!doc.has("apiVersion") || !doc.has("kind")) {
            String missing = doc.has("kind") ? "apiVersion" : doc.has("apiVersion") ? "kind" : "apiVersion and no kind";
            lint.add(doc.position(), BundleLint.MISSING_HEADER, "the file has no " + missing + ": start it with"
                    + " 'apiVersion: " + API_VERSION + "' and 'kind: Policy', so that it is known for a policy");
        }
        readMetadata(doc);
        boolean enforced = readMode(doc);
        readDefault(file, doc);
        readRoles(file, doc);
        readForbid(doc, enforced);
        readTools(file, doc, enforced);
        readSequences(file, doc, enforced);
        readLimits(doc);
        readEgressDefaults(file, doc);
    }

    /** The top-level {@code egress}: merged across files like {@code roles}, each key set in one file only. */
    private void readEgressDefaults(String file, LocatedMap doc) {
        LocatedNode node = doc.get("egress");
        if (node == null) {
            return;
        }
        EgressDefaults read = EgressReader.defaults(node, problems);
        if (read == null) {
            return;
        }
        LocatedMap map = (LocatedMap) node;
        EgressDefaults.Outside inTools = egressDefaults.defaultInTools();
        EgressDefaults.Outside outside = egressDefaults.outsideTools();
        if (read.defaultInTools() != null) {
            String first = egressDefaultFiles.putIfAbsent("default_in_tools", file);
            if (first != null) {
                problems.add(map.keyPosition("default_in_tools"), "egress.default_in_tools is already set in " + first);
            }
            inTools = read.defaultInTools();
        }
        if (read.outsideTools() != null) {
            String first = egressDefaultFiles.putIfAbsent("outside_tools", file);
            if (first != null) {
                problems.add(map.keyPosition("outside_tools"), "egress.outside_tools is already set in " + first);
            }
            outside = read.outsideTools();
        }
        egressDefaults = new EgressDefaults(inTools, outside);
    }

    CompiledBundle build(String sha256, List<String> sources) {
        Action decidedByDefault = defaultAction == null ? Action.DENY : defaultAction;
        return new CompiledBundle(name, version, sha256, sources, decidedByDefault,
                roles, forbids, exactTools, globTools, sequences, limits, egressDefaults,
                lint.finish(exactTools.keySet(), globTools.stream().map(ToolPolicy::pattern).toList(), decidedByDefault));
    }

    private void readMetadata(LocatedMap doc) {
        LocatedMap metadata = doc.map("metadata", problems);
        if (metadata == null) {
            return;
        }
        metadata.allowOnly(problems, "name", "version", "description");
        String n = metadata.text("name", problems);
        String v = metadata.text("version", problems);
        metadata.string("description", problems);
        if (name == null) {
            name = n;
        }
        if (version == null) {
            version = v;
        }
    }

    private boolean readMode(LocatedMap doc) {
        String mode = doc.string("mode", problems);
        if (mode == null || mode.equals("enforce")) {
            return true;
        }
        if (!mode.equals("shadow")) {
            problems.add(doc.get("mode").position(), "unknown mode '" + mode + "' (expected enforce or shadow)");
        }
        return false;
    }

    private void readDefault(String file, LocatedMap doc) {
        String d = doc.string("default", problems);
        if (d == null) {
            return;
        }
        Action action;
        if (d.equals("allow")) {
            action = Action.ALLOW;
        } else if (d.equals("deny")) {
            action = Action.DENY;
        } else {
            problems.add(doc.get("default").position(), "unknown default '" + d + "' (expected allow or deny)");
            return;
        }
        if (defaultAction != null && defaultAction != action) {
            problems.add(doc.get("default").position(), "default: " + d + " disagrees with default: "
                    + defaultAction.wireName() + " in " + defaultFile);
            return;
        }
        defaultAction = action;
        defaultFile = file;
    }

    private void readRoles(String file, LocatedMap doc) {
        LocatedMap section = doc.map("roles", problems);
        if (section == null) {
            return;
        }
        if (roles == null) {
            roles = new LinkedHashMap<>();
        }
        for (LocatedMap.Entry e : section.entries()) {
            String first = roleFiles.get(e.key());
            if (first != null) {
                problems.add(e.keyPosition(), "role '" + e.key() + "' is already defined in " + first);
                continue;
            }
            List<String> globs = section.strings(e.key(), problems);
            if (globs != null) {
                roles.put(e.key(), patterns(globs));
                roleFiles.put(e.key(), file);
                toolsNamed(e.value(), "role '" + e.key() + "'", false);
            }
        }
    }

    private void readForbid(LocatedMap doc, boolean enforced) {
        LocatedList list = doc.list("forbid", problems);
        if (list == null) {
            return;
        }
        for (LocatedNode item : list.items()) {
            LocatedMap entry = item.asMap("a forbid entry", problems);
            if (entry == null) {
                continue;
            }
            entry.allowOnly(problems, "tools", "when", "reason");
            List<String> tools = entry.strings("tools", problems);
            if (tools != null && tools.isEmpty()) {
                problems.add(entry.get("tools").position(), "'tools' names no tool; leave it out to apply the entry to every tool");
            }
            Expression when = entry.has("when") ? expression(entry.get("when"), "'when'") : null;
            if (when != null) {
                lintCondition(entry.get("when"), "forbid[" + forbids.size() + "]", "this forbid entry forbids", name -> false);
            }
            String reason = entry.string("reason", problems);
            boolean readsArgs = when != null
                    && (!when.argumentReferences().isEmpty() || READS_ARGS.matcher(when.source()).find());
            forbids.add(new ForbidEntry(forbids.size(), tools == null ? List.of() : patterns(tools), when, reason,
                    enforced, readsArgs));
        }
    }

    private void readSequences(String file, LocatedMap doc, boolean enforced) {
        LocatedList list = doc.list("sequences", problems);
        if (list == null) {
            return;
        }
        for (LocatedNode item : list.items()) {
            LocatedMap entry = item.asMap("a sequences entry", problems);
            if (entry == null) {
                continue;
            }
            entry.allowOnly(problems, "name", "after", "deny", "within", "reason");
            String seqName = requiredString(entry, "name");
            LocatedNode afterNode = entry.required("after", problems);
            LocatedNode denyNode = entry.required("deny", problems);
            List<String> after = afterNode == null ? null : entry.strings("after", problems);
            List<String> deny = denyNode == null ? null : entry.strings("deny", problems);
            Duration within = null;
            LocatedNode withinNode = entry.get("within");
            if (withinNode != null && !(withinNode instanceof LocatedScalar s && "session".equals(s.value()))) {
                within = withinNode instanceof LocatedScalar s && s.value() != null
                        ? Durations.parse(s.text()).orElse(null) : null;
                if (within == null || within.isZero()) {
                    problems.add(withinNode.position(), "'within' must be session or a duration longer than 0 "
                            + "(<number><unit> with unit ms, s, m, h or d), not " + describe(withinNode));
                    continue;
                }
            }
            String reason = entry.string("reason", problems);
            for (String key : List.of("after", "deny")) {
                List<String> globs = key.equals("after") ? after : deny;
                if (globs != null && globs.isEmpty()) {
                    problems.add(entry.get(key).position(), "'" + key + "' must name at least one tool");
                }
            }
            if (seqName == null || after == null || deny == null || after.isEmpty() || deny.isEmpty()) {
                continue;
            }
            if (!egressEventsWellFormed(entry, after, deny)) {
                continue;
            }
            String first = sequenceFiles.putIfAbsent(seqName, file);
            if (first != null) {
                problems.add(entry.get("name").position(), "sequence '" + seqName + "' is already defined in " + first);
                continue;
            }
            sequences.add(new SequenceRule(seqName, patterns(after), patterns(deny), within, reason, enforced));
            // an 'after' tool with no entry still runs (and is history) under default: allow; a 'deny' tool does not
            toolsNamed(entry.get("after"), "sequence '" + seqName + "' (after)", true);
            toolsNamed(entry.get("deny"), "sequence '" + seqName + "' (deny)", false);
        }
    }

    /** Entries of a sequence that name egress events must name a kind (SPEC §18); reports those that do not. */
    private boolean egressEventsWellFormed(LocatedMap entry, List<String> after, List<String> deny) {
        boolean ok = true;
        for (String key : List.of("after", "deny")) {
            for (String glob : key.equals("after") ? after : deny) {
                String problem = glob.startsWith(SequenceRule.EGRESS_PREFIX) ? EgressReader.eventProblem(glob) : null;
                if (problem != null) {
                    problems.add(entry.get(key).position(), problem);
                    ok = false;
                }
            }
        }
        return ok;
    }

    private void readTools(String file, LocatedMap doc, boolean enforced) {
        LocatedMap section = doc.map("tools", problems);
        if (section == null) {
            return;
        }
        for (LocatedMap.Entry e : section.entries()) {
            String tool = e.key();
            String first = toolFiles.get(tool);
            if (first != null) {
                problems.add(e.keyPosition(), "tool '" + tool + "' is defined in both " + first + " and " + file);
                continue;
            }
            toolFiles.put(tool, file);
            if (!ToolPattern.of(tool).exact()) {
                lint.add(e.keyPosition(), BundleLint.GLOB_TOOL_KEY, "the tools key '" + tool + "' is a glob: it decides"
                        + " every tool it matches that has no entry of its own, including tools added later; name the"
                        + " tools one by one unless that is meant");
            }
            ToolPolicy policy = readTool(file, tool, e.value(), enforced);
            if (policy == null) {
                continue;
            }
            if (policy.pattern().exact()) {
                exactTools.put(tool, policy);
            } else {
                globTools.add(policy);
            }
        }
    }

    private ToolPolicy readTool(String file, String tool, LocatedNode node, boolean enforced) {
        LocatedMap t = node.asMap("tool '" + tool + "'", problems);
        if (t == null) {
            return null;
        }
        int before = problems.size();
        t.allowOnly(problems, "description", "arguments", "lock", "action", "reason", "approval", "rules",
                "rate_limit", "budget", "egress");
        t.string("description", problems);
        String prefix = "tools." + tool + ".";
        ArgumentSchema arguments = t.has("arguments") ? SchemaCompiler.compile(t.get("arguments"), problems) : null;
        Set<String> declared = arguments == null ? null : arguments.declaredProperties();

        List<ToolPolicy.Lock> locks = new ArrayList<>();
        LocatedMap lock = t.map("lock", problems);
        if (lock != null) {
            for (LocatedMap.Entry l : lock.entries()) {
                if (declared != null && !declared.contains(l.key())) {
                    problems.add(l.keyPosition(), "lock on '" + l.key() + "', which the arguments schema of tool '"
                            + tool + "' does not declare (declared: " + String.join(", ", new TreeSet<>(declared)) + ")");
                }
                Expression value = expression(l.value(), "lock '" + l.key() + "'");
                checkArguments(tool, l.value(), value, declared);
                if (value != null) {
                    locks.add(new ToolPolicy.Lock(l.key(), value));
                }
            }
        }

        List<Rule> rules = new ArrayList<>();
        if (t.has("action") && t.has("rules")) {
            problems.add(t.keyPosition("action"), "tool '" + tool + "' has both 'action' and 'rules': "
                    + "'action' is shorthand for a single rule, use one or the other");
        } else if (t.has("action")) {
            Rule rule = readRuleBody(tool, t, prefix + "rules[0]", null, declared);
            if (rule != null) {
                rules.add(rule);
            }
        } else {
            for (String stray : List.of("reason", "approval")) {
                if (t.has(stray)) {
                    problems.add(t.keyPosition(stray), "'" + stray + "' at tool level goes with 'action'; "
                            + (t.has("rules") ? "put it in a rule" : "add an action"));
                }
            }
            LocatedList list = t.list("rules", problems);
            if (list != null) {
                for (int i = 0; i < list.size(); i++) {
                    LocatedMap r = list.get(i).asMap("a rule", problems);
                    if (r == null) {
                        continue;
                    }
                    r.allowOnly(problems, "when", "action", "reason", "approval");
                    Expression when = null;
                    if (r.has("when")) {
                        when = expression(r.get("when"), "'when'");
                        checkArguments(tool, r.get("when"), when, declared);
                    }
                    if (r.required("action", problems) == null) {
                        continue;
                    }
                    Rule rule = readRuleBody(tool, r, prefix + "rules[" + i + "]", when, declared);
                    if (rule != null) {
                        rules.add(rule);
                        if (when != null && rule.action() != Action.ALLOW) {
                            lintCondition(r.get("when"), rule.ruleId(), "this " + rule.action().wireName() + " rule applies",
                                    checkedArguments(t.get("arguments")));
                        }
                    }
                }
            }
        }

        RateLimit rateLimit = null;
        List<RateLimit> rateLimits = List.of();
        if (t.get("rate_limit") instanceof LocatedList list) {
            List<RateLimit> entries = new ArrayList<>();
            for (LocatedNode item : list.items()) {
                String rule = prefix + "rate_limit[" + entries.size() + "]";
                LocatedMap entry = item.asMap("a 'rate_limit' entry", problems);
                entries.add(entry == null ? null : readRateLimit(tool, entry, declared, rule));
            }
            if (entries.isEmpty()) {
                problems.add(list.position(), "'rate_limit' must have at least one entry");
            }
            rateLimits = entries.contains(null) ? List.of() : List.copyOf(entries);
        } else if (t.has("rate_limit")) {
            LocatedMap r = t.get("rate_limit").asMap("'rate_limit'", problems);
            rateLimit = r == null ? null : readRateLimit(tool, r, declared, null);
        }
        Budget budget = t.has("budget") ? readBudget(tool, t.get("budget"), declared) : null;
        ToolEgress egress = t.has("egress") ? EgressReader.tool(tool, t.get("egress"), problems) : null;
        if (problems.size() > before) {
            return null;
        }
        return new ToolPolicy(tool, ToolPattern.of(tool), file, arguments, List.copyOf(locks), List.copyOf(rules),
                rateLimit, rateLimits, budget, enforced, egress);
    }

    /**
     * Warns where a condition can error on input the caller controls: the rule then applies (SPEC §4), which a
     * guard such as {@code has(args.x) &&} would turn into "does not apply".
     */
    private void lintCondition(LocatedNode node, String ruleId, String consequence,
                               java.util.function.Predicate<String> checked) {
        if (!(node instanceof LocatedScalar scalar) || !(scalar.value() instanceof String text)) {
            return;
        }
        for (dev.toolguard.policy.expr.ConditionLint.Finding f : dev.toolguard.policy.expr.ConditionLint.of(text, checked)) {
            String guard = f.problem().equals("can be 0")
                    ? f.path() + " != 0 && …"
                    : "has(" + f.path() + ") && …" + (f.path().startsWith("args.") ? ", or declare it required in the arguments schema" : "");
            lint.add(scalar.positionInValue(f.column()), BundleLint.CONDITION_CAN_ERROR, ruleId + ": " + f.path() + " "
                    + f.problem() + " (the caller controls it): the condition then errors and " + consequence
                    + " (errors never widen); if it should not, guard it: " + guard);
        }
    }

    /** Top-level arguments the schema makes required and typed: they cannot be missing or of another type. */
    private static java.util.function.Predicate<String> checkedArguments(LocatedNode schema) {
        if (!(schema instanceof LocatedMap map) || !(map.get("required") instanceof LocatedList required)
                || !(map.get("properties") instanceof LocatedMap properties)) {
            return name -> false;
        }
        Set<String> names = new java.util.HashSet<>();
        for (LocatedNode item : required.items()) {
            if (item instanceof LocatedScalar s && s.value() instanceof String name
                    && properties.get(name) instanceof LocatedMap property && property.has("type")) {
                names.add(name);
            }
        }
        return names::contains;
    }

    /** Reads action, reason and approval of a rule (or of the tool's shorthand). */
    private Rule readRuleBody(String tool, LocatedMap r, String ruleId, Expression when, Set<String> declared) {
        String actionName = r.string("action", problems);
        String reason = r.string("reason", problems);
        if (actionName == null) {
            return null;
        }
        Action action;
        try {
            action = Action.fromWireName(actionName);
        } catch (IllegalArgumentException e) {
            problems.add(r.get("action").position(), e.getMessage());
            return null;
        }
        ApprovalSpec approval = null;
        if (r.has("approval")) {
            if (action != Action.REQUIRE_APPROVAL) {
                problems.add(r.keyPosition("approval"), "'approval' is only for action require_approval, not "
                        + action.wireName());
                return null;
            }
            approval = readApproval(r.get("approval"));
            if (approval == null) {
                return null;
            }
        } else if (action == Action.REQUIRE_APPROVAL) {
            approval = ApprovalSpec.DEFAULT;
        }
        return new Rule(ruleId, when, action, reason, approval);
    }

    private ApprovalSpec readApproval(LocatedNode node) {
        LocatedMap a = node.asMap("'approval'", problems);
        if (a == null) {
            return null;
        }
        int before = problems.size();
        a.allowOnly(problems, "timeout", "on_timeout", "mode");
        Duration timeout = ApprovalSpec.DEFAULT.timeout();
        if (a.has("timeout")) {
            timeout = positive(a.get("timeout"), "'timeout'");
        }
        Action onTimeout = ApprovalSpec.DEFAULT.onTimeout();
        String t = a.string("on_timeout", problems);
        if (t != null) {
            if (t.equals("allow") || t.equals("deny")) {
                onTimeout = Action.fromWireName(t);
            } else {
                problems.add(a.get("on_timeout").position(), "unknown on_timeout '" + t + "' (expected allow or deny)");
            }
        }
        ApprovalSpec.Mode mode = ApprovalSpec.DEFAULT.mode();
        String m = a.string("mode", problems);
        if (m != null) {
            if (m.equals("wait")) {
                mode = ApprovalSpec.Mode.WAIT;
            } else if (m.equals("ticket")) {
                mode = ApprovalSpec.Mode.TICKET;
            } else {
                problems.add(a.get("mode").position(), "unknown approval mode '" + m + "' (expected wait or ticket)");
            }
        }
        return problems.size() > before || timeout == null ? null : new ApprovalSpec(timeout, onTimeout, mode);
    }

    /**
     * One rate limit: a tool's single map ({@code rule} null, no {@code when}), an entry of its list, or a
     * bundle-level {@code limits} entry ({@code tool} null: its key and condition may not name arguments of one tool).
     */
    private RateLimit readRateLimit(String tool, LocatedMap r, Set<String> declared, String rule) {
        if (rule == null) {
            r.allowOnly(problems, "limit", "per", "key");
        } else if (tool == null) {
            r.allowOnly(problems, "tools", "limit", "per", "key", "when");
        } else {
            r.allowOnly(problems, "limit", "per", "key", "when");
        }
        Long limit = null;
        if (r.required("limit", problems) != null) {
            limit = r.longValue("limit", problems);
            if (limit != null && limit <= 0) {
                problems.add(r.get("limit").position(), "'limit' must be greater than 0");
                limit = null;
            }
        }
        Duration per = r.required("per", problems) == null ? null : positive(r.get("per"), "'per'");
        LimitKey key = readKey(tool, r, declared);
        Expression when = null;
        boolean whenOk = true;
        if (rule != null && r.has("when")) {
            when = expression(r.get("when"), "'when'");
            whenOk = when != null;
            if (when != null) {
                checkArguments(tool, r.get("when"), when, declared);
                lintCondition(r.get("when"), rule, "this limit applies", name -> false);
            }
        }
        return limit == null || per == null || key == null || !whenOk ? null
                : new RateLimit(limit, per, key, when, rule);
    }

    /** The bundle-level {@code limits}: rate limits shared by the tools their globs match (SPEC §14). */
    private void readLimits(LocatedMap doc) {
        LocatedList list = doc.list("limits", problems);
        if (list == null) {
            return;
        }
        for (LocatedNode item : list.items()) {
            String rule = "limits[" + limits.size() + "]";
            LocatedMap entry = item.asMap("a 'limits' entry", problems);
            if (entry == null) {
                continue;
            }
            List<String> tools = entry.required("tools", problems) == null ? null : entry.strings("tools", problems);
            if (tools != null && tools.isEmpty()) {
                problems.add(entry.get("tools").position(), "'tools' must name at least one tool");
                tools = null;
            }
            RateLimit limit = readRateLimit(null, entry, null, rule);
            if (tools != null && limit != null) {
                limits.add(new CrossToolLimit(patterns(tools), limit));
                // a glob no tools entry matches counts nothing: such calls are decided by default before step 8
                toolsNamed(entry.get("tools"), rule, false);
            }
        }
    }

    private Budget readBudget(String tool, LocatedNode node, Set<String> declared) {
        LocatedMap b = node.asMap("'budget'", problems);
        if (b == null) {
            return null;
        }
        b.allowOnly(problems, "cost", "limit", "per", "key");
        Expression cost = null;
        if (b.required("cost", problems) != null) {
            cost = expression(b.get("cost"), "'cost'");
            checkArguments(tool, b.get("cost"), cost, declared);
        }
        Double limit = null;
        if (b.required("limit", problems) != null) {
            limit = b.number("limit", problems);
            if (limit != null && !(limit > 0 && Double.isFinite(limit))) {
                problems.add(b.get("limit").position(), "'limit' must be a number greater than 0");
                limit = null;
            }
        }
        Duration per = b.required("per", problems) == null ? null : positive(b.get("per"), "'per'");
        LimitKey key = readKey(tool, b, declared);
        return cost == null || limit == null || per == null || key == null ? null : new Budget(cost, limit, per, key);
    }

    private LimitKey readKey(String tool, LocatedMap owner, Set<String> declared) {
        LocatedNode node = owner.get("key");
        if (node == null) {
            return LimitKey.SHARED;
        }
        if (node instanceof LocatedList list) {
            List<Expression> parts = new ArrayList<>();
            boolean ok = true;
            for (LocatedNode item : list.items()) {
                Expression e = expression(item, "'key' item");
                checkArguments(tool, item, e, declared);
                ok &= e != null;
                parts.add(e);
            }
            return ok ? new LimitKey(List.copyOf(parts), true) : null;
        }
        Expression e = expression(node, "'key'");
        checkArguments(tool, node, e, declared);
        return e == null ? null : new LimitKey(List.of(e), false);
    }

    private static String describe(LocatedNode node) {
        return node instanceof LocatedScalar s && s.value() != null ? "'" + s.text() + "'" : node.kind();
    }

    /** A duration greater than zero, or null after reporting. */
    private Duration positive(LocatedNode node, String what) {
        Duration d = node.asDuration(what, problems);
        if (d != null && (d.isZero() || d.isNegative())) {
            problems.add(node.position(), what + " must be longer than 0");
            return null;
        }
        return d;
    }

    /**
     * Compiles the expression written at {@code node}; each problem is placed at the file column of the
     * offending character inside it.
     */
    private Expression expression(LocatedNode node, String what) {
        String text = node.asText(what, problems);
        if (text == null) {
            return null;
        }
        ExpressionCompiler.Compilation compiled;
        try {
            compiled = ExpressionCompiler.compile(text);
        } catch (RuntimeException e) {
            problems.add(node.position(), "bad expression '" + text + "': " + e.getMessage());
            return null;
        }
        if (compiled.ok()) {
            return compiled.expression();
        }
        LocatedScalar scalar = (LocatedScalar) node;
        for (ExpressionProblem p : compiled.problems()) {
            problems.add(scalar.positionInValue(p.column()), "bad expression '" + text + "': " + p.message()
                    + " (column " + p.column() + " of the expression)");
        }
        return null;
    }

    /** Reports every {@code args.<name>} an expression reads that the tool's schema does not declare. */
    private void checkArguments(String tool, LocatedNode node, Expression expression, Set<String> declared) {
        if (tool == null || expression == null || !(node instanceof LocatedScalar scalar)) {
            // tool null: a bundle-level limit, counting calls of several tools with arguments of their own
            return;
        }
        if (declared == null) {
            // nothing to check the names against: a misspelt one (args.amout) would only ever read as absent
            for (Expression.ArgumentReference ref : expression.argumentReferences()) {
                if (uncheckedArguments.add(tool + '\u0000' + ref.name())) {
                    lint.add(scalar.positionInValue(ref.column()), BundleLint.UNCHECKED_ARGUMENT, "'args." + ref.name()
                            + "' is not checked against any argument names: tool '" + tool + "' has no arguments"
                            + " schema with properties, so a misspelt name reads as absent; declare"
                            + " arguments.properties");
                }
            }
            return;
        }
        for (Expression.ArgumentReference ref : expression.argumentReferences()) {
            if (!declared.contains(ref.name())) {
                SourcePosition at = scalar.positionInValue(ref.column());
                problems.add(at, "'args." + ref.name() + "' is not an argument of tool '" + tool
                        + "': its arguments schema declares only " + String.join(", ", new TreeSet<>(declared)));
            }
        }
    }

    /** Tells the lint about every tool name or glob of a list written outside {@code tools}. */
    private void toolsNamed(LocatedNode list, String where, boolean onlyUnderDefaultDeny) {
        if (!(list instanceof LocatedList items)) {
            return;
        }
        for (LocatedNode item : items.items()) {
            if (item instanceof LocatedScalar s && s.value() instanceof String tool && !tool.startsWith("egress:")) {
                lint.toolNamed(s.position(), where, tool, onlyUnderDefaultDeny);
            }
        }
    }

    private String requiredString(LocatedMap map, String key) {
        return map.required(key, problems) == null ? null : map.string(key, problems);
    }

    private static List<ToolPattern> patterns(List<String> globs) {
        List<ToolPattern> out = new ArrayList<>(globs.size());
        for (String g : globs) {
            out.add(ToolPattern.of(g));
        }
        return List.copyOf(out);
    }
}
