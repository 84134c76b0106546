package dev.toolguard.it.adversarial.plugin;

import dev.toolguard.api.GuardedTool;

import java.util.function.BiFunction;

/**
 * A plugin's tools, shipped apart from the application and loaded by a class loader of the application's own
 * making (see {@code ClassLoaderApp}). It uses nothing but the JDK and the ToolGuard API, so it can be loaded
 * under a loader whose parent is the platform or the bootstrap loader; the host calls it through
 * {@link BiFunction}, a type every loader shares: {@code apply(tool, path)}.
 */
public class WipePlugin implements BiFunction<String, String, String> {

    @GuardedTool(name = "wipe")
    public String wipe(String path) {
        System.out.println("body ran wipe " + path);
        return "wipe done " + path;
    }

    @GuardedTool(name = "ping")
    public String ping(String path) {
        System.out.println("body ran ping " + path);
        return "ping done " + path;
    }

    @Override
    public String apply(String tool, String path) {
        return tool.equals("wipe") ? wipe(path) : ping(path);
    }
}
