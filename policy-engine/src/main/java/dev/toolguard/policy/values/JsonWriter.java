package dev.toolguard.policy.values;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;

/**
 * The one JSON writer: a small streaming writer straight into UTF-8 bytes, for audit records and every other
 * payload that leaves the engine (admin API answers, approval webhooks, approval records). Values written with
 * {@link #value} are redacted and bounded (see {@link Redaction}): it never throws on deep, huge or cyclic
 * input, it writes a marker instead. Not thread-safe; reusable after {@link #reset()}.
 */
public final class JsonWriter {

    public static final String REDACTED = "[REDACTED]";
    public static final String TOO_DEEP = "[TOO DEEP]";
    public static final String CYCLE = "[CYCLE]";
    /** The map key under which the number of dropped map entries is written. */
    public static final String TRUNCATED_KEY = "[TRUNCATED]";
    /** Any one value() call writes at most this many values; the rest become markers. */
    private static final int MAX_NODES = 10_000;

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final Redaction redaction;
    private byte[] buf = new byte[512];
    private int len;
    private boolean needComma;
    private final Object[] path;
    private int nodesLeft;
    /** The second {@link #timestampPrefix} is for, so that a timestamp is formatted once per second. */
    private long timestampSecond = Long.MIN_VALUE;
    private byte[] timestampPrefix;

    /**
     * Writes one entry of the map being written; maps are walked with {@code forEach}, which allocates no
     * iterator or entry wrapper (an unmodifiable map makes one per entry), so the state of the walk lives in
     * the fields below, saved and restored around nested maps.
     */
    private final java.util.function.BiConsumer<Object, Object> mapEntry = this::mapEntry;
    private int entryDepth;
    private int entriesWritten;
    private int entriesTotal;
    private boolean entriesCut;

    /**
     * Keys seen recently and whether they are redacted, by identity: records carry the same parameter names
     * and context keys call after call, and a case-insensitive set lookup per key costs more than the write.
     */
    private final String[] seenKeys = new String[32];
    /**
     * JSON encodings of strings written before, by identity: a decision record repeats most of its strings
     * call after call (tool, method, context values, rule, reason, policy name and digest), so they are
     * copied instead of encoded again.
     */
    private static final int CACHED_MAX_CHARS = 128;
    private final String[] cachedStrings = new String[128];
    private final byte[][] cachedEncodings = new byte[128][];
    /** Strings met once in a slot, kept as candidates: only a second meeting puts one in {@link #cachedStrings}. */
    private final String[] seenOnce = new String[128];
    /**
     * Whether a kept string was copied since its slot was last contested: a candidate takes the slot only from one
     * that was not (a second chance). Two strings of one slot that every record writes would otherwise push each
     * other out call after call, and each return would allocate its encoding again.
     */
    private final boolean[] cachedUsed = new boolean[128];
    private final boolean[] seenRedacted = new boolean[32];

    private static final java.time.format.DateTimeFormatter TIMESTAMP = java.time.format.DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(java.time.ZoneOffset.UTC);

    /** Formats an instant as every record and payload does: UTC, microseconds, {@code 2026-11-21T10:15:30.123456Z}. */
    public static String formatTimestamp(java.time.Instant instant) {
        return TIMESTAMP.format(instant);
    }

    public JsonWriter(Redaction redaction) {
        this.redaction = redaction;
        this.path = new Object[redaction.maxDepth() + 1];
    }

    /** What this writer hides: records use it to hide a call's secrets in their messages too. */
    public Redaction redaction() {
        return redaction;
    }

    public JsonWriter reset() {
        len = 0;
        needComma = false;
        return this;
    }

    public JsonWriter beginObject() {
        comma();
        put((byte) '{');
        needComma = false;
        return this;
    }

    public JsonWriter endObject() {
        put((byte) '}');
        needComma = true;
        return this;
    }

    public JsonWriter beginArray() {
        comma();
        put((byte) '[');
        needComma = false;
        return this;
    }

    public JsonWriter endArray() {
        put((byte) ']');
        needComma = true;
        return this;
    }

    /** Writes a member name; the next call writes its value. */
    public JsonWriter name(String name) {
        comma();
        quoted(name, Integer.MAX_VALUE);
        put((byte) ':');
        needComma = false;
        return this;
    }

