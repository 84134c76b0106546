package dev.toolguard.policy.state.redis;

/**
 * The Lua scripts the shared store runs, each atomic on the server: a call's whole check-and-charge is one of them
 * (SPEC §14). Times are the server's ({@code TIME}), so replicas whose clocks drift still share one bucket and one
 * budget window.
 */
final class RedisScripts {

    private RedisScripts() {
    }

    /**
     * KEYS: history hash of the session, rate bucket hash, budget key (the window start is appended), and the
     * call's charge marker (set, for a short while, to the window start when something was charged: a caller
     * that never got the answer gives the charge back by it, {@link #RELEASE_IF_CHARGED}).
     * Further rate buckets (entries of a {@code rate_limit} list, bundle-level {@code limits}) follow as KEYS[5..].
     * ARGV: number of sequences; per sequence: since (ms), enforced (1|0), number of globs, the globs as Lua
     * patterns; then: bucket? (1|0), limit, period (µs); budget? (1|0), cost, limit, window (ms); number of
     * further buckets, and per further bucket: limit, period (µs).
     * Returns: armed flags ("0"/"1" per sequence), status (0 nothing charged, 1 charged, 2 no token, 3 no budget),
     * the budget window start (ms), and for status 2 which bucket had no token (-1 the first, else the index of
     * the further one). Every bucket must have a token before any is taken: all or nothing.
     */
    static final String CHECK = """
            local i = 2
            local nseq = tonumber(ARGV[1])
            local armed = {}
            local stop = false
            local hist = {}
            if nseq > 0 then hist = redis.call('HGETALL', KEYS[1]) end
            for s = 1, nseq do
              local since = tonumber(ARGV[i])
              local enforced = ARGV[i + 1] == '1'
              local n = tonumber(ARGV[i + 2])
              i = i + 3
              local hit = '0'
              for h = 1, #hist, 2 do
                if tonumber(hist[h + 1]) >= since then
                  for g = 0, n - 1 do
                    if string.find(hist[h], ARGV[i + g]) then hit = '1' break end
                  end
                end
                if hit == '1' then break end
              end
              i = i + n
              armed[s] = hit
              if hit == '1' and enforced then stop = true end
            end
            local status = 0
            local window = 0
            local empty = -1
            if not stop then
              local t = redis.call('TIME')
              local nowUs = tonumber(t[1]) * 1000000 + tonumber(t[2])
              local hasBucket = ARGV[i] == '1'
              local limit = tonumber(ARGV[i + 1])
              local perUs = tonumber(ARGV[i + 2])
              local hasBudget = ARGV[i + 3] == '1'
              local cost = tonumber(ARGV[i + 4])
              local budget = tonumber(ARGV[i + 5])
              local len = tonumber(ARGV[i + 6])
              local tokens = 0
              if hasBucket then
                local b = redis.call('HMGET', KEYS[2], 't', 'a')
                if b[1] then
                  tokens = math.min(limit, tonumber(b[1]) + math.max(0, nowUs - tonumber(b[2])) * limit / perUs)
                else
                  tokens = limit
                end
                if tokens < 1 then status = 2 end
              end
              local nmore = tonumber(ARGV[i + 7])
              local more = {}
              for m = 1, nmore do
                local mlimit = tonumber(ARGV[i + 6 + 2 * m])
                local mper = tonumber(ARGV[i + 7 + 2 * m])
                local mt = mlimit
                local b = redis.call('HMGET', KEYS[4 + m], 't', 'a')
                if b[1] then
                  mt = math.min(mlimit, tonumber(b[1]) + math.max(0, nowUs - tonumber(b[2])) * mlimit / mper)
                end
                more[m] = mt
                if status == 0 and mt < 1 then status = 2 empty = m - 1 end
              end
              local bkey = nil
              if status == 0 and hasBudget then
                local nowMs = math.floor(nowUs / 1000)
                window = nowMs - (nowMs % len)
                bkey = KEYS[3] .. ':' .. string.format('%.0f', window)
                local spent = tonumber(redis.call('GET', bkey) or '0')
                if spent + cost > budget then status = 3 end
              end
              if status == 0 then
                if hasBucket then
                  redis.call('HSET', KEYS[2], 't', string.format('%.17g', tokens - 1), 'a', string.format('%.0f', nowUs))
                  redis.call('PEXPIRE', KEYS[2], math.ceil(perUs / 1000) + 1000)
                  status = 1
                end
                for m = 1, nmore do
                  redis.call('HSET', KEYS[4 + m], 't', string.format('%.17g', more[m] - 1), 'a', string.format('%.0f', nowUs))
                  redis.call('PEXPIRE', KEYS[4 + m], math.ceil(tonumber(ARGV[i + 7 + 2 * m]) / 1000) + 1000)
                  status = 1
                end
                if hasBudget then
                  redis.call('INCRBYFLOAT', bkey, ARGV[i + 4])
                  redis.call('PEXPIREAT', bkey, string.format('%.0f', window + len + 60000))
                  status = 1
                end
                if status == 1 then
                  redis.call('SET', KEYS[4], string.format('%.0f', window), 'PX', 60000)
                end
              end
            end
            return {table.concat(armed), status, string.format('%.0f', window), empty}
            """;

