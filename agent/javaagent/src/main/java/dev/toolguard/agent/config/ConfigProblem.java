package dev.toolguard.agent.config;

/**
 * One thing wrong with the agent's configuration, with where it was found.
 *
 * @param where   {@code file:line:col} for the config file, or the option's origin
 *                ({@code agent option}, {@code system property toolguard.mode}, {@code environment TOOLGUARD_MODE})
 * @param message what is wrong
 */
public record ConfigProblem(String where, String message) {

    static ConfigProblem at(String file, int line, int column, String message) {
        return new ConfigProblem(file + ":" + line + ":" + column, message);
    }

    @Override
    public String toString() {
        return where + ": " + message;
    }
}
