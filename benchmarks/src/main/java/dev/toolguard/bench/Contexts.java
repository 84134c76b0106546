package dev.toolguard.bench;

import dev.toolguard.api.ToolGuard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The caller every benchmark acts for, and the ~1 KB argument of the schema benchmark. */
final class Contexts {

    private Contexts() {
    }

    /** Sets the calling thread's ToolGuard context to a level-1 support user of tenant acme. */
    static void actAsSupportL1() {
        ToolGuard.clear();
        ToolGuard.context()
                .put("user.id", "u-1042")
                .put("user.email", "dana@acme.example")
                .put("user.roles", List.of("support_l1"))
                .put("tenant", "acme")
                .put("session.id", "s-7f3a");
    }

    /** The same context as a tree, as the engine sees it. */
    static Map<String, Object> supportL1Tree() {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("id", "u-1042");
        user.put("email", "dana@acme.example");
        user.put("roles", List.of("support_l1"));
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("id", "s-7f3a");
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("user", user);
        ctx.put("tenant", "acme");
        ctx.put("session", session);
        return ctx;
    }

    /** A CRM record of about 1 KB once written as JSON. */
    static Map<String, Object> crmRecord() {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < 16; i++) {
            fields.put("field_" + i, "value of custom field number " + i + " for the account");
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("account_id", "acc-20931");
        record.put("email", "ops@customer.example");
        record.put("fields", fields);
        return record;
    }
}
