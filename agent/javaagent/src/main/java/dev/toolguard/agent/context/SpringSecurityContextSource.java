package dev.toolguard.agent.context;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.function.Consumer;

/**
 * Source {@code spring-security}: the application's current Spring Security {@code Authentication} on the calling
 * thread. By default {@code user.id} is its name and {@code user.roles} its roles: the names of its
 * {@code ROLE_} authorities without that prefix, which is what Spring Security's own {@code hasRole} matches. A
 * mapping {@code {ctx.path: attribute}} picks attributes instead: {@code name}, {@code roles}, or
 * {@code authorities} (every authority name as it is, for an application whose authorities are not roles).
 *
 * <p>Spring Security is the application's, so it is reached reflectively through the class loader of the tool's
 * class, else of the call's arguments, else the thread's context class loader (an executable Spring Boot jar keeps
 * it in its own nested-jar loader). Nobody is signed in when there is no authentication, when it is anonymous or
 * when it is not authenticated: then the source contributes nothing, and a policy that needs a user denies.
 */
public final class SpringSecurityContextSource implements ContextSource {

    public static final String NAME = "spring-security";

    /** What a mapping may name. */
    enum Attribute {
        NAME("name"), ROLES("roles"), AUTHORITIES("authorities");

        final String key;

        Attribute(String key) {
            this.key = key;
        }

        static Attribute of(String key) {
            for (Attribute a : values()) {
                if (a.key.equals(key)) {
                    return a;
                }
            }
            return null;
        }
    }

    private static final Map<String, Attribute> DEFAULT_MAPPING = defaultMapping();
    private static final String ROLE_PREFIX = "ROLE_";

    private static final ClassValue<Optional<Access>> BY_CLASS = new ClassValue<>() {
        @Override
        protected Optional<Access> computeValue(Class<?> type) {
            return Access.find(type.getClassLoader());
        }
    };
    private static final Map<ClassLoader, Optional<Access>> BY_LOADER = new WeakHashMap<>();

    private final Map<String, Attribute> pathToAttribute;

    SpringSecurityContextSource(Map<String, Attribute> pathToAttribute) {
        this.pathToAttribute = pathToAttribute.isEmpty() ? DEFAULT_MAPPING : new LinkedHashMap<>(pathToAttribute);
    }

    /** Who, then what they may do: the order the audit record shows them in. */
    private static Map<String, Attribute> defaultMapping() {
        Map<String, Attribute> m = new LinkedHashMap<>();
        m.put("user.id", Attribute.NAME);
        m.put("user.roles", Attribute.ROLES);
        return java.util.Collections.unmodifiableMap(m);
    }

    @Override
    public void contribute(CallSite call, ContextTree ctx) {
        Optional<Access> access = accessFor(call);
        if (access.isEmpty()) {
            return;
        }
        Object authentication = access.get().signedIn();
        if (authentication == null) {
            return;
        }
        for (Map.Entry<String, Attribute> e : pathToAttribute.entrySet()) {
            Object value = access.get().read(authentication, e.getValue());
            if (value == null && e.getValue() != Attribute.NAME) {
                // authorities that cannot be read are not "no authorities": roles or scopes resting on them deny
                ctx.unreadable(e.getKey(), "the signed-in user's authorities could not be read");
            } else {
                ctx.put(e.getKey(), value);
            }
        }
    }

    /** The first class loader of the call that sees Spring Security. */
    private static Optional<Access> accessFor(CallSite call) {
        if (call.self() != null && call.self().getClass().getClassLoader() != null) {
            Optional<Access> a = BY_CLASS.get(call.self().getClass());
            if (a.isPresent()) {
                return a;
            }
        }
        for (Object arg : call.args()) {
            if (arg != null && arg.getClass().getClassLoader() != null) {
                Optional<Access> a = BY_CLASS.get(arg.getClass());
                if (a.isPresent()) {
                    return a;
                }
            }
        }
        ClassLoader tccl = Thread.currentThread().getContextClassLoader();
        ClassLoader loader = tccl != null ? tccl : ClassLoader.getSystemClassLoader();
        synchronized (BY_LOADER) {
            return BY_LOADER.computeIfAbsent(loader, Access::find);
        }
    }

