package dev.toolguard.agent.console;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import dev.toolguard.policy.load.PolicyBundle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The text of the bundle deciding now and of the one before it, for the console's policy page and its diff (SPEC
 * §16). A bundle's files are read when it starts deciding (on the reload thread, never a caller's), because by the
 * time someone asks for the diff the previous version's files have usually been overwritten. Only with
 * {@code admin.listen} set. A text is kept only when its bytes have the bundle's sha256, so the page never shows
 * files that changed after the bundle loaded; bundles fetched over HTTP are not read again.
 */
public final class PolicyTexts {

    /** One bundle's files, joined in name order; {@code text} is null when it could not be had, and {@code why} says why. */
    record Version(String name, String version, String sha256, String text, String why) {
    }

    private final long maxBytes;
    private volatile Version current;
    private volatile Version previous;
    private java.util.concurrent.ExecutorService reader;

    public PolicyTexts(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Keeps the text of the bundle deciding now; the one kept before becomes the previous version. Called at every
     * swap, and once when the console is wired, since the first bundle may decide before that. The files are read on
     * a daemon thread of this object's own, one swap after the other, so that neither the agent's start nor a
     * reload waits for them; {@code deciding} is asked on that thread, so a bundle is never kept before an older one.
     */
    public void deciding(java.util.function.Supplier<PolicyBundle> deciding) {
        reader().execute(() -> keep(deciding.get()));
    }

    private synchronized java.util.concurrent.Executor reader() {
        if (reader == null) {
            reader = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "toolguard-console-policy-text");
                t.setDaemon(true);
                return t;
            });
        }
        return reader;
    }

    /** Reads and keeps {@code bundle}'s text (on the reader thread; tests call it directly). */
    synchronized void keep(PolicyBundle bundle) {
        if (bundle == null || (current != null && bundle.sha256().equals(current.sha256()))) {
            return;
        }
        Version read = read(bundle);
        previous = current;
        current = read;
    }

    Version current() {
        return current;
    }

    Version previous() {
        return previous;
    }

    /** A unified diff from the previous version's text to the current one's, or null when either is missing. */
    String diff() {
        Version now = current;
        Version before = previous;
        if (now == null || before == null || now.text() == null || before.text() == null) {
            return null;
        }
        List<String> from = before.text().lines().toList();
        List<String> to = now.text().lines().toList();
        Patch<String> patch = DiffUtils.diff(from, to);
        return String.join("\n", UnifiedDiffUtils.generateUnifiedDiff(
                label(before), label(now), from, patch, 3));
    }

    private static String label(Version v) {
        return v.name() + " " + v.version() + " (sha256 " + v.sha256().substring(0, Math.min(12, v.sha256().length())) + ")";
    }

    private Version read(PolicyBundle bundle) {
        StringBuilder text = new StringBuilder();
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        long total = 0;
        for (String source : bundle.sources()) {
            if (source.contains("://")) {
                return new Version(bundle.name(), bundle.version(), bundle.sha256(), null,
                        "fetched from " + source + "; the console keeps the text of files only");
            }
            byte[] bytes;
            try {
                Path p = Path.of(source);
                total += Files.size(p);
                if (total > maxBytes) {
                    return new Version(bundle.name(), bundle.version(), bundle.sha256(), null,
                            "the files are larger than policy.max_bytes");
                }
                bytes = Files.readAllBytes(p);
            } catch (IOException | RuntimeException e) {
                return new Version(bundle.name(), bundle.version(), bundle.sha256(), null, "cannot read " + source + ": " + e);
            }
            digest.update(bytes);
            text.append("# ").append(source).append('\n').append(new String(bytes, StandardCharsets.UTF_8));
            if (text.charAt(text.length() - 1) != '\n') {
                text.append('\n');
            }
        }
        if (!HexFormat.of().formatHex(digest.digest()).equals(bundle.sha256())) {
            return new Version(bundle.name(), bundle.version(), bundle.sha256(), null,
                    "the files changed between loading the bundle and reading its text");
        }
        return new Version(bundle.name(), bundle.version(), bundle.sha256(), text.toString(), null);
    }
}
