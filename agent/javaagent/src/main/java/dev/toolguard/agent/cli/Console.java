package dev.toolguard.agent.cli;

import java.io.PrintStream;
import java.util.Map;

/**
 * Where a command writes and what it may read from its environment; passed in so commands run in-process in tests.
 *
 * @param out results: summaries, decisions, validation errors, failing cases
 * @param err diagnostics: usage errors, unreadable input
 * @param env environment variables (TOOLGUARD_ADMIN_TOKEN)
 */
record Console(PrintStream out, PrintStream err, Map<String, String> env) {
}
