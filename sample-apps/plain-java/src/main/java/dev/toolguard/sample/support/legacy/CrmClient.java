package dev.toolguard.sample.support.legacy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A CRM client the team cannot change. It knows nothing of ToolGuard: {@code rules.yaml} turns its methods
 * into the tools {@code crm.read_account} and {@code crm.update_account}.
 */
public class CrmClient {

    private final Map<String, Map<String, String>> accounts = new ConcurrentHashMap<>(Map.of(
            "acct-42", new ConcurrentHashMap<>(Map.of("name", "Globex", "tier", "silver", "owner", "alice")),
            "acct-77", new ConcurrentHashMap<>(Map.of("name", "Initech", "tier", "gold", "owner", "bob"))));

    public String readAccount(String accountId) {
        Map<String, String> a = accounts.get(accountId);
        return a == null ? "no account " + accountId : accountId + " " + new java.util.TreeMap<>(a);
    }

    public String updateAccount(String accountId, String field, String value) {
        Map<String, String> a = accounts.get(accountId);
        if (a == null) {
            throw new IllegalArgumentException("no account " + accountId);
        }
        a.put(field, value);
        return accountId + " " + field + " set to " + value;
    }
}
