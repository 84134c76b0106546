package dev.toolguard.agent.runtime;

import dev.toolguard.agent.admin.AdminServer;
import dev.toolguard.agent.console.FleetFeed;
import dev.toolguard.agent.console.WebConsole;
import dev.toolguard.agent.console.PolicyTexts;
import dev.toolguard.agent.admin.GuardedTools;
import dev.toolguard.agent.admin.Metrics;
import dev.toolguard.agent.admin.PolicyStatus;
import dev.toolguard.agent.advice.ToolInstaller;
import dev.toolguard.agent.egress.Credentials;
import dev.toolguard.agent.egress.EgressSensors;
import dev.toolguard.agent.egress.ReleasedCredentials;
import dev.toolguard.agent.egress.UnseenEgress;
import dev.toolguard.agent.advice.ToolRegistry;
import dev.toolguard.agent.config.AgentConfig;
import dev.toolguard.agent.config.ConfigProblem;
import dev.toolguard.agent.config.ConfigResolver;
import dev.toolguard.agent.config.EnforcementMode;
import dev.toolguard.agent.config.RulesMatching;
import dev.toolguard.agent.context.ContextAssembler;
import dev.toolguard.agent.context.ContextSourceRegistry;
import dev.toolguard.agent.instrument.InstrumentationModule;
import dev.toolguard.agent.instrument.Modules;
import dev.toolguard.agent.instrument.check.ModuleChecks;
import dev.toolguard.agent.instrument.check.UnmatchedEntries;
import dev.toolguard.agent.reload.ActivePolicy;
import dev.toolguard.agent.reload.LastGoodStore;
import dev.toolguard.agent.reload.PolicyFetcher;
import dev.toolguard.agent.reload.PolicyReloader;
import dev.toolguard.agent.reload.ReloadListener;
import dev.toolguard.agent.reload.SourceLoader;
import dev.toolguard.agent.reload.SourceWatcher;
import dev.toolguard.api.ToolCallDeniedException;
import dev.toolguard.api.internal.GuardBridge;
import dev.toolguard.instrumentation.ToolMethod;
import dev.toolguard.instrumentation.ToolRules;
import dev.toolguard.instrumentation.file.RulesFile;
import dev.toolguard.instrumentation.rule.ToolRule;
import dev.toolguard.policy.approval.ApprovalNotifier;
import dev.toolguard.policy.approval.ApprovalService;
import dev.toolguard.policy.approval.ApprovalWebhook;
import dev.toolguard.policy.audit.AuditConfig;
import dev.toolguard.policy.audit.AuditLog;
import dev.toolguard.policy.audit.AuditSink;
import dev.toolguard.policy.audit.AuditWriteException;
import dev.toolguard.policy.audit.FsyncMode;
import dev.toolguard.policy.audit.PolicyRecord;
import dev.toolguard.policy.decide.Decision;
import dev.toolguard.policy.decide.PolicyEngine;
import dev.toolguard.policy.load.BundleLoader;
import dev.toolguard.policy.load.BundleSignature;
import dev.toolguard.policy.load.CompiledBundle;
import dev.toolguard.policy.load.LintWarning;
import dev.toolguard.policy.load.ToolPolicy;
import dev.toolguard.policy.load.LoadError;
import dev.toolguard.policy.load.LoadResult;
import dev.toolguard.policy.load.PolicyBundle;
import dev.toolguard.policy.state.EngineState;
import dev.toolguard.policy.state.InMemorySessionHistory;
import dev.toolguard.policy.state.TimeSource;
import dev.toolguard.policy.values.Redaction;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Puts the agent together at start: config, audit log, policy (and its reloading), approvals, admin API,
 * the guard behind the bridge, and last the instrumentation. Everything it says goes to standard error;
 * standard output belongs to the application (an MCP stdio server speaks its protocol there).
 */
public final class AgentRuntime {

    private final PrintStream stderr;
    private final Consumer<String> diagnostics;

    private AgentRuntime(PrintStream stderr) {
        this.stderr = stderr;
        this.diagnostics = stderr::println;
    }

    /**
     * Starts the agent in this JVM.
     *
     * @param agentArgs the text after {@code -javaagent:toolguard-agent.jar=}, or null
     * @param attached  true when loaded into a running JVM (classes already loaded are retransformed)
     */
    public static void start(String agentArgs, Instrumentation inst, boolean attached) {
        AgentRuntime runtime = new AgentRuntime(System.err);
        try {
            runtime.run(agentArgs, inst, attached);
        } catch (Throwable e) {
            // an Error too (out of memory, out of stack): whatever stopped the start, nothing may run unguarded
            runtime.failClosed(agentArgs, inst, e);
        }
    }

    /** Set once the instrumentation is in place, so that a failed start does not install it twice. */
    private boolean instrumented;
    /** The module checks of the instrumentation in place, read by a failed start's guard for its fuses. */
    private volatile ModuleChecks checks;

