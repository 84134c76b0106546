package dev.toolguard.it.agent.apps;

import dev.toolguard.api.ToolCallDeniedException;
import dev.toolguard.api.ToolGuard;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link AttachNestedLoadApp}'s case in a legacy class loader: one that is not parallel capable and reads its
 * resources under its own lock, as old application servers' loaders do. Runs without the agent: loads that app's
 * {@code Holder} through such a loader, says {@code ready}, waits until the file given as the first argument exists,
 * then calls {@code LateTool}'s tool until the policy decides it (each distinct outcome printed once). An attach in
 * between retransforms {@code Holder}; describing it loads {@code LateTool} on the attaching thread, which holds the
 * loader's lock, while the agent transforms {@code LateTool} on a thread of its own that reads class files through
 * the loader.
 */
public class AttachLegacyLoaderApp {

    static final String HOLDER = AttachNestedLoadApp.class.getName() + "$Holder";
    static final String LATE_TOOL = AttachNestedLoadApp.class.getName() + "$LateTool";

    /** Defines the two classes itself; not parallel capable, so loading a class holds its lock. */
    static final class LegacyLoader extends ClassLoader {
        private final ClassLoader app;

        LegacyLoader(ClassLoader app) {
            super(app);
            this.app = app;
        }

        @Override
        protected synchronized Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!Set.of(HOLDER, LATE_TOOL).contains(name)) {
                return super.loadClass(name, resolve);
            }
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                try (InputStream in = app.getResourceAsStream(name.replace('.', '/') + ".class")) {
                    byte[] bytes = in.readAllBytes();
                    c = defineClass(name, bytes, 0, bytes.length);
                } catch (IOException | NullPointerException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }
            return c;
        }

        @Override
        public synchronized URL getResource(String name) {
            return super.getResource(name);
        }

        @Override
        public synchronized InputStream getResourceAsStream(String name) {
            return super.getResourceAsStream(name);
        }
    }

    public static void main(String[] args) throws Exception {
        LegacyLoader legacy = new LegacyLoader(AttachLegacyLoaderApp.class.getClassLoader());
        Class.forName(HOLDER, true, legacy);
        Path go = Path.of(args[0]);
        System.out.println("ready");
        while (!Files.exists(go)) {
            Thread.sleep(20);
        }
        Class<?> tool = Class.forName(LATE_TOOL, true, legacy);
        ToolGuard.runAs(Map.of("user.id", "u1", "user.roles", List.of("support_l1")), () -> {
            String last = null;
            for (int i = 0; i < 600 && !"call: denied rule=tools.issue_refund.rules[1]".equals(last); i++) {
                String outcome = call(tool);
                if (!outcome.equals(last)) {
                    System.out.println(outcome);
                    last = outcome;
                }
                Thread.sleep(50); // the resubmission looks every 50 ms
            }
            return null;
        });
        System.out.println("done");
    }

    private static String call(Class<?> tool) throws ReflectiveOperationException {
        try {
            Object t = tool.getConstructor().newInstance();
            return "call: ok " + tool.getMethod("issueRefund", String.class, double.class).invoke(t, "c1", 900.0);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof ToolCallDeniedException d) {
                return "call: denied rule=" + d.rule();
            }
            return "call: failed " + e.getCause();
        }
    }
}
