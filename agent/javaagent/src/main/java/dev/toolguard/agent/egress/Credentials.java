package dev.toolguard.agent.egress;

import dev.toolguard.policy.egress.EgressRequest;

/**
 * Releases configured secrets into HTTP requests (SPEC §18): only into a request to one of a credential's hosts made
 * inside an allowed call of one of its tools, and nowhere else.
 */
public interface Credentials {

    /**
     * @param sensor  the HTTP sensor that saw the request
     * @param self    the object the sensor sits in (the JDK client, the connection), whose redirect handling decides
     *                whether the credential may go into the request at all
     * @param subject what the sensor handed over (a request, a connection)
     * @param request the request as the policy saw it (method, host, port)
     * @param tool    the tool of the allowed call making it
     * @return what the instrumented method goes on with: {@code subject}, or a copy carrying the credential
     */
    Object release(String sensor, Object self, Object subject, EgressRequest request, String tool);

    /**
     * The name of a credential that {@code subject}, a request an HTTP client made by itself from one given
     * credentials (a redirect it follows, with the first request's headers), would carry to where it is not released;
     * null when it carries none there.
     *
     * @param request the hop as the policy saw it
     * @param tool    the tool of the call the hop is made for
     */
    default String carriedAway(String sensor, Object subject, EgressRequest request, String tool) {
        return null;
    }

    Credentials NONE = (sensor, self, subject, request, tool) -> subject;
}
