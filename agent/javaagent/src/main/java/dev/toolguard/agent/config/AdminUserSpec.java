package dev.toolguard.agent.config;

import dev.toolguard.agent.admin.AdminRole;

/**
 * One entry of {@code admin.users} (SPEC §16): a person who signs in to the admin API with their own token.
 *
 * @param name     who they are; approvals they decide are recorded under this name
 * @param tokenEnv the environment variable holding their bearer token (the token itself is never in the config)
 * @param role     what they may do
 * @param where    {@code file:line:col} of the entry, for problems found later (an unset token variable)
 */
public record AdminUserSpec(String name, String tokenEnv, AdminRole role, String where) {
}
