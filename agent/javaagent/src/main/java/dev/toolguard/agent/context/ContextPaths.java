package dev.toolguard.agent.context;

/** Dotted context paths as sources write them ({@code session.id}). */
final class ContextPaths {

    private ContextPaths() {
    }

    /** A path is one or more non-empty names joined by dots. */
    static boolean valid(String path) {
        if (path == null || path.isEmpty() || path.startsWith(".") || path.endsWith(".")) {
            return false;
        }
        return !path.contains("..");
    }
}
