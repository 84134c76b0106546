package dev.toolguard.agent.config;

import java.util.List;

/**
 * One entry of {@code credentials} (SPEC §18): where its secret is read from (never the secret itself, so that a
 * config printed or dumped shows none), the header it goes into, and where it may go.
 *
 * @param name        the entry's key, for messages
 * @param secret      where the secret is read from
 * @param headerName  the HTTP header's name
 * @param headerValue the header's value with {@code {secret}} standing for the secret
 * @param hosts       host globs ({@code host:port} pins a port) of the requests it is added to
 * @param tools       tool globs of the allowed calls whose requests it is added to
 */
public record CredentialSpec(String name, SecretSource secret, String headerName, String headerValue,
                             List<String> hosts, List<String> tools) {

    public CredentialSpec {
        hosts = List.copyOf(hosts);
        tools = List.copyOf(tools);
    }

    @Override
    public String toString() {
        return "credential " + name + " (" + secret + ", header " + headerName + ", hosts " + hosts + ", tools " + tools + ")";
    }
}
