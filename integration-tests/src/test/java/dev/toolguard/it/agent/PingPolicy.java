package dev.toolguard.it.agent;

/** Policies for the ping tool, one per version, whose decision tells which version made it. */
final class PingPolicy {

    private PingPolicy() {
    }

    static String version(int n, String action) {
        return """
                apiVersion: toolguard.dev/v1
                kind: Policy
                metadata: {name: ping, version: "v%d"}
                default: deny
                tools:
                  ping:
                    rules:
                      - action: %s
                        reason: decided by version %d
                """.formatted(n, action, n);
    }

    static String actionOf(int n) {
        return n % 2 == 0 ? "deny" : "allow";
    }
}
