package dev.toolguard.bench;

import dev.toolguard.api.GuardedTool;

import java.util.Map;

/**
 * The tools the benchmarks call. The bodies are deliberately trivial so that what is measured is the
 * guard around them, not the work inside.
 */
public class SupportTools {

    /** B0: the same tool with no annotation, so the agent leaves it alone. */
    public String refundUnguarded(String customerId, double amount, String reason) {
        return customerId;
    }

    @GuardedTool(name = "issue_refund")
    public String issueRefund(String customerId, double amount, String reason) {
        return customerId;
    }

    @GuardedTool(name = "update_crm_record")
    public int updateCrmRecord(Map<String, Object> record) {
        return record.size();
    }
}