    /**
     * Gives back what {@link #CHECK} took. KEYS: rate bucket hash, budget key of the window charged, then the
     * further buckets. ARGV: bucket? (1|0), limit, budget? (1|0), cost, number of further buckets, their limits.
     */
    static final String RELEASE = """
            for m = 1, tonumber(ARGV[5] or '0') do
              local t = redis.call('HGET', KEYS[2 + m], 't')
              if t then
                redis.call('HSET', KEYS[2 + m], 't', string.format('%.17g', math.min(tonumber(ARGV[5 + m]), tonumber(t) + 1)))
              end
            end
            if ARGV[1] == '1' then
              local t = redis.call('HGET', KEYS[1], 't')
              if t then
                redis.call('HSET', KEYS[1], 't', string.format('%.17g', math.min(tonumber(ARGV[2]), tonumber(t) + 1)))
              end
            end
            if ARGV[3] == '1' and redis.call('EXISTS', KEYS[2]) == 1 then
              local left = tonumber(redis.call('INCRBYFLOAT', KEYS[2], '-' .. ARGV[4]))
              if left < 0 then redis.call('SET', KEYS[2], '0', 'KEEPTTL') end
            end
            return 1
            """;

    /**
     * Gives back what a {@link #CHECK} whose answer was lost took, if it ran at all: its marker says so, and
     * holds the budget window it charged. KEYS: the marker, rate bucket hash, budget key (without the window), then
     * the further buckets. ARGV: bucket? (1|0), limit, budget? (1|0), cost, number of further buckets, their limits.
     */
    static final String RELEASE_IF_CHARGED = """
            local w = redis.call('GET', KEYS[1])
            if not w then return 0 end
            redis.call('DEL', KEYS[1])
            for m = 1, tonumber(ARGV[5] or '0') do
              local t = redis.call('HGET', KEYS[3 + m], 't')
              if t then
                redis.call('HSET', KEYS[3 + m], 't', string.format('%.17g', math.min(tonumber(ARGV[5 + m]), tonumber(t) + 1)))
              end
            end
            if ARGV[1] == '1' then
              local t = redis.call('HGET', KEYS[2], 't')
              if t then
                redis.call('HSET', KEYS[2], 't', string.format('%.17g', math.min(tonumber(ARGV[2]), tonumber(t) + 1)))
              end
            end
            local bkey = KEYS[3] .. ':' .. w
            if ARGV[3] == '1' and redis.call('EXISTS', bkey) == 1 then
              local left = tonumber(redis.call('INCRBYFLOAT', bkey, '-' .. ARGV[4]))
              if left < 0 then redis.call('SET', bkey, '0', 'KEEPTTL') end
            end
            return 1
            """;

    /**
     * Puts a tool in a session's history, keeping the latest time. KEYS: history hash. ARGV: tool, time (ms),
     * how long to keep the session (ms).
     */
    static final String RECORD = """
            local old = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
            if tonumber(ARGV[2]) > old then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
            if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
            return 1
            """;

    /** A tool glob as an anchored Lua pattern: {@code *} is any run of characters, everything else literal. */
    static String luaPattern(String glob) {
        StringBuilder out = new StringBuilder(glob.length() + 8).append('^');
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                out.append(".*");
            } else if (c < 128 && !Character.isLetterOrDigit(c)) {
                out.append('%').append(c); // '%' before any punctuation is that character, literally
            } else {
                out.append(c);
            }
        }
        return out.append('$').toString();
    }
}
