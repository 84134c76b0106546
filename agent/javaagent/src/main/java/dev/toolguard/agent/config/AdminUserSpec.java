package dev.toolguard.agent.config;

import dev.toolguard.agent.admin.AdminRole;

import java.nio.file.Path;

/**
 * One entry of {@code admin.users} (SPEC §16): a person who signs in to the admin API and the console with their own
 * token, read from an environment variable or a file (never written in the config itself).
 *
 * @param name      who they are; approvals they decide are recorded under this name
 * @param tokenEnv  the environment variable holding their token, or null when {@code tokenFile} holds it
 * @param tokenFile the file holding their token (a mounted secret, say), or null when {@code tokenEnv} holds it
 * @param role      what they may do
 * @param where     {@code file:line:col} of the entry, for problems found later (an unset token variable)
 */
public record AdminUserSpec(String name, String tokenEnv, Path tokenFile, AdminRole role, String where) {

    /** A user whose token is in an environment variable. */
    public AdminUserSpec(String name, String tokenEnv, AdminRole role, String where) {
        this(name, tokenEnv, null, role, where);
    }

    /** Where the token is read from. */
    public SecretSource token() {
        return new SecretSource(tokenEnv, tokenFile);
    }
}
