package dev.toolguard.policy.audit;

import dev.toolguard.policy.load.BundleSignature;
import dev.toolguard.policy.load.PolicyBundle;
import dev.toolguard.policy.values.JsonWriter;

import java.util.List;

/**
 * A bundle was loaded (and now decides), or failed to load (and the previous one keeps deciding).
 *
 * @param event   loaded | rejected
 * @param name    the bundle name (loaded)
 * @param version the version label (loaded)
 * @param sha256  the bundle sha256 (loaded)
 * @param sources the files or URLs
 * @param errors  every load error as {@code file:line:col: message} (rejected)
 * @param signature the signed bundle's revision and key (loaded, SPEC §15), or null when unsigned
 */
public record PolicyRecord(String event, String name, String version, String sha256, List<String> sources,
                           List<String> errors, BundleSignature signature) implements AuditRecord {

    public static PolicyRecord loaded(String name, String version, String sha256, List<String> sources) {
        return new PolicyRecord("loaded", name, version, sha256, sources, List.of(), null);
    }

    /** A loaded bundle, with its revision and key when it is signed. */
    public static PolicyRecord loaded(PolicyBundle bundle, List<String> sources) {
        return new PolicyRecord("loaded", bundle.name(), bundle.version(), bundle.sha256(), sources, List.of(),
                bundle.signature());
    }

    public static PolicyRecord rejected(List<String> sources, List<String> errors) {
        return new PolicyRecord("rejected", null, null, null, sources, errors, null);
    }

    @Override
    public String type() {
        return "policy";
    }

    @Override
    public void writeFields(JsonWriter out) {
        out.field("event", event);
        if (name != null || sha256 != null) {
            out.field("name", name).field("version", version).field("sha256", sha256);
        }
        if (signature != null) {
            out.field("revision", signature.revision()).field("key_id", signature.keyId());
        }
        out.name("sources").beginArray();
        for (String s : sources == null ? List.<String>of() : sources) {
            out.string(s);
        }
        out.endArray();
        if (errors != null && !errors.isEmpty()) {
            out.name("errors").beginArray();
            for (String e : errors) {
                out.string(e);
            }
            out.endArray();
        }
    }
}