    /** Method handles on one class loader's Spring Security, all typed on Object so they need no Spring types. */
    private record Access(MethodHandle getContext, MethodHandle getAuthentication, MethodHandle isAuthenticated,
                          MethodHandle getName, MethodHandle getAuthorities, MethodHandle getAuthority,
                          Class<?> anonymous) {

        static Optional<Access> find(ClassLoader loader) {
            try {
                Class<?> holder = Class.forName("org.springframework.security.core.context.SecurityContextHolder", false, loader);
                Class<?> context = Class.forName("org.springframework.security.core.context.SecurityContext", false, loader);
                Class<?> authentication = Class.forName("org.springframework.security.core.Authentication", false, loader);
                Class<?> authority = Class.forName("org.springframework.security.core.GrantedAuthority", false, loader);
                Class<?> anonymous = Class.forName(
                        "org.springframework.security.authentication.AnonymousAuthenticationToken", false, loader);
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                return Optional.of(new Access(
                        lookup.findStatic(holder, "getContext", MethodType.methodType(context))
                                .asType(MethodType.methodType(Object.class)),
                        lookup.findVirtual(context, "getAuthentication", MethodType.methodType(authentication))
                                .asType(MethodType.methodType(Object.class, Object.class)),
                        lookup.findVirtual(authentication, "isAuthenticated", MethodType.methodType(boolean.class))
                                .asType(MethodType.methodType(boolean.class, Object.class)),
                        lookup.findVirtual(authentication, "getName", MethodType.methodType(String.class))
                                .asType(MethodType.methodType(String.class, Object.class)),
                        lookup.findVirtual(authentication, "getAuthorities", MethodType.methodType(Collection.class))
                                .asType(MethodType.methodType(Collection.class, Object.class)),
                        lookup.findVirtual(authority, "getAuthority", MethodType.methodType(String.class))
                                .asType(MethodType.methodType(String.class, Object.class)),
                        anonymous));
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                return Optional.empty();
            }
        }

        /** The thread's authentication when it names a signed-in user, else null. */
        Object signedIn() {
            try {
                // like any Spring code asking, this leaves an empty context on a thread that had none
                Object context = (Object) getContext.invokeExact();
                Object authentication = context == null ? null : (Object) getAuthentication.invokeExact(context);
                if (authentication == null || anonymous.isInstance(authentication)
                        || !(boolean) isAuthenticated.invokeExact(authentication)) {
                    return null;
                }
                return authentication;
            } catch (Throwable t) {
                return null;
            }
        }

        Object read(Object authentication, Attribute attribute) {
            try {
                return switch (attribute) {
                    case NAME -> (String) getName.invokeExact(authentication);
                    case AUTHORITIES -> authorities(authentication, false);
                    case ROLES -> authorities(authentication, true);
                };
            } catch (Throwable t) {
                // an attribute that cannot be read is absent
                return null;
            }
        }

        private List<String> authorities(Object authentication, boolean asRoles) throws Throwable {
            Collection<?> granted = (Collection<?>) getAuthorities.invokeExact(authentication);
            List<String> names = new ArrayList<>();
            if (granted == null) {
                return names;
            }
            for (Object g : granted) {
                String name = g == null ? null : (String) getAuthority.invokeExact(g);
                if (name == null || name.isEmpty()) {
                    continue;
                }
                if (asRoles) {
                    // other authorities (scopes, Spring Security 7's FACTOR_ ones) are not roles
                    if (!name.startsWith(ROLE_PREFIX)) {
                        continue;
                    }
                    name = name.substring(ROLE_PREFIX.length());
                }
                if (!name.isEmpty() && !names.contains(name)) {
                    names.add(name);
                }
            }
            return List.copyOf(names);
        }
    }

    public static final class Factory implements ContextSourceFactory {

        public Factory() {
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public ContextSource create(Map<String, String> mapping, Consumer<String> problem) {
            Map<String, Attribute> pathToAttribute = new LinkedHashMap<>();
            boolean ok = true;
            for (Map.Entry<String, String> e : mapping.entrySet()) {
                Attribute a = Attribute.of(e.getValue());
                if (a == null) {
                    problem.accept("unknown attribute '" + e.getValue() + "' for " + e.getKey()
                            + " (available: name, roles, authorities)");
                    ok = false;
                } else if (!ContextPaths.valid(e.getKey())) {
                    problem.accept("'" + e.getKey() + "' is not a context path");
                    ok = false;
                } else {
                    pathToAttribute.put(e.getKey(), a);
                }
            }
            return ok ? new SpringSecurityContextSource(pathToAttribute) : null;
        }
    }
}
