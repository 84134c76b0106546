package dev.toolguard.it.agent.apps;

import dev.toolguard.api.ToolCallDeniedException;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Classes with tools whose types are missing, loaded in a class loader of their own: {@code quiet.Filt} implements
 * {@code jakarta.servlet.Filter}, which is not there (the JVM cannot define it); {@code quiet.UsesGone} names a
 * {@code quiet.Gone} that is not there in a method (the JVM defines it); {@code quiet.Sub} extends {@code quiet.Hidden},
 * which the loader makes from bytes it holds, with no class file to read. After a line on standard input, the tool of
 * {@code quiet.Sub} is called, then {@code quiet.UsesGone}'s {@code safe} (through a method handle: reflection would
 * resolve the missing type of its other method). Arguments: the classes' directory, the file of {@code quiet.Hidden}'s
 * bytes.
 */
public class MissingTypesApp {

    public static void main(String[] args) throws Exception {
        byte[] hidden = Files.readAllBytes(Path.of(args[1]));
        ClassLoader loader = new URLClassLoader(new URL[] {Path.of(args[0]).toUri().toURL()},
                MissingTypesApp.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                return name.equals("quiet.Hidden") ? defineClass(name, hidden, 0, hidden.length) : super.findClass(name);
            }
        };
        for (String name : new String[] {"quiet.Filt", "quiet.UsesGone", "quiet.Sub"}) {
            try {
                Class.forName(name, true, loader);
                System.out.println(name + ": defined");
            } catch (LinkageError e) {
                System.out.println(name + ": not defined " + e);
            }
        }
        new BufferedReader(new InputStreamReader(System.in)).readLine();
        Class<?> sub = Class.forName("quiet.Sub", true, loader);
        try {
            Object result = sub.getMethod("run", String.class).invoke(sub.getConstructor().newInstance(), "x");
            System.out.println("quiet.Sub run: ok " + result);
        } catch (InvocationTargetException e) {
            System.out.println(e.getCause() instanceof ToolCallDeniedException d
                    ? "quiet.Sub run: denied rule=" + d.rule() : "quiet.Sub run: failed " + e.getCause());
        }
        Class<?> usesGone = Class.forName("quiet.UsesGone", true, loader);
        try {
            Object result = java.lang.invoke.MethodHandles.publicLookup().findVirtual(usesGone, "safe",
                    java.lang.invoke.MethodType.methodType(String.class, String.class))
                    .invoke(usesGone.getConstructor().newInstance(), "x");
            System.out.println("quiet.UsesGone safe: ok " + result);
        } catch (ToolCallDeniedException d) {
            System.out.println("quiet.UsesGone safe: denied rule=" + d.rule());
        } catch (Throwable t) {
            System.out.println("quiet.UsesGone safe: failed " + t);
        }
        System.out.println("done");
    }
}