    /** A string (or null) exactly as given: for values ToolGuard itself produced. */
    public JsonWriter string(String s) {
        comma();
        if (s == null) {
            ascii("null");
        } else {
            quoted(s, Integer.MAX_VALUE);
        }
        needComma = true;
        return this;
    }

    public JsonWriter number(long n) {
        comma();
        digits(n);
        needComma = true;
        return this;
    }

    /** The decimal digits of {@code n}, written straight into the buffer. */
    private void digits(long n) {
        if (n == Long.MIN_VALUE) {
            ascii(Long.toString(n));
            return;
        }
        ensure(20);
        if (n < 0) {
            buf[len++] = '-';
            n = -n;
        }
        int start = len;
        do {
            buf[len++] = (byte) ('0' + (n % 10));
            n /= 10;
        } while (n != 0);
        for (int i = start, j = len - 1; i < j; i++, j--) {
            byte t = buf[i];
            buf[i] = buf[j];
            buf[j] = t;
        }
    }

    public JsonWriter bool(boolean b) {
        comma();
        ascii(b ? "true" : "false");
        needComma = true;
        return this;
    }

    public JsonWriter nullValue() {
        comma();
        ascii("null");
        needComma = true;
        return this;
    }

    public JsonWriter field(String name, String value) {
        return name(name).string(value);
    }

    /**
     * A field whose value is new with every record (a call id): written without passing through the cache of
     * repeated strings, where the outcome record's second meeting of the same id would push out a string that is
     * written with every call.
     */
    public JsonWriter fieldOnce(String name, String value) {
        name(name);
        comma();
        if (value == null) {
            ascii("null");
        } else {
            encode(value, Integer.MAX_VALUE);
        }
        needComma = true;
        return this;
    }

    public JsonWriter field(String name, long value) {
        return name(name).number(value);
    }

    public JsonWriter field(String name, boolean value) {
        return name(name).bool(value);
    }

    /**
     * A JSON-like value (maps, collections, arrays, strings, numbers, booleans, enums, null) from outside
     * ToolGuard: values under redacted keys are hidden, matches of value patterns replaced, long strings cut,
     * depth, size and cycles bounded.
     */
    public JsonWriter value(Object v) {
        nodesLeft = MAX_NODES;
        writeValue(v, 0);
        return this;
    }

    /**
     * A string value holding {@code instant} as {@link #formatTimestamp} formats it (UTC, microseconds,
     * {@code 2026-11-21T10:15:30.123456Z}); the part up to the second is formatted once per second.
     */
    public JsonWriter timestamp(java.time.Instant instant) {
        long second = instant.getEpochSecond();
        if (second != timestampSecond || timestampPrefix == null) {
            String full = formatTimestamp(java.time.Instant.ofEpochSecond(second));
            // everything up to and including the '.' before the six fraction digits and the 'Z'
            timestampPrefix = full.substring(0, full.length() - 7).getBytes(StandardCharsets.US_ASCII);
            timestampSecond = second;
        }
        comma();
        ensure(timestampPrefix.length + 9);
        buf[len++] = '"';
        System.arraycopy(timestampPrefix, 0, buf, len, timestampPrefix.length);
        len += timestampPrefix.length;
        int micros = instant.getNano() / 1000;
        for (int i = 5; i >= 0; i--) {
            buf[len + i] = (byte) ('0' + micros % 10);
            micros /= 10;
        }
        len += 6;
        buf[len++] = 'Z';
        buf[len++] = '"';
        needComma = true;
        return this;
    }

    /** Appends ASCII text verbatim (no escaping): for fixed fragments such as hex digests. */
    public JsonWriter rawAscii(String ascii) {
        ascii(ascii);
        return this;
    }

    public int length() {
        return len;
    }

    /** The internal buffer; valid bytes are {@code [0, length())}. */
    public byte[] buffer() {
        return buf;
    }

    /** Makes room for {@code extra} more bytes after {@link #length()} and returns the (possibly new) buffer. */
    public byte[] reserve(int extra) {
        ensure(extra);
        return buf;
    }

    public byte[] toBytes() {
        return Arrays.copyOf(buf, len);
    }

    @Override
    public String toString() {
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }

    /** Drops an oversized buffer so that one huge record does not pin memory in a reused writer. */
    public void trim(int keepAtMost) {
        if (buf.length > keepAtMost) {
            buf = new byte[512];
            len = 0;
        }
    }

