package dev.toolguard.policy.load;

/**
 * One problem found while loading a bundle, with where it is.
 *
 * @param file    the file as the user named it (or the URL)
 * @param line    1-based line
 * @param column  1-based column
 * @param message what is wrong, e.g. "unknown key 'acton' (expected one of: action, reason, when, approval)"
 */
public record LoadError(String file, int line, int column, String message) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }
}
