package dev.toolguard.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The agent's own class loader. The agent jar keeps the agent and its relocated libraries under
 * {@value #PREFIX}, where the application's class loaders (which see the jar's root, because {@code -javaagent:}
 * puts the jar on the system class path) find nothing: only this launcher package and the API are at the root.
 * This loader reads them from there, with the platform class loader as parent, so the agent sees the JDK and
 * nothing of the application's, and the application sees none of it.
 *
 * <p>The API ({@code dev.toolguard.api}) is the one exception: the agent and the application must meet on the
 * same {@code GuardBridge} and {@code ToolGuard}, so it is taken from the system class loader, which finds the copy
 * on the bootstrap path, or, when the agent is attached to an application that already loaded its own copy of the
 * API, that copy.
 */
final class AgentClassLoader extends ClassLoader {

    /** Where the agent's classes and resources lie in the agent jar. */
    static final String PREFIX = "toolguard-agent/";
    private static final String API_PACKAGE = "dev.toolguard.api.";

    static {
        registerAsParallelCapable();
    }

    private final JarFile jar;
    private final String base;
    private final ProtectionDomain domain;
    private final Manifest manifest;

    AgentClassLoader(Path agentJar) throws IOException {
        super("toolguard-agent", ClassLoader.getPlatformClassLoader());
        this.jar = new JarFile(agentJar.toFile());
        URL location = agentJar.toUri().toURL();
        this.base = "jar:" + location + "!/";
        this.domain = new ProtectionDomain(new CodeSource(location, (Certificate[]) null), null, this, null);
        this.manifest = jar.getManifest();
    }

    /** Whether {@code agentJar} is laid out for this loader (a jar built by the project's build is). */
    static boolean isolates(JarFile agentJar) {
        return agentJar.getJarEntry(PREFIX + "dev/toolguard/agent/runtime/AgentRuntime.class") != null;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith(API_PACKAGE)) {
            return ClassLoader.getSystemClassLoader().loadClass(name);
        }
        return super.loadClass(name, resolve);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        JarEntry entry = jar.getJarEntry(PREFIX + name.replace('.', '/') + ".class");
        if (entry == null) {
            throw new ClassNotFoundException(name);
        }
        byte[] bytes;
        try (InputStream in = jar.getInputStream(entry)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new ClassNotFoundException(name + " cannot be read from the agent jar", e);
        }
        definePackageOf(name);
        return defineClass(name, bytes, 0, bytes.length, domain);
    }

    /** The package, with the jar's implementation title and version (the agent reports its version from them). */
    private void definePackageOf(String className) {
        int dot = className.lastIndexOf('.');
        if (dot < 0) {
            return;
        }
        String pkg = className.substring(0, dot);
        if (getDefinedPackage(pkg) != null) {
            return;
        }
        Attributes main = manifest == null ? new Attributes() : manifest.getMainAttributes();
        try {
            definePackage(pkg, null, null, null, main.getValue(Attributes.Name.IMPLEMENTATION_TITLE),
                    main.getValue(Attributes.Name.IMPLEMENTATION_VERSION), null, null);
        } catch (IllegalArgumentException raced) {
            // another thread defined it first
        }
    }

    @Override
    protected URL findResource(String name) {
        String path = name.startsWith("/") ? name.substring(1) : name;
        if (jar.getJarEntry(PREFIX + path) == null) {
            return null;
        }
        try {
            return new URL(base + PREFIX + path);
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL url = findResource(name);
        return url == null ? Collections.emptyEnumeration() : Collections.enumeration(java.util.List.of(url));
    }
}