    /**
     * Starting failed (a bug of ours): rather than leave the tools unguarded, every tool the agent would have
     * guarded (SPEC §13.5: annotations, {@code rules.yaml} entries, framework hooks) is guarded by a guard that
     * denies, and that is said. Only if even that fails do the tools run unguarded, which is said too.
     */
    private void failClosed(String agentArgs, Instrumentation inst, Throwable failure) {
        String why = failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        try {
            if (GuardBridge.installed()) {
                // the start failed after its guard was in place (its last steps): that guard decides every call
                diagnostics.accept("toolguard: the agent failed at the end of its start, and its guard decides every"
                        + " call as configured: " + why);
                return;
            }
            // the model reads that the agent failed to start; what failed is said below, on standard error
            GuardBridge.install(new DenyingGuard("the agent failed to start",
                    module -> checks == null ? null : checks.refusal(module)));
            if (!instrumented) {
                List<String> builtin = AgentConfig.ALL_BUILTIN_RULE_SETS;
                List<ToolRule> fileRules = List.of();
                boolean filterDiscovery = true;
                try {
                    ConfigResolver.Result resolved = ConfigResolver.resolve(agentArgs);
                    AgentConfig config = resolved.config();
                    List<String> problems = new ArrayList<>();
                    filterDiscovery = config.filterDiscovery();
                    fileRules = readRules(config, problems);
                    builtin = modulesGuarding(config, !resolved.ok() || !problems.isEmpty(), List.of()).stream()
                            .map(InstrumentationModule::name).toList();
                } catch (Throwable e) {
                    diagnostics.accept("toolguard: the config cannot be read either, so every built-in module guards: " + e);
                }
                checks = new ModuleChecks(Modules.named(builtin), filterDiscovery, AgentRuntime.class.getClassLoader(),
                        diagnostics);
                // no egress sensors: every guarded call is denied, so no tool's body runs to send anything
                instrument(fileRules, checks, new ModuleChecks(List.of(), false, AgentRuntime.class.getClassLoader(),
                        diagnostics), inst, false);
                if (!fileRules.isEmpty()) {
                    watchForEntriesMatchingNoClass(installedRules, RulesMatching.DEFAULT, inst);
                }
            }
            diagnostics.accept("toolguard: the agent failed to start, so every guarded call is denied: " + why);
        } catch (Throwable e) {
            diagnostics.accept("toolguard: the agent failed to start, and no tool is guarded: " + why + "; then " + e);
        }
    }

    /**
     * The tools of the config's {@code rules.yaml} files. A file with problems adds its problems, and the entries it
     * can still be read to name ({@link RulesFile.Result#salvaged()}): with problems every guarded call is denied, and
     * those methods must be guarded to be denied rather than run undecided (SPEC §13.1).
     */
    private static List<ToolRule> readRules(AgentConfig config, List<String> problems) {
        List<ToolRule> rules = new ArrayList<>();
        for (Path file : config.rulesFiles()) {
            RulesFile.Result read = RulesFile.read(file);
            read.problems().forEach(p -> problems.add(p.toString()));
            rules.addAll(read.guarded());
        }
        return rules;
    }

    /**
     * The built-in modules that guard: those the config names, or every one when the config has problems. A broken
     * config is not trusted to say what to leave unguarded either: a mistyped name in {@code instrumentation.builtin}
     * would otherwise leave that framework's tools undecided while every other guarded call is denied.
     *
     * @param fileRules the rules files' tools, counted in what is said when the config is broken
     */
    private List<InstrumentationModule> modulesGuarding(AgentConfig config, boolean broken, List<ToolRule> fileRules) {
        if (!broken) {
            return Modules.named(config.builtinRuleSets());
        }
        if (!fileRules.isEmpty()) {
            diagnostics.accept("toolguard: with the config broken, every built-in module guards, and so do the "
                    + fileRules.size() + " rules.yaml entries its files can be read to name; every guarded call is"
                    + " denied until the config is fixed");
        } else {
            diagnostics.accept("toolguard: with the config broken, every built-in module guards; every guarded call"
                    + " is denied until the config is fixed");
        }
        return Modules.ALL;
    }

    /**
     * Installs the tool advice, every enabled module's hooks and the egress sensors, for the tools of the modules'
     * annotations and of the {@code rules.yaml} files, in one transformer. The same path serves a start and a failed
     * start, so that both guard the same tools.
     */
    private void instrument(List<ToolRule> fileRules, ModuleChecks checks, ModuleChecks sensorChecks,
                            Instrumentation inst, boolean atJvmStart) {
        List<ToolRule> rules = new ArrayList<>(Modules.annotationRules(checks.modules()));
        rules.addAll(fileRules);
        ToolRules toolRules = new ToolRules(rules, Modules.parameterNaming());
        ToolInstaller installer = new ToolInstaller(toolRules, checks, sensorChecks, unmatched, registry, diagnostics);
        if (atJvmStart) {
            // the first test goes in place now, the transformer behind it while the application starts (a class that
            // may hold tools waits for it); unless an ahead-of-time cache loaded application classes already
            installer.installBehindGate(inst);
        } else {
            // attached: the application's classes are loaded, and the retransformation pass must find them now
            installer.install(inst);
        }
        instrumented = true;
        installedRules = toolRules;
    }

