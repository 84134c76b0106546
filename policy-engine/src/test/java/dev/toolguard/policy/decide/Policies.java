package dev.toolguard.policy.decide;

import dev.toolguard.policy.load.BundleLoader;
import dev.toolguard.policy.load.LoadResult;
import dev.toolguard.policy.load.PolicyBundle;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Loads test policies from text. */
final class Policies {

    static final String HEADER = "apiVersion: toolguard.dev/v1\nkind: Policy\n";

    private Policies() {
    }

    /** One file, with the standard header and metadata {name: test, version: v1}. */
    static PolicyBundle bundle(String body) {
        return files("policy.yaml", HEADER + "metadata: {name: test, version: v1}\n" + body);
    }

    /** Several files: name, text, name, text, ... */
    static PolicyBundle files(String... nameThenText) {
        Map<String, String> texts = new LinkedHashMap<>();
        for (int i = 0; i < nameThenText.length; i += 2) {
            texts.put(nameThenText[i], nameThenText[i + 1]);
        }
        LoadResult result = BundleLoader.loadTexts(texts);
        assertThat(result.errors()).isEmpty();
        return result.bundle();
    }
}
