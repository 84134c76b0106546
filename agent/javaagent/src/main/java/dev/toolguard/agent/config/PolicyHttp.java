package dev.toolguard.agent.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code policy.http} (SPEC §15): how policy sources are fetched over HTTP(S).
 *
 * @param timeout each request's time limit (connect and response)
 * @param caFile  a PEM file of CA certificates to trust instead of the JDK's, for a private CA; null for the JDK's
 */
public record PolicyHttp(Duration timeout, Path caFile) {

    public static final PolicyHttp DEFAULT = new PolicyHttp(Duration.ofSeconds(5), null);
}