    /** The rules the instrumentation in place matches with; null before it is in place. */
    private ToolRules installedRules;

    /**
     * Once the application had {@code match_grace} to load the classes the rules files name (and again as the JVM
     * ends, for a short run), the entries that matched no class are said.
     */
    private void watchForEntriesMatchingNoClass(ToolRules rules, RulesMatching matching, Instrumentation inst) {
        Runnable check = () -> unmatched.noClassMatched(rules.entriesMatchingNoClass(),
                () -> java.util.Arrays.stream(inst.getAllLoadedClasses()).map(Class::getName).distinct().toList());
        java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "toolguard-rules-match");
            t.setDaemon(true);
            return t;
        });
        timer.schedule(check, Math.max(0, matching.grace().toMillis()), java.util.concurrent.TimeUnit.MILLISECONDS);
        timer.shutdown();
        Runtime.getRuntime().addShutdownHook(new Thread(check, "toolguard-rules-match-at-exit"));
    }

    /** The rules.yaml entries that matched nothing; set with the config's strictness before instrumenting. */
    private UnmatchedEntries unmatched = new UnmatchedEntries(false, System.err::println);

    /** The tools instrumented, by the ids their advice carries; shared by the instrumentation and the pipeline. */
    private final ToolRegistry registry = new ToolRegistry();

    /** The guard of an agent that could not start: every call is denied with the reason. */
    private record DenyingGuard(String reason, java.util.function.Function<String, String> unfitModules)
            implements GuardBridge.Guard {

        /** A module that does not fit stops its calls at its fuse, also those no hook of it could deny. */
        @Override
        public String unfit(String module) {
            return unfitModules.apply(module);
        }

        @Override
        public Object enter(int toolId, Object self, Object[] args) {
            return denial();
        }

        @Override
        public Object enterNamed(String ruleSet, String tool, String site, Object args, Object[] extras) {
            return denial();
        }

        @Override
        public void exit(Object ticket, Object result, Throwable thrown) {
        }

        @Override
        public boolean discoverable(String tool) {
            return false;
        }

        @Override
        public boolean discoverable(String tool, Object[] extras) {
            return false;
        }

        @Override
        public Object captureContext() {
            return null;
        }

        @Override
        public Object adoptContext(Object captured) {
            return null;
        }

        @Override
        public void restoreContext(Object token) {
        }

        private ToolCallDeniedException denial() {
            return new ToolCallDeniedException(null, "on_error", reason, "Denied by ToolGuard: " + reason + " [on_error]");
        }
    }

    private void run(String agentArgs, Instrumentation inst, boolean attached) {
        // No warm-up thread for ByteBuddy: once the agent returns before its first policy load ends, the application,
        // the policy loader and the installation already keep both cores of a small machine busy, and a warm-up only
        // added work beside them (docs/performance.md, issue 15's third round)
        ConfigResolver.Result resolved = ConfigResolver.resolve(agentArgs);
        List<String> problems = new ArrayList<>();
        resolved.problems().forEach(p -> problems.add(p.toString()));
        AgentConfig config = resolved.config();

        List<ToolRule> fileRules = readRules(config, problems);
        ContextSourceRegistry contextSources = ContextSourceRegistry.standard(System.getenv());
        for (InstrumentationModule m : Modules.ALL) {
            m.contextSources().forEach(contextSources::register);
        }
        List<ConfigProblem> contextProblems = new ArrayList<>();
        ContextAssembler context = contextSources.assemble(config.context(), config.argumentBounds(), contextProblems);
        contextProblems.forEach(p -> problems.add(p.toString()));
        ContextSourceRegistry.callerPathsOverridingTheApi(config.context())
                .forEach(w -> diagnostics.accept("toolguard: warning: " + w));
        if (!problems.isEmpty()) {
            problems.forEach(p -> diagnostics.accept("toolguard: config error: " + p));
            // a configuration we cannot trust decides nothing: every guarded call is denied
            config = config.withoutPolicy();
        }
        List<InstrumentationModule> modules = modulesGuarding(config, !problems.isEmpty(), fileRules);
        boolean shadow = config.mode() == EnforcementMode.SHADOW;

        Redaction redaction = redactionOf(config);
        Metrics metrics = new Metrics();
        EngineState memory = EngineState.inMemory(TimeSource.system(), config.sessionTtl(), config.maxSessions());
        InMemorySessionHistory history = (InMemorySessionHistory) memory.history();
        AtomicBoolean historyFullSaid = new AtomicBoolean();
        AgentConfig bounds = config;
        history.onFull(() -> {
            if (historyFullSaid.compareAndSet(false, true)) {
                diagnostics.accept("toolguard: warning: the session history is full (state.max_sessions: "
                        + bounds.maxSessions() + ") of sessions that can still deny; calls that would arm a sequence"
                        + " in a new session are denied until entries expire (state.session_ttl: "
                        + bounds.sessionTtl().toSeconds() + "s); counted in toolguard_session_history_full_total");
            }
        });
        metrics.sessionHistoryFull(history::timesFull);
        // the audit log opens once the instrumentation is in place, so that its start record can carry what the
        // instrumentation found wrong at start; the records of the policy and the state store wait for it, and
        // follow the start record
        DeferredAuditSink earlyRecords = new DeferredAuditSink();
        // the Redis client is loaded only here, only when configured (SPEC §14)
        EngineState state = config.state().shared()
                ? memory.withShared(SharedStates.open(config.state(), System::getenv, earlyRecords, metrics, diagnostics))
                : memory;
        List<String> sources = config.policySources();
        ActivePolicy active = ActivePolicy.firstLoadPending(!problems.isEmpty()
                ? "no policy loaded: the configuration has errors (see above)"
                : sources.isEmpty() ? "no policy loaded: no policy source is configured (policy=... or policy.sources)"
                : "no policy loaded yet: the agent is starting", config.firstLoadWait(),
                "no policy loaded: the first policy load did not finish within policy.first_load_wait ("
                        + config.firstLoadWait().toMillis() + " ms)");
        // policy.http (SPEC §15): one client for every http(s) source; a CA file that cannot be used refuses
        // the policy (below) rather than trusting other CAs than the ones configured
        BundleLoader.Http policyHttp;
        String policyHttpProblem = null;
        try {
            policyHttp = PolicyFetcher.httpOf(config.policyHttp());
        } catch (IOException | RuntimeException e) {
            policyHttp = null;
            policyHttpProblem = e.getMessage();
        }
        LastGoodStore lastGood = config.lastGood() == null ? null : new LastGoodStore(config.lastGood(), policyHttp);
        boolean forceShadow = shadow;
        Reporter reporter = new Reporter(earlyRecords, lastGood, sources, metrics, active,
                SourceLoader.keyIds(config.policySigning().publicKeys()));
        BundleLoader.Http loadHttp = policyHttp;
        String loadHttpProblem = policyHttpProblem;
        AgentConfig loadConfig = config;
        // Loading the policy (YAML, JSON Schema, expressions) is a few hundred milliseconds of class loading. At JVM
        // start it runs beside the instrumentation's installation and goes on after the agent has returned to the
        // application: the guard is in place before any application class loads, and a call that comes before the
        // load has ended waits for it (ActivePolicy). Attached to a running application the policy is loaded first.
        CompletableFuture<Void> policyLoad = new CompletableFuture<>();
        Runnable load = () -> {
            try {
                if (!sources.isEmpty()) {
                    loadPolicy(loadConfig, sources, lastGood, active, reporter, state, forceShadow, loadHttp,
                            loadHttpProblem);
                }
                policyLoad.complete(null);
            } catch (Throwable e) {
                policyLoad.completeExceptionally(e);
            }
        };
        if (attached || sources.isEmpty()) {
            active.loadingOn(Thread.currentThread());
            load.run();
            active.loadingOn(null);
        } else {
            // a daemon: an application whose main ends before the load does not wait for it
            Thread loader = new Thread(load, "toolguard-policy-load");
            loader.setDaemon(true);
            active.loadingOn(loader);
            loader.start();
        }
        ActivePolicy deciding = active;

        ModuleChecks checks = new ModuleChecks(modules, config.filterDiscovery(), AgentRuntime.class.getClassLoader(),
                diagnostics);
        this.checks = checks;
        unmatched = new UnmatchedEntries(config.rulesMatching().required(), diagnostics);
        metrics.unmatchedEntries(unmatched::problems);
        ModuleChecks sensorChecks = new ModuleChecks(Modules.SENSORS, false, AgentRuntime.class.getClassLoader(),
                diagnostics);
        metrics.instrumentation(() -> {
            Map<String, String> labels = new LinkedHashMap<>();
            checks.statuses().forEach((m, st) -> labels.put(m, st.label()));
            sensorChecks.statuses().forEach((m, st) -> labels.put(m, st.label()));
            return labels;
        });

        // the frameworks on the class path are checked now, so that the start line can say how they stand; a
        // framework that a later class loader brings (a Spring Boot jar's) is checked, and said, when it is met
        List<ModuleChecks.Result> atStart = new ArrayList<>();
        ClassLoader system = ClassLoader.getSystemClassLoader();
        for (InstrumentationModule m : modules) {
            ModuleChecks.Result r = checks.check(m, system);
            if (r.status() != ModuleChecks.Status.ABSENT && m.markerClass() != null) {
                atStart.add(r);
            }
        }
        // the egress sensors (SPEC §18) are installed with the tools: until the guard below is in place a sensor lets
        // everything pass, and no tool call can be allowed before it is
        instrument(fileRules, checks, sensorChecks, inst, !attached);

        // nothing turns the audit log off (SPEC §13.13): it is the system of record
        AuditLog audit = null;
        String auditProblem = null;
        try {
            audit = AuditLog.open(new AuditConfig(config.auditFile(),
                    FsyncMode.fromConfig(config.fsync().wireName()), null, redaction, config.auditCheckpoint(),
                    config.auditLayout()),
                    startDetails(config, attached, unmatched));
        } catch (AuditWriteException | RuntimeException e) {
            auditProblem = e.getMessage();
        }
        AuditSink auditSink = audit != null ? audit : record -> {
            throw new AuditWriteException("the audit log is not open", null);
        };
        earlyRecords.open(auditSink);
        // the fleet view (SPEC §16): this replica's records go to the fleet's stream from its audit log, off every
        // call's path, whether or not this replica serves a console
        dev.toolguard.policy.state.DecisionStream fleetView = state.shared() == null ? null
                : SharedStates.decisionStream(state.shared());
        if (fleetView != null && audit != null && !config.auditToStderr()) {
            FleetFeed.start(java.nio.file.Path.of(config.auditFile()).toAbsolutePath(), fleetView);
        }

        ApprovalNotifier notifier = config.approvalsWebhook() == null ? ApprovalNotifier.NONE
                : new ApprovalWebhook(config.approvalsWebhook(), webhookSecret(config), redaction,
                        ApprovalWebhook.Settings.DEFAULT, diagnostics);
        // every call is settled with the engine that asked for its approval (the gate passes it), never this one
        ApprovalService.Builder approvalsBuilder = ApprovalService.builder(auditSink, (call, approved) -> approved)
                .notifier(notifier).sweepEvery(Duration.ofSeconds(1));
        if (state.shared() != null) {
            // approvals of the fleet in Redis (SPEC §14): a decision made on another replica is pushed to the calls
            // waiting here, so their own re-check of the store is only a slow safety net
            approvalsBuilder.store(SharedStates.approvals(state.shared(), redaction))
                    .pollInterval(SharedStates.APPROVAL_RECHECK);
        }
        ApprovalService approvals = approvalsBuilder.build();
        ApprovalGate gate = new ReloadingApprovalGate(approvals, active);
        // the console's policy page shows the deciding bundle's text and its diff against the one before, so the
        // text is kept as each bundle starts deciding (only with the admin server, which serves the console)
        PolicyTexts policyTexts = config.adminListen() == null ? null : new PolicyTexts(config.policyMaxBytes());
        active.onSwap(() -> {
            approvals.reconsiderWaiting();
            if (policyTexts != null) {
                policyTexts.deciding(() -> active.latest().bundle());
            }
        });
        if (policyTexts != null) {
            policyTexts.deciding(() -> active.latest().bundle()); // the first bundle may have swapped in already
        }
        GuardedCalls guard = new GuardedCalls(deciding, PolicyEngine.noPolicy(state, forceShadow), context, audit,
                auditProblem, gate, metricsOf(metrics), config.onError(), shadow,
                false, module -> {
                    String unmatchedEntry = unmatched.refusal();
                    return unmatchedEntry != null ? unmatchedEntry : checks.refusal(module);
                }, new UnseenEgress(sensorChecks), diagnostics);
        Dispatcher dispatcher = new Dispatcher(registry, guard, new PlainValueArgumentReader(config.argumentBounds()));
        // the egress check is in the dispatcher before the dispatcher is the guard: no call can be allowed whose
        // egress would go unchecked
        dispatcher.egressCheck(new EgressSensors(deciding, PolicyEngine.noPolicy(state, forceShadow), audit, metrics,
                credentials(config), shadow, diagnostics));
        GuardBridge.install(dispatcher);

        InetSocketAddress adminAddress = null;
        try {
            adminAddress = startAdmin(config, approvals, deciding, sources, metrics, audit, policyTexts, redaction,
                    fleetView);
        } finally {
            // also when the admin server failed: the guard in place decides once the first load has ended. The tools
            // the line counts are those guarded as the agent returns (as before), whenever the line is said
            sayStartedWhenLoaded(policyLoad, active, config, auditProblem, adminAddress, atStart, attached,
                    registry.all(), fileRules, inst);
        }
    }

    /**
     * The start line is said when the first load has ended, which is when calls start being decided; at JVM start
     * that is after the agent returned to the application. Then waiting calls go.
     */
    private void sayStartedWhenLoaded(CompletableFuture<Void> policyLoad, ActivePolicy active, AgentConfig config,
                                      String auditProblem, InetSocketAddress adminAddress,
                                      List<ModuleChecks.Result> atStart, boolean attached,
                                      List<ToolMethod> guardedAtStart, List<ToolRule> fileRules, Instrumentation inst) {
        policyLoad.whenComplete((nothing, failure) -> {
            try {
                if (failure != null) {
                    // a bug of ours: nothing is loaded, so every call is denied, and that is said
                    active.noPolicyBecause("no policy loaded: the policy loader failed (" + failure + ")");
                    diagnostics.accept("toolguard: the agent failed at the end of its start, and its guard decides"
                            + " every call as configured: the policy loader failed: " + failure);
                } else {
                    stderr.println(StartLine.of(AgentVersion.current(), active.latest(), config, auditProblem,
                            adminAddress, atStart, attached, guardedAtStart));
                }
            } finally {
                active.firstLoadEnded();
            }
            // the application's grace to load the classes the rules files name starts once the agent let it run
            if (!fileRules.isEmpty()) {
                watchForEntriesMatchingNoClass(installedRules, config.rulesMatching(), inst);
            }
        });
    }

    /** The admin API (and the console it serves) when {@code admin.listen} is set: the address bound, or null. */
    private InetSocketAddress startAdmin(AgentConfig config, ApprovalService approvals, ActivePolicy deciding,
                                         List<String> sources, Metrics metrics, AuditLog audit, PolicyTexts policyTexts,
                                         Redaction redaction, dev.toolguard.policy.state.DecisionStream fleetView) {
        if (config.adminListen() == null) {
            return null;
        }
        java.nio.file.Path consoleAuditFile = config.auditToStderr() ? null
                : java.nio.file.Path.of(config.auditFile()).toAbsolutePath();
        List<AdminServer.User> adminUsers = config.adminUsers().stream()
                .map(u -> new AdminServer.User(u.name(), u.tokenEnv(), u.tokenFile(), u.role())).toList();
        return AdminServer.start(new AdminServer.Settings(config.adminListen(), config.adminTokenEnv(),
                        adminUsers, config.adminLimits(), redaction),
                System::getenv, approvals, policyStatus(deciding, sources), metrics, diagnostics)
                .map(admin -> serveAuditAnchor(admin, audit))
                .map(admin -> {
                    admin.serveTools(guardedTools(registry, deciding));
                    // the console's classes load when a page is first asked for, never at start
                    admin.serveConsole(host -> new WebConsole(host, new WebConsole.Wiring(approvals,
                            policyStatus(deciding, sources), policyTexts, metrics,
                            consoleAuditFile, redaction, approvalContext(deciding), fleetView)));
                    return admin;
                })
                .map(AdminServer::address).orElse(null);
    }

    /** The secrets of the config's {@code credentials} (SPEC §18), released into requests of allowed calls only. */
    private Credentials credentials(AgentConfig config) {
        return ReleasedCredentials.of(config.credentials(), System.getenv(), diagnostics);
    }

    /** The first load of the policy: what is loaded decides, what fails is said and recorded, then reloading starts. */
    private void loadPolicy(AgentConfig config, List<String> sources, LastGoodStore lastGood, ActivePolicy active,
                            Reporter reporter, EngineState state, boolean forceShadow, BundleLoader.Http http,
                            String httpProblem) {
        if (http == null) {
            List<LoadError> errors = List.of(new LoadError("policy.http", 1, 1, httpProblem));
            errors.forEach(e -> diagnostics.accept("toolguard: policy error: " + e));
            active.noPolicyBecause("no policy loaded: policy.http cannot be used (" + httpProblem + ")");
            active.rejected(errors);
            reporter.record(PolicyRecord.rejected(sources, errors.stream().map(LoadError::toString).toList()));
            return;
        }
        PolicyFetcher fetcher = new PolicyFetcher(http, config.policyMaxBytes());
        SourceWatcher watcher = new SourceWatcher(sources, fetcher);
        SourceLoader sourceLoader = new SourceLoader(sources, config.policyMaxBytes(), config.policySigning(), fetcher);
        reporter.sourceLoader = sourceLoader;
        LastGoodStore.Copy kept = null;
        if (lastGood != null) {
            // the revision kept with the last good copy of these sources and keys is the lowest one still
            // accepted: a restart does not forget which bundle was newest (SPEC §15)
            kept = lastGood.copyFor(sources, reporter.keyIds, why -> { }).orElse(null);
            if (kept != null) {
                sourceLoader.loaded(kept.signature());
            }
        }
        SourceWatcher.Fingerprint seen = watcher.fingerprint();
        LoadResult loaded = sourceLoader.load();
        boolean fromCopy = false;
        if (!loaded.ok() && !seen.allReachable() && lastGood != null) {
            // only a copy saved for exactly these sources and keys, unchanged since, may stand in for them (§13.8)
            java.util.Optional<LastGoodStore.Copy> saved = lastGood.copyFor(sources, reporter.keyIds,
                    why -> diagnostics.accept("toolguard: policy source unreachable (" + String.join(", ", seen.unreachable())
                            + "), and " + why));
            if (saved.isPresent()) {
                LoadResult copy = BundleLoader.load(saved.get().sources(), config.policyMaxBytes());
                if (copy.ok() && copy.bundle().sha256().equals(saved.get().sha256())) {
                    diagnostics.accept("toolguard: policy source unreachable (" + String.join(", ", seen.unreachable())
                            + "); deciding with the last good copy in " + lastGood.dir());
                    BundleSignature signed = saved.get().signature();
                    loaded = signed != null && copy.bundle() instanceof CompiledBundle c
                            ? new LoadResult(c.signedBy(signed), List.of()) : copy;
                    fromCopy = true;
                } else {
                    diagnostics.accept("toolguard: the last good copy in " + lastGood.dir()
                            + " was changed since it was saved (or does not load); it is not used");
                }
            }
        }
        if (loaded.ok()) {
            // as on a reload, the revision floor is kept before the bundle decides
            sourceLoader.loaded(loaded.bundle().signature());
            if (!fromCopy) {
                if (LastGoodStore.holds(kept, loaded.bundle())) {
                    // the copy kept is of this very bundle (the usual restart): writing it again only repairs it, so
                    // it is written beside the application's start; a process killed first loses nothing
                    reporter.saveLastGoodInBackground(loaded.bundle());
                } else {
                    // a new bundle is kept before it decides, as on a reload: a process killed after its first
                    // decision under revision N must refuse revision N-1 at its next start (SPEC §15)
                    reporter.saveLastGood(loaded.bundle());
                }
            }
            active.swap(new PolicyEngine(loaded.bundle(), state, forceShadow, redactionOf(config)));
            sayWarnings(loaded.bundle());
            reporter.record(PolicyRecord.loaded(loaded.bundle(), sources));
        } else {
            loaded.errors().forEach(e -> diagnostics.accept("toolguard: policy error: " + e));
            active.noPolicyBecause("no policy loaded: the policy failed to load ("
                    + loaded.errors().size() + (loaded.errors().size() == 1 ? " error" : " errors") + ", see above)");
            active.rejected(loaded.errors());
            reporter.record(PolicyRecord.rejected(sources, loaded.errors().stream().map(LoadError::toString).toList()));
        }
        PolicyReloader reloader = new PolicyReloader(watcher::fingerprint, sourceLoader::load,
                b -> new PolicyEngine(b, state, forceShadow, redactionOf(config)), active, reporter);
        reloader.seen(seen);
        reloader.start(config.reload());
    }

    /**
     * The webhook's signing secret, or null when none is configured. The config check read it already; one
     * that cannot be read now (a file removed since) leaves the webhook unsigned and says so, never the secret.
     */
    private String webhookSecret(AgentConfig config) {
        if (config.approvalsWebhookSecret() == null) {
            return null;
        }
        try {
            return config.approvalsWebhookSecret().read(System.getenv());
        } catch (java.io.IOException e) {
            diagnostics.accept("toolguard: the approval webhook's signing secret cannot be read (" + e.getMessage()
                    + "); its requests go unsigned");
            return null;
        }
    }

    /** A bundle's lint warnings, said once, when it starts deciding; {@code GET /policy} lists them too. */
    private void sayWarnings(PolicyBundle bundle) {
        for (LintWarning w : bundle.warnings()) {
            diagnostics.accept("toolguard: policy " + w);
        }
    }

    /** What is hidden wherever values leave the agent (SPEC §13.10); the patterns were checked with the config. */
    private static Redaction redactionOf(AgentConfig config) {
        return Redaction.of(config.redact(), config.redactValues(), config.maxValueChars());
    }

    /** The anchor comes from the open log; without one {@code GET /audit/anchor} says the log is not open. */
    private static AdminServer serveAuditAnchor(AdminServer admin, AuditLog audit) {
        if (audit != null) {
            admin.serveAuditAnchor(audit::anchor);
        }
        return admin;
    }

    /**
     * What the start record holds: the agent and JVM, and, with rules files, the entries the instrumentation already
     * found matching nothing (SPEC §7). At JVM start the application's classes are not loaded yet, so an entry found
     * wrong later is said on stderr and in {@code /metrics} when it is found, not here.
     */
    private static Map<String, Object> startDetails(AgentConfig config, boolean attached, UnmatchedEntries unmatched) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("agent_version", AgentVersion.current());
        d.put("pid", ProcessHandle.current().pid());
        d.put("java", System.getProperty("java.version"));
        d.put("mode", config.mode().wireName());
        d.put("attached", attached);
        if (config.configFile() != null) {
            d.put("config", config.configFile().toString());
        }
        if (!config.rulesFiles().isEmpty()) {
            d.put("rules_unmatched", unmatched.findings());
        }
        return d;
    }

    private static DecisionMetrics metricsOf(Metrics metrics) {
        return new DecisionMetrics() {
            @Override
            public void decided(String tool, Decision decision) {
                metrics.decided(tool, decision.action(), decision.latencyNanos());
            }

            @Override
            public void internalError(String tool) {
                metrics.internalError();
            }
        };
    }

    /**
     * {@code GET /tools}: every guarded method (and every tool a framework served by name), with the entry of the
     * deciding bundle that decides it, read when asked, so that it follows reloads and classes as they load.
     */
    private static GuardedTools guardedTools(ToolRegistry registry, ActivePolicy active) {
        return () -> {
            PolicyBundle bundle = active.latest().bundle();
            List<GuardedTools.Tool> out = new ArrayList<>();
            List<ToolMethod> all = new ArrayList<>(registry.all());
            all.addAll(registry.allNamed());
            for (ToolMethod m : all) {
                String entry = null;
                String byDefault = null;
                if (bundle instanceof CompiledBundle compiled) {
                    ToolPolicy p = compiled.tool(m.toolName());
                    entry = p == null ? "default" : "tools." + p.name();
                    byDefault = p == null ? compiled.defaultAction().wireName() : null;
                }
                out.add(new GuardedTools.Tool(m.toolName(), m.signature(), m.ruleSet(), entry, byDefault));
            }
            return out;
        };
    }

    /** What the console shows beside a pending approval: its rule's reason and the deciding bundle's version. */
    private static WebConsole.ApprovalContext approvalContext(ActivePolicy active) {
        return new WebConsole.ApprovalContext() {
            @Override
            public String ruleReason(String tool, String rule) {
                if (!(active.latest().bundle() instanceof CompiledBundle compiled) || rule == null) {
                    return null;
                }
                ToolPolicy p = compiled.tool(tool);
                return p == null ? null : p.rules().stream().filter(r -> rule.equals(r.ruleId()))
                        .map(dev.toolguard.policy.load.Rule::reason).filter(java.util.Objects::nonNull).findFirst()
                        .orElse(null);
            }

            @Override
            public String policyVersion(String policy) {
                PolicyBundle b = active.latest().bundle();
                return b != null && b.name().equals(policy) ? b.version() : null;
            }
        };
    }

    private static PolicyStatus policyStatus(ActivePolicy active, List<String> sources) {
        return () -> {
            ActivePolicy.Snapshot s = active.latest();
            PolicyBundle b = s.bundle();
            String lastError = s.lastErrors().isEmpty() ? null
                    : s.lastErrors().stream().map(LoadError::toString).collect(Collectors.joining("\n"));
            BundleSignature signed = b == null ? null : b.signature();
            return new PolicyStatus.Snapshot(b == null ? null : b.name(), b == null ? null : b.version(),
                    b == null ? null : b.sha256(), sources, lastError,
                    b == null ? List.of() : b.warnings().stream().map(LintWarning::toString).toList(),
                    signed == null ? null : signed.revision(), signed == null ? null : signed.keyId());
        };
    }

    /** How long the JVM's exit waits for a last good copy being written in the background. */
    private static final Duration LAST_GOOD_AT_EXIT = Duration.ofSeconds(5);

    /** Says every reload on standard error and in the audit log, and keeps the last good copy. */
    private final class Reporter implements ReloadListener {
        private final AuditSink audit;
        private final LastGoodStore lastGood;
        private final List<String> sources;
        private final Metrics metrics;
        final ActivePolicy active;
        /** The ids of the configured signing keys, which the last good copy is bound to (SPEC §13.8). */
        final List<String> keyIds;
        /** Told every signed revision that decides, so that an older one is refused from then on. */
        volatile SourceLoader sourceLoader;

        Reporter(AuditSink audit, LastGoodStore lastGood, List<String> sources, Metrics metrics, ActivePolicy active,
                 List<String> keyIds) {
            this.keyIds = keyIds;
            this.audit = audit;
            this.lastGood = lastGood;
            this.sources = sources;
            this.metrics = metrics;
            this.active = active;
        }

        @Override
        public void adopting(PolicyBundle bundle) {
            // the revision floor and the last good copy are kept before the bundle decides: a process killed right
            // after its first decision under revision N must refuse revision N-1 at its next start
            SourceLoader signed = sourceLoader;
            if (signed != null) {
                signed.loaded(bundle.signature());
            }
            saveLastGood(bundle);
        }

        @Override
        public void loaded(PolicyBundle bundle) {
            metrics.reloaded(true);
            diagnostics.accept("toolguard: policy reloaded: " + bundle.name() + " version " + bundle.version()
                    + " sha256 " + bundle.sha256() + (bundle.signature() == null ? ""
                    : " revision " + bundle.signature().revision() + " signed by key " + bundle.signature().keyId()));
            record(PolicyRecord.loaded(bundle, sources));
            sayWarnings(bundle);
        }

        @Override
        public void recovered(PolicyBundle deciding) {
            diagnostics.accept("toolguard: policy error cleared: the sources load again, as " + deciding.name()
                    + " version " + deciding.version() + " sha256 " + deciding.sha256() + ", which still decides");
        }

        @Override
        public void rejected(List<LoadError> errors) {
            metrics.reloaded(false);
            PolicyBundle current = active.latest().bundle();
            diagnostics.accept("toolguard: policy change rejected, " + (current == null ? "still no policy loaded"
                    : "still deciding with " + current.name() + " version " + current.version()) + ":");
            errors.forEach(e -> diagnostics.accept("toolguard:   " + e));
            record(PolicyRecord.rejected(sources, errors.stream().map(LoadError::toString).toList()));
        }

        void record(PolicyRecord r) {
            try {
                audit.append(r);
            } catch (AuditWriteException | RuntimeException e) {
                // the start line says the audit log is not open; decisions will say it again
            }
        }

        /** After the first load, when nothing needs the copy before the bundle decides: off the start's path. */
        void saveLastGoodInBackground(PolicyBundle bundle) {
            if (lastGood != null) {
                lastGood.saveInBackground(bundle, sources, keyIds, LAST_GOOD_AT_EXIT, why -> diagnostics.accept(
                        "toolguard: cannot keep a last good copy of the policy in " + lastGood.dir() + ": " + why));
            }
        }

        void saveLastGood(PolicyBundle bundle) {
            if (lastGood == null) {
                return;
            }
            try {
                lastGood.save(bundle, sources, keyIds);
            } catch (IOException | RuntimeException e) {
                diagnostics.accept("toolguard: cannot keep a last good copy of the policy in " + lastGood.dir() + ": " + e);
            }
        }
    }
}
