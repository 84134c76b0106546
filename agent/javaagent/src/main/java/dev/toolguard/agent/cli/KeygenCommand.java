package dev.toolguard.agent.cli;

import dev.toolguard.policy.signing.SigningKeys;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Set;

/** {@code keygen --out <prefix>}: an Ed25519 key pair for signing policy bundles (SPEC §15). */
final class KeygenCommand implements Command {

    @Override
    public String name() {
        return "keygen";
    }

    @Override
    public String summary() {
        return "make an Ed25519 key pair for signing policy bundles";
    }

    @Override
    public String usage() {
        return """
                Usage: toolguard keygen --out <prefix>

                Writes <prefix>.key, the private key (PKCS#8 PEM, readable by its owner only), and
                <prefix>.pub, the public key (X.509 PEM) that agents list in policy.signing.public_keys.
                Existing files are never overwritten. Keep the .key file off the agents' machines.
                  --out <prefix>  e.g. keys/release writes keys/release.key and keys/release.pub
                Prints the key id that signed manifests name.

                Exit codes: 0 written, 2 bad usage or the files cannot be written.
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("out");
    }

    @Override
    public int run(Arguments args, Console console) {
        if (!args.positionals().isEmpty()) {
            throw new UsageException("unexpected argument '" + args.positionals().get(0) + "'");
        }
        Path prefix = Path.of(args.required("out"));
        Path privateFile = Path.of(prefix + ".key");
        Path publicFile = Path.of(prefix + ".pub");
        KeyPair pair = SigningKeys.generate();
        try {
            Path parent = privateFile.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            SigningKeys.write(pair, privateFile, publicFile);
        } catch (FileAlreadyExistsException e) {
            console.err().println("toolguard keygen: " + e.getFile() + " exists; a key file is never overwritten");
            return ExitCode.USAGE;
        } catch (IOException | RuntimeException e) {
            console.err().println("toolguard keygen: cannot write the key files: " + e);
            return ExitCode.USAGE;
        }
        console.out().println("wrote " + privateFile + " (private, mode 600) and " + publicFile + "; key id "
                + SigningKeys.keyId(pair.getPublic()));
        return ExitCode.OK;
    }
}
