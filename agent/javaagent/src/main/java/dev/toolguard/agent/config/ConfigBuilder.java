package dev.toolguard.agent.config;

import dev.toolguard.policy.values.ValueBounds;

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
    Duration firstLoadWait = AgentConfig.DEFAULT_FIRST_LOAD_WAIT;
    Path lastGood;
    boolean lastGoodSet;
    long policyMaxBytes = dev.toolguard.policy.load.BundleLoader.DEFAULT_MAX_BYTES;
    List<Path> signingKeys = new ArrayList<>();
    Boolean signingRequired;
    PolicyHttp policyHttp = PolicyHttp.DEFAULT;
    ValueBounds argumentBounds = ValueBounds.DEFAULT;
    EnforcementMode mode = EnforcementMode.ENFORCE;
    OnError onError = OnError.DENY;
    List<String> builtinRuleSets = AgentConfig.ALL_BUILTIN_RULE_SETS;
    List<Path> rulesFiles = new ArrayList<>();
    boolean filterDiscovery = true;
    RulesMatching rulesMatching = RulesMatching.DEFAULT;
    List<ContextSourceSpec> context = new ArrayList<>();
    String auditFile;
    FsyncPolicy fsync = FsyncPolicy.NEVER;
    Duration auditCheckpoint = AgentConfig.DEFAULT_AUDIT_CHECKPOINT;
    dev.toolguard.policy.audit.AuditLayout auditLayout = dev.toolguard.policy.audit.AuditLayout.APPEND;
    List<String> redact = AgentConfig.DEFAULT_REDACT;
    List<String> redactValues = List.of();
    int maxValueChars = 2048;
    URI approvalsWebhook;
    List<CredentialSpec> credentials = new java.util.ArrayList<>();
    SecretSource approvalsWebhookSecret;
    String adminListen;
    String adminTokenEnv = "TOOLGUARD_ADMIN_TOKEN";
    List<AdminUserSpec> adminUsers = new ArrayList<>();
    dev.toolguard.agent.admin.AdminLimits adminLimits = dev.toolguard.agent.admin.AdminLimits.DEFAULT;
    Duration sessionTtl = dev.toolguard.policy.state.SessionHistory.DEFAULT_SESSION_TTL;
    int maxSessions = dev.toolguard.policy.state.SessionHistory.DEFAULT_MAX_SESSIONS;
    StateSpec state = StateSpec.MEMORY;

    /**
     * Builds the config; relative defaults (audit file, last-good copy) resolve against {@code baseDir}:
     * the config file's directory, or the working directory without one.
     */
    AgentConfig build(Path baseDir) {
        String audit = auditFile != null ? auditFile : baseDir.resolve(AgentConfig.DEFAULT_AUDIT_FILE).toString();
        Path last = lastGoodSet ? lastGood : baseDir.resolve(AgentConfig.DEFAULT_LAST_GOOD);
        return new AgentConfig(configFile, policySources, reload, last, mode, onError, builtinRuleSets,
                rulesFiles, filterDiscovery, context, audit, fsync, redact, redactValues, maxValueChars, approvalsWebhook,
                approvalsWebhookSecret, adminListen, adminTokenEnv, adminUsers, adminLimits, policyMaxBytes,
                argumentBounds, auditCheckpoint, auditLayout, rulesMatching, sessionTtl, maxSessions,
                new PolicySigning(signingKeys, signingRequired != null ? signingRequired : !signingKeys.isEmpty()),
                policyHttp, state, credentials, firstLoadWait);
    }
}
