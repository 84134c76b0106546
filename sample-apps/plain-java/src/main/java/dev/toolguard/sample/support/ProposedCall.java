package dev.toolguard.sample.support;

import java.util.Map;

/** A tool call as a model proposes it: a tool name and arguments by name. */
public record ProposedCall(String tool, Map<String, Object> arguments) {
}
