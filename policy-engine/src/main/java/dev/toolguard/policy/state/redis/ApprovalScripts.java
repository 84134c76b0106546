package dev.toolguard.policy.state.redis;

/**
 * The Lua scripts of approvals in Redis ({@link RedisApprovalStore}), each atomic on the server. An approval is a
 * hash {@code a:<id>} with its record ({@code json}) and its stamp (status, decision time, who decided): a change
 * is taken only when the stamp is still the one the changer read, so exactly one approver, timeout or redeeming
 * call wins across every replica. The pending ones are also in the sorted set {@code ap} (by request time), and a
 * ticket's approval is found through {@code at:<digest of the ticket key>}. Every change is published on the
 * approvals channel (the id), so that a call waiting on another replica wakes at once.
 */
final class ApprovalScripts {

    private ApprovalScripts() {
    }

    /**
     * Stores a new approval. KEYS: its hash, the pending set, its ticket key (or the pending set again when it has
     * none), the hash prefix {@code a:}. ARGV: record, stamp, request time (ms), id, time to keep (ms), the id the
     * ticket key must still name (empty: none, or one whose record is gone), ticket? (1|0).
     * Returns 1, or 0 when the ticket key names another live approval now (the caller reads it and decides again).
     */
    static final String ADD = """
            if ARGV[7] == '1' then
              local held = redis.call('GET', KEYS[3])
              if held and held ~= ARGV[6] and redis.call('EXISTS', KEYS[4] .. held) == 1 then return 0 end
              redis.call('SET', KEYS[3], ARGV[4], 'PX', ARGV[5])
            end
            redis.call('HSET', KEYS[1], 'json', ARGV[1], 'stamp', ARGV[2])
            redis.call('PEXPIRE', KEYS[1], ARGV[5])
            redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
            return 1
            """;

    /**
     * Compare-and-set. KEYS: the approval's hash, the pending set, its ticket key (or the pending set again).
     * ARGV: expected stamp, new record, new stamp, pending? (1|0), id, time to keep (ms), request time (ms),
     * the channel, ticket? (1|0). Returns 1 when swapped (and published), 0 when the stamp had changed.
     */
    static final String REPLACE = """
            if redis.call('HGET', KEYS[1], 'stamp') ~= ARGV[1] then return 0 end
            redis.call('HSET', KEYS[1], 'json', ARGV[2], 'stamp', ARGV[3])
            redis.call('PEXPIRE', KEYS[1], ARGV[6])
            if ARGV[4] == '1' then
              redis.call('ZADD', KEYS[2], ARGV[7], ARGV[5])
            else
              redis.call('ZREM', KEYS[2], ARGV[5])
            end
            if ARGV[9] == '1' and redis.call('GET', KEYS[3]) == ARGV[5] then
              redis.call('PEXPIRE', KEYS[3], ARGV[6])
            end
            redis.call('PUBLISH', ARGV[8], ARGV[5])
            return 1
            """;

    /**
     * The records of every pending approval, oldest first; ids whose record expired leave the set.
     * KEYS: the pending set, the hash prefix {@code a:}.
     */
    static final String PENDING = """
            local out = {}
            for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
              local json = redis.call('HGET', KEYS[2] .. id, 'json')
              if json then out[#out + 1] = json else redis.call('ZREM', KEYS[1], id) end
            end
            return out
            """;

    /** The record of the approval a ticket key names, or nil. KEYS: the ticket key, the hash prefix {@code a:}. */
    static final String FOR_TICKET = """
            local id = redis.call('GET', KEYS[1])
            if not id then return false end
            return redis.call('HGET', KEYS[2] .. id, 'json')
            """;
}
