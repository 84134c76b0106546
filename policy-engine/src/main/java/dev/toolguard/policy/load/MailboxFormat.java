package dev.toolguard.policy.load;

import com.networknt.schema.ExecutionContext;
import com.networknt.schema.Format;

import java.util.regex.Pattern;

/**
 * {@code format: email} as RFC 5321 defines a Mailbox: a dot-atom or quoted local part, {@code @}, and a
 * domain of dot-separated labels or an address literal. Unlike the validator's own check it does not
 * require the top-level domain to be a delegated one, so the reserved names of RFC 2606
 * ({@code .example}, {@code .test}, {@code .invalid}, {@code .localhost}) and private domains are accepted.
 */
final class MailboxFormat implements Format {

    private static final String ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
    private static final String QUOTED = "\"(?:[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]|\\\\[\\x20-\\x7E])*\"";
    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final String IPV4 = "(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
    private static final Pattern MAILBOX = Pattern.compile("(?:" + ATOM + "(?:\\." + ATOM + ")*|" + QUOTED + ")"
            + "@(?:" + LABEL + "(?:\\." + LABEL + ")*|\\[(?:" + IPV4 + "|IPv6:[0-9A-Fa-f:.]+)\\])");

    @Override
    public String getName() {
        return "email";
    }

    @Override
    public String getMessageKey() {
        return "format.email";
    }

    @Override
    public boolean matches(ExecutionContext executionContext, String value) {
        // RFC 5321 §4.5.3.1: a local part of at most 64 octets, a path of at most 256
        int at = value.lastIndexOf('@');
        return at > 0 && at <= 64 && value.length() <= 254 && MAILBOX.matcher(value).matches();
    }
}
