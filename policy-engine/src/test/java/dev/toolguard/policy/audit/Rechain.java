package dev.toolguard.policy.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** What a forger with write access does: edit records, then recompute every prev and hash from the start. */
final class Rechain {

    private Rechain() {
    }

    /** A record's members without its prev and hash, e.g. {@code {"type":"start","ts":"…"}}. */
    static String body(String line) {
        return line.substring(0, line.lastIndexOf(",\"prev\":\"")) + "}";
    }

    /** Lines whose prev/hash chain is intact for the given bodies (each a JSON object without prev and hash). */
    static List<String> chain(List<String> bodies) throws Exception {
        List<String> lines = new ArrayList<>();
        String prev = AuditLog.GENESIS;
        for (String body : bodies) {
            String hashed = body.substring(0, body.length() - 1) + ",\"prev\":\"" + prev + "\"}";
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(hashed.getBytes(StandardCharsets.UTF_8));
            String hash = HexFormat.of().formatHex(digest);
            lines.add(hashed.substring(0, hashed.length() - 1) + ",\"hash\":\"" + hash + "\"}");
            prev = hash;
        }
        return lines;
    }
}
