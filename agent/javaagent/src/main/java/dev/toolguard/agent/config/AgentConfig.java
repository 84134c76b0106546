package dev.toolguard.agent.config;

import dev.toolguard.policy.values.ValueBounds;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The agent's settings once options, system properties, environment, config file and defaults have been
 * resolved (SPEC §1, §2). Every path is absolute; policy sources are absolute paths or http(s) URLs.
 *
 * @param configFile        the config file read, or null when none was given
 * @param policySources     files, directories and URLs forming the bundle; empty means no policy
 * @param reload            poll interval for the sources; zero means never reload
 * @param lastGood          where a copy of the last bundle that loaded is kept, or null to keep none
 * @param mode              enforce or shadow, for every call
 * @param onError           what an internal error while deciding means
 * @param builtinRuleSets   built-in instrumentation rule sets switched on
 * @param rulesFiles        {@code rules.yaml} files (SPEC §7)
 * @param filterDiscovery   hide from the model the tools its caller may never call
 * @param context           the context sources in order, later overriding earlier
 * @param auditFile         the audit log path, or {@code "-"} for standard error
 * @param fsync             when the audit log forces writes to the disk
 * @param redact            key names whose values the audit log replaces, case-insensitive, any depth
 * @param redactValues      RE2 patterns: what string values they match is replaced wherever it appears
 * @param maxValueChars     longer string values are cut in the audit log
 * @param approvalsWebhook  where new pending approvals are POSTed, or null
 * @param approvalsWebhookSecret where the secret that signs the webhook's bodies is read from, or null (unsigned)
 * @param adminListen       {@code host:port} of the admin API, or null when it is off
 * @param adminTokenEnv     the environment variable holding the admin bearer token
 * @param adminUsers        the named users of the admin API ({@code admin.users})
 * @param adminLimits       timeouts, connection bound and size limits of the admin server
 * @param policyMaxBytes    {@code policy.max_bytes}: the most bytes a bundle's files may hold together
 * @param argumentBounds    {@code arguments.*}: how far one call's arguments are converted
 * @param auditCheckpoint   {@code audit.checkpoint}: how often a checkpoint record is written; zero means never
 * @param auditLayout       {@code audit.layout}: append (default) or mapped, how records reach the file
 * @param rulesMatching     {@code instrumentation.require_matches} and {@code match_grace}: rules.yaml entries that match nothing
 * @param sessionTtl        {@code state.session_ttl}: what {@code within: session} means, and how long history is kept at least
 * @param maxSessions       {@code state.max_sessions}: how many sessions the history holds at most
 * @param policySigning     {@code policy.signing}: the keys that may sign the bundle, and whether a signature is required
 * @param policyHttp        {@code policy.http}: timeout and trusted CA certificates for http(s) sources
 * @param state             {@code state.*}: where counters, budgets and session history live (SPEC §14)
 * @param credentials       {@code credentials}: secrets released into HTTP requests of allowed calls (SPEC §18)
 * @param firstLoadWait     {@code policy.first_load_wait}: how long a call made while the first policy load runs waits
 *                          for it before it is denied
 */
public record AgentConfig(
        Path configFile,
        List<String> policySources,
        Duration reload,
        Path lastGood,
        EnforcementMode mode,
        OnError onError,
        List<String> builtinRuleSets,
        List<Path> rulesFiles,
        boolean filterDiscovery,
        List<ContextSourceSpec> context,
        String auditFile,
        FsyncPolicy fsync,
        List<String> redact,
        List<String> redactValues,
        int maxValueChars,
        URI approvalsWebhook,
        SecretSource approvalsWebhookSecret,
        String adminListen,
        String adminTokenEnv,
        List<AdminUserSpec> adminUsers,
        dev.toolguard.agent.admin.AdminLimits adminLimits,
        long policyMaxBytes,
        ValueBounds argumentBounds,
        Duration auditCheckpoint,
        dev.toolguard.policy.audit.AuditLayout auditLayout,
        RulesMatching rulesMatching,
        Duration sessionTtl,
        int maxSessions,
        PolicySigning policySigning,
        PolicyHttp policyHttp,
        StateSpec state,
        List<CredentialSpec> credentials,
        Duration firstLoadWait) {

    /** Every module the agent ships, by name: the default of {@code instrumentation.builtin}. */
    public static final List<String> ALL_BUILTIN_RULE_SETS = dev.toolguard.agent.instrument.Modules.NAMES;
    public static final List<String> DEFAULT_REDACT =
            List.of("password", "token", "secret", "api_key", "apikey", "authorization", "credential");
    public static final Duration DEFAULT_RELOAD = Duration.ofSeconds(2);
    public static final Duration DEFAULT_FIRST_LOAD_WAIT = Duration.ofSeconds(30);
    public static final String DEFAULT_AUDIT_FILE = "toolguard-audit.jsonl";
    public static final Duration DEFAULT_AUDIT_CHECKPOINT = Duration.ofMinutes(1);
    public static final String DEFAULT_LAST_GOOD = ".toolguard/last-good";
    public static final String AUDIT_TO_STDERR = "-";

    public AgentConfig {
        policySources = List.copyOf(policySources);
        builtinRuleSets = List.copyOf(builtinRuleSets);
        rulesFiles = List.copyOf(rulesFiles);
        context = List.copyOf(context);
        redact = List.copyOf(redact);
        redactValues = List.copyOf(redactValues);
        adminUsers = List.copyOf(adminUsers);
        credentials = List.copyOf(credentials);
    }

    /** True when the audit log goes to standard error instead of a file. */
    public boolean auditToStderr() {
        return AUDIT_TO_STDERR.equals(auditFile);
    }

    /** A copy that decides nothing: used when the configuration itself is broken, so every call is denied. */
    public AgentConfig withoutPolicy() {
        return new AgentConfig(configFile, List.of(), Duration.ZERO, null, EnforcementMode.ENFORCE, OnError.DENY,
                builtinRuleSets, rulesFiles, filterDiscovery, context, auditFile, fsync, redact, redactValues, maxValueChars,
                approvalsWebhook, approvalsWebhookSecret, adminListen, adminTokenEnv, adminUsers, adminLimits, policyMaxBytes,
                argumentBounds, auditCheckpoint, auditLayout, rulesMatching, sessionTtl, maxSessions, policySigning, policyHttp, state,
                credentials, firstLoadWait);
    }
}
