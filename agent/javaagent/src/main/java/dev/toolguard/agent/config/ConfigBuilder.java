package dev.toolguard.agent.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The settings being resolved, starting from the defaults; each layer overwrites what it sets. */
final class ConfigBuilder {
    Path configFile;
    List<String> policySources = new ArrayList<>();
    Duration reload = AgentConfig.DEFAULT_RELOAD;
    Path lastGood;
    boolean lastGoodSet;
    EnforcementMode mode = EnforcementMode.ENFORCE;
    OnError onError = OnError.DENY;
    List<String> builtinRuleSets = AgentConfig.ALL_BUILTIN_RULE_SETS;
    List<Path> rulesFiles = new ArrayList<>();
    boolean filterDiscovery = true;
    List<ContextSourceSpec> context = new ArrayList<>();
    String auditFile;
    FsyncPolicy fsync = FsyncPolicy.NEVER;
    List<String> redact = AgentConfig.DEFAULT_REDACT;
    int maxValueChars = 2048;
    URI approvalsWebhook;
    String adminListen;
    String adminTokenEnv = "TOOLGUARD_ADMIN_TOKEN";

    /**
     * Builds the config; relative defaults (audit file, last-good copy) resolve against {@code baseDir}:
     * the config file's directory, or the working directory without one.
     */
    AgentConfig build(Path baseDir) {
        String audit = auditFile != null ? auditFile : baseDir.resolve(AgentConfig.DEFAULT_AUDIT_FILE).toString();
        Path last = lastGoodSet ? lastGood : baseDir.resolve(AgentConfig.DEFAULT_LAST_GOOD);
        return new AgentConfig(configFile, policySources, reload, last, mode, onError, builtinRuleSets,
                rulesFiles, filterDiscovery, context, audit, fsync, redact, maxValueChars, approvalsWebhook,
                adminListen, adminTokenEnv);
    }
}
