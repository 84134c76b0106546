package dev.toolguard.agent.cli;

import dev.toolguard.agent.reload.SourceWatcher;
import dev.toolguard.policy.load.BundleLoader;
import dev.toolguard.policy.load.LoadError;
import dev.toolguard.policy.load.LoadResult;
import dev.toolguard.policy.signing.BundleManifest;
import dev.toolguard.policy.signing.SigningKeys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code sign <files or dirs>... --key K --revision N}: writes {@code toolguard-bundle.sig} beside the files
 * (SPEC §15). The files of a signed bundle live in one directory, as agents read them; the bundle must load
 * before it is signed, so a broken policy is never published under a signature.
 */
final class SignCommand implements Command {

    @Override
    public String name() {
        return "sign";
    }

    @Override
    public String summary() {
        return "sign a policy bundle: write its toolguard-bundle.sig manifest";
    }

    @Override
    public String usage() {
        return """
                Usage: toolguard sign <dir> | <file>... --key <private key> --revision <N> [--name <name>]

                Writes toolguard-bundle.sig in the bundle's directory: the sha256 of every file, the revision,
                the time and the key id, signed with the Ed25519 key. A directory contributes all its files
                that are not hidden (README and notes too: an agent refuses any file the manifest does not
                list); files named one by one must all be in one directory, and are the only ones listed.
                The bundle must load (as 'validate' checks) before it is signed.
                  --key <file>      the private key from 'keygen' (e.g. keys/release.key)
                  --revision <N>    a whole number; agents refuse a revision lower than one they loaded
                  --name <name>     the bundle's name in the manifest (default: the directory's name)
                Prints the manifest's path, revision, key id and the files it lists.

                Exit codes: 0 signed, 1 the bundle does not load, 2 bad usage or unreadable input.
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("key", "revision", "name");
    }

    @Override
    public int run(Arguments args, Console console) {
        if (args.positionals().isEmpty()) {
            throw new UsageException("name the bundle's directory, or its files");
        }
        long revision;
        try {
            revision = Long.parseLong(args.required("revision"));
        } catch (NumberFormatException e) {
            throw new UsageException("--revision must be a whole number, not '" + args.option("revision") + "'");
        }
        if (revision < 0) {
            throw new UsageException("--revision must be 0 or more");
        }
        SigningKeys.SigningKey key;
        try {
            key = SigningKeys.readPrivate(Path.of(args.required("key")));
        } catch (IOException e) {
            console.err().println("toolguard sign: " + e.getMessage());
            return ExitCode.USAGE;
        }
        Path dir;
        List<Path> files;
        try {
            List<Path> named = args.positionals().stream().map(Path::of).toList();
            if (named.size() == 1 && Files.isDirectory(named.get(0))) {
                dir = named.get(0);
                files = SourceWatcher.visibleFilesOf(dir).stream()
                        .filter(p -> !p.getFileName().toString().equals(BundleManifest.FILE_NAME)).toList();
            } else {
                dir = null;
                files = new ArrayList<>();
                for (Path p : named) {
                    if (Files.isDirectory(p)) {
                        throw new UsageException("sign one directory, or files of one directory, not " + p + " among others");
                    }
                    if (!Files.isRegularFile(p)) {
                        console.err().println("toolguard sign: cannot read " + p);
                        return ExitCode.USAGE;
                    }
                    Path parent = p.toAbsolutePath().normalize().getParent();
                    if (dir != null && !dir.equals(parent)) {
                        throw new UsageException("the files of a signed bundle must be in one directory: " + p
                                + " is not in " + dir);
                    }
                    dir = parent;
                    files.add(p);
                }
            }
        } catch (IOException e) {
            console.err().println("toolguard sign: " + e.getMessage());
            return ExitCode.USAGE;
        }
        Map<String, byte[]> contents = new TreeMap<>();
        List<String> policyFiles = new ArrayList<>();
        try {
            for (Path f : files) {
                String name = f.getFileName().toString();
                String problem = BundleManifest.fileNameProblem(name);
                if (problem != null) {
                    throw new UsageException(f + " cannot be signed: " + problem);
                }
                contents.put(name, Files.readAllBytes(f));
                if (BundleLoader.isPolicyFileName(name)) {
                    policyFiles.add(f.toString());
                }
            }
        } catch (IOException e) {
            console.err().println("toolguard sign: cannot read " + e.getMessage());
            return ExitCode.USAGE;
        }
        if (policyFiles.isEmpty()) {
            console.err().println("toolguard sign: no *.yaml, *.yml or *.json file to sign in " + args.positionals());
            return ExitCode.USAGE;
        }
        LoadResult loaded = BundleLoader.load(policyFiles);
        if (!loaded.ok()) {
            for (LoadError e : loaded.errors()) {
                console.out().println(e);
            }
            console.out().println("not signed: the bundle does not load");
            return ExitCode.CHECK_FAILED;
        }
        String name = args.option("name", dir.toAbsolutePath().normalize().getFileName() == null ? "bundle"
                : dir.toAbsolutePath().normalize().getFileName().toString());
        BundleManifest manifest = BundleManifest.sign(name, revision, contents, key, Instant.now());
        Path out = dir.resolve(BundleManifest.FILE_NAME);
        try {
            Files.write(out, manifest.toBytes());
        } catch (IOException e) {
            console.err().println("toolguard sign: cannot write " + out + ": " + e);
            return ExitCode.USAGE;
        }
        console.out().println("wrote " + out + ": " + name + " revision " + revision + " signed by key " + key.keyId());
        manifest.files().forEach((file, sha) -> console.out().println("  " + sha + "  " + file));
        return ExitCode.OK;
    }
}
