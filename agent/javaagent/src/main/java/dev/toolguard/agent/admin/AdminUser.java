package dev.toolguard.agent.admin;

/** A person signed in to the admin API or the console: a user of {@code admin.users}, or {@code admin}. */
public record AdminUser(String name, AdminRole role) {
}