    private void writeValue(Object v, int depth) {
        if (--nodesLeft < 0) {
            marker("[TRUNCATED]");
            return;
        }
        if (v == null) {
            nullValue();
        } else if (v instanceof String s) {
            bounded(s);
        } else if (v instanceof Boolean b) {
            bool(b);
        } else if (redaction.hasValuePatterns() && v instanceof Number && !(v instanceof Double || v instanceof Float)
                && matchesValuePattern(v.toString())) {
            string(REDACTED); // a card number passed as a long is as secret as one passed as a string
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            number(((Number) v).longValue());
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 1e7 && (d != 0 || 1 / d > 0)) {
                // what Double.toString gives for a whole number below 10^7 ("150.0"), without its garbage
                comma();
                digits((long) d);
                ascii(".0");
                needComma = true;
            } else if (Double.isFinite(d)) {
                comma();
                ascii(Double.toString(d));
                needComma = true;
            } else {
                string(Double.toString(d)); // NaN and infinities have no JSON number form
            }
        } else if (v instanceof BigDecimal || v instanceof BigInteger) {
            comma();
            ascii(v.toString());
            needComma = true;
        } else if (v instanceof Character || v instanceof Enum<?>) {
            bounded(v instanceof Enum<?> e ? e.name() : v.toString());
        } else if (v instanceof Map<?, ?> || v instanceof Collection<?> || v.getClass().isArray()) {
            container(v, depth);
        } else {
            // Never call an application object's toString() from the audit path: it may be slow, throw or leak.
            marker("[UNSUPPORTED " + v.getClass().getName() + "]");
        }
    }

    private void container(Object v, int depth) {
        if (depth >= redaction.maxDepth()) {
            marker(TOO_DEEP);
            return;
        }
        for (int i = 0; i < depth; i++) {
            if (path[i] == v) {
                marker(CYCLE);
                return;
            }
        }
        path[depth] = v;
        try {
            int max = redaction.maxEntries();
            if (v instanceof Map<?, ?> map) {
                beginObject();
                int savedDepth = entryDepth;
                int savedWritten = entriesWritten;
                int savedTotal = entriesTotal;
                boolean savedCut = entriesCut;
                entryDepth = depth;
                entriesWritten = 0;
                entriesTotal = map.size();
                entriesCut = false;
                try {
                    map.forEach(mapEntry);
                } finally {
                    entryDepth = savedDepth;
                    entriesWritten = savedWritten;
                    entriesTotal = savedTotal;
                    entriesCut = savedCut;
                }
                endObject();
            } else if (v instanceof Collection<?> c) {
                beginArray();
                int written = 0;
                for (Object item : c) {
                    if (written == max) {
                        marker("[TRUNCATED +" + (c.size() - written) + " items]");
                        break;
                    }
                    writeValue(item, depth + 1);
                    written++;
                }
                endArray();
            } else {
                int n = Array.getLength(v);
                beginArray();
                for (int i = 0; i < n; i++) {
                    if (i == max) {
                        marker("[TRUNCATED +" + (n - i) + " items]");
                        break;
                    }
                    writeValue(Array.get(v, i), depth + 1);
                }
                endArray();
            }
        } finally {
            path[depth] = null;
        }
    }

    private void mapEntry(Object k, Object value) {
        if (entriesCut) {
            return;
        }
        if (entriesWritten == redaction.maxEntries()) {
            name(TRUNCATED_KEY).number(entriesTotal - entriesWritten);
            entriesCut = true;
            return;
        }
        String key = String.valueOf(k);
        comma();
        // a map keyed by secrets (say card numbers) must not show them as keys either
        quoted(redaction.hasValuePatterns() ? redaction.redactValue(key) : key, redaction.maxValueChars());
        put((byte) ':');
        needComma = false;
        if (redacts(key)) {
            string(REDACTED);
        } else {
            writeValue(value, entryDepth + 1);
        }
        entriesWritten++;
    }

    private boolean redacts(String key) {
        int slot = key.hashCode() & (seenKeys.length - 1);
        if (seenKeys[slot] == key) {
            return seenRedacted[slot];
        }
        boolean r = redaction.redacts(key);
        seenKeys[slot] = key;
        seenRedacted[slot] = r;
        return r;
    }

    private boolean matchesValuePattern(String text) {
        return !redaction.redactValue(text).equals(text);
    }

    private void marker(String text) {
        string(text);
    }

    private void bounded(String s) {
        comma();
        quoted(redaction.hasValuePatterns() ? redaction.redactValue(s) : s, redaction.maxValueChars());
        needComma = true;
    }

    private void comma() {
        if (needComma) {
            put((byte) ',');
        }
    }

    /** Writes a JSON string, cut after {@code maxChars} chars (never inside a surrogate pair) and marked. */
    private void quoted(String s, int maxChars) {
        int n = s.length();
        if (n <= CACHED_MAX_CHARS && n <= maxChars) {
            int h = s.hashCode();
            int slot = (h ^ (h >>> 16)) & (cachedStrings.length - 1);
            if (cachedStrings[slot] == s) {
                byte[] encoded = cachedEncodings[slot];
                ensure(encoded.length);
                System.arraycopy(encoded, 0, buf, len, encoded.length);
                len += encoded.length;
                cachedUsed[slot] = true;
                return;
            }
            if (seenOnce[slot] == s && cachedUsed[slot]) {
                cachedUsed[slot] = false; // the kept string stays; if it is not met again before s, s takes its place
            } else if (seenOnce[slot] == s) {
                // seen twice: worth keeping its bytes. A string seen once (a call id, a timestamp) only ever
                // passes through seenOnce, so it never pushes a kept string out to be copied again next call
                int start = len;
                encode(s, maxChars);
                cachedStrings[slot] = s;
                cachedEncodings[slot] = Arrays.copyOfRange(buf, start, len);
                seenOnce[slot] = null;
                return;
            }
            seenOnce[slot] = s;
        }
        encode(s, maxChars);
    }

    private void encode(String s, int maxChars) {
        int n = s.length();
        int end = n;
        if (n > maxChars) {
            end = maxChars;
            if (Character.isHighSurrogate(s.charAt(end - 1))) {
                end--;
            }
        }
        ensure(end + 2);
        buf[len++] = '"';
        int i = 0;
        for (; i < end; i++) {
            // the usual text is plain ASCII: room for it was made above, so it is copied without checks
            char c = s.charAt(i);
            if (c >= 0x80 || c < 0x20 || c == '"' || c == '\\') {
                break;
            }
            buf[len++] = (byte) c;
        }
        for (; i < end; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c < 0x20 || c == '"' || c == '\\') {
                    escape(c);
                } else {
                    put((byte) c);
                }
            } else if (c < 0x800) {
                put((byte) (0xC0 | (c >> 6)));
                put((byte) (0x80 | (c & 0x3F)));
            } else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                put((byte) (0xF0 | (cp >> 18)));
                put((byte) (0x80 | ((cp >> 12) & 0x3F)));
                put((byte) (0x80 | ((cp >> 6) & 0x3F)));
                put((byte) (0x80 | (cp & 0x3F)));
            } else if (Character.isSurrogate(c)) {
                unicodeEscape(c); // a lone surrogate has no UTF-8 form
            } else {
                put((byte) (0xE0 | (c >> 12)));
                put((byte) (0x80 | ((c >> 6) & 0x3F)));
                put((byte) (0x80 | (c & 0x3F)));
            }
        }
        if (end < n) {
            ascii("[TRUNCATED +" + (n - end) + " chars]");
        }
        put((byte) '"');
    }

    private void escape(char c) {
        switch (c) {
            case '"' -> ascii("\\\"");
            case '\\' -> ascii("\\\\");
            case '\n' -> ascii("\\n");
            case '\r' -> ascii("\\r");
            case '\t' -> ascii("\\t");
            case '\b' -> ascii("\\b");
            case '\f' -> ascii("\\f");
            default -> unicodeEscape(c);
        }
    }

    private void unicodeEscape(char c) {
        ascii("\\u");
        put(HEX[(c >> 12) & 0xF]);
        put(HEX[(c >> 8) & 0xF]);
        put(HEX[(c >> 4) & 0xF]);
        put(HEX[c & 0xF]);
    }

    private void ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    private void put(byte b) {
        if (len == buf.length) {
            ensure(1);
        }
        buf[len++] = b;
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }
}
